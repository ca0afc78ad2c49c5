/**
 * Zoom's rules, as the core asks for them (runtime/profile.ts): the `{code, message}` error body and its
 * codes, code 124 for a rejected token, the `x-zm-trackingid` header, QPS versus daily limits (daily ones
 * reset at 00:00 UTC), the double encoding of meeting UUIDs, and Server-to-Server OAuth at zoom.us.
 */
import { parseJsonObject, type ApiProfile } from "../profile.js";
import { isDailyLimit, parseRetryAfter } from "../rate-limit.js";

/** Zoom's "Invalid access token" code: the token expired or was revoked. */
export const ZOOM_INVALID_TOKEN_CODE = 124;

/** The default Server-to-Server OAuth token endpoint. */
export const DEFAULT_TOKEN_URL = "https://zoom.us/oauth/token";

/** Reads Zoom's `{code, message}` from an error body; anything else (empty, text, bad JSON) gives nothing. */
export function parseZoomBody(body: string): { code: number | undefined; message: string | undefined } {
  const parsed = parseJsonObject(body);
  const code = parsed?.code;
  const message = parsed?.message;
  return {
    code: typeof code === "number" && Number.isFinite(code) ? code : undefined,
    message: typeof message === "string" && message !== "" ? message : undefined,
  };
}

export const zoomProfile: ApiProfile = {
  name: "Zoom",
  parseErrorBody: parseZoomBody,
  isTokenRejected: (status, body) => status === 401 && parseZoomBody(body).code === ZOOM_INVALID_TOKEN_CODE,
  tokenRejectedReason: "token rejected (Zoom code 124)",
  trackingIdHeader: "x-zm-trackingid",
  // Zoom's rule for meeting UUIDs: one that starts with `/` or contains `//` must be encoded twice.
  encodePathValue: (value, encoded) => (value.startsWith("/") || value.includes("//") ? encodeURIComponent(encoded) : encoded),
  dailyLimitReset: "00:00 UTC",
  rateLimit(headers, now) {
    const daily = isDailyLimit(headers.get("x-ratelimit-type"));
    const parsed = parseRetryAfter(headers.get("retry-after"), now);
    if (parsed.resumeAt !== undefined || !daily) return { daily, ...parsed };
    // A daily limit without Retry-After lifts when Zoom resets daily limits: the next 00:00 UTC.
    const midnight = new Date(now);
    midnight.setUTCHours(24, 0, 0, 0);
    return { daily, resumeAt: midnight, retryAfterMs: midnight.getTime() - now };
  },
  oauthTokenUrl: DEFAULT_TOKEN_URL,
  tokenKeyPrefix: "zoom-s2s",
};
