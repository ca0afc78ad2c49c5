/**
 * An API profile: the few rules of one API that the generic core asks about, so the core itself knows
 * only HTTP. `genericProfile` fits any API; `@zoomgen/runtime/zoom` exports Zoom's (runtime/zoom/profile.ts).
 * It imports only the bottom layer, so any module may use it.
 */
import { isDailyLimit, parseRetryAfter, type RetryAfter } from "./rate-limit.js";

/** What a 429 means: a `daily` limit is never waited for; `resumeAt` says when requests may resume, if known. */
export interface RateLimitReading extends RetryAfter {
  daily: boolean;
}

/** The rules the core asks a profile about. Every member is small and synchronous. */
export interface ApiProfile {
  /** Who the API is, in messages (`Zoom code 124`); undefined in a generic client (`code 124`). */
  readonly name: string | undefined;
  /** The API's own error code and message from an error body; nothing for an empty or foreign body. */
  parseErrorBody(body: string): { code: number | undefined; message: string | undefined };
  /** True when this answer means "the access token was rejected" (expired or revoked): worth one fresh token. */
  isTokenRejected(status: number, body: string): boolean;
  /** Why the retry after a rejected token happened, for `onRetry` hooks. */
  readonly tokenRejectedReason: string;
  /** A response header with the server's request id, which the API's support asks for; shown in errors. */
  readonly trackingIdHeader: string | undefined;
  /**
   * One `simple` path value, already percent-encoded once as `encoded`: what goes into the URL. The
   * generic rule is `encoded`; Zoom encodes some meeting UUIDs twice.
   */
  encodePathValue(value: string, encoded: string): string;
  /** When the API's daily limits reset, for messages (Zoom: `00:00 UTC`); undefined when unknown. */
  readonly dailyLimitReset: string | undefined;
  /** Reads a 429's headers: daily or short-term, and when it lifts. */
  rateLimit(headers: Headers, now: number): RateLimitReading;
  /** The `oauth` option's token endpoint when it names none; undefined: `oauth.tokenUrl` is required. */
  readonly oauthTokenUrl: string | undefined;
  /** Prefix of the keys OAuth tokens are stored under in a `tokenStore` (`<prefix>:<accountId>:<clientId>`). */
  readonly tokenKeyPrefix: string;
}

/**
 * The profile of any HTTP API: error bodies `{code?, message}`, `{error: {message}}`, `{error}` or RFC 9457
 * problem details; any 401 is a rejected token; `Retry-After` in seconds or as a date; path values encoded once.
 */
export const genericProfile: ApiProfile = {
  name: undefined,
  parseErrorBody(body) {
    const parsed = parseJsonObject(body);
    if (parsed === undefined) return { code: undefined, message: undefined };
    const error = parsed.error;
    const nested = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : undefined;
    const message = [parsed.message, nested?.message, error, parsed.detail, parsed.title].find((m): m is string => typeof m === "string" && m !== "");
    const code = [parsed.code, nested?.code].find((c): c is number => typeof c === "number" && Number.isFinite(c));
    return { code, message };
  },
  isTokenRejected: (status) => status === 401,
  tokenRejectedReason: "token rejected (401)",
  trackingIdHeader: undefined,
  encodePathValue: (_value, encoded) => encoded,
  dailyLimitReset: undefined,
  rateLimit: (headers, now) => ({ daily: isDailyLimit(headers.get("x-ratelimit-type")), ...parseRetryAfter(headers.get("retry-after"), now) }),
  oauthTokenUrl: undefined,
  tokenKeyPrefix: "oauth",
};

/** The body as a JSON object, or undefined when it is empty, not JSON, or not an object. */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  if (!body.trimStart().startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
