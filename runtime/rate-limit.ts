/**
 * Rate-limit signals: the `X-RateLimit-*` headers (Zoom's, also used by other APIs), `Retry-After` in its
 * three forms, and which 429s are worth waiting for (per-second limits) and which are not (daily limits).
 * When a daily limit without `Retry-After` lifts is the profile's rule (runtime/zoom/profile.ts for Zoom).
 */

/** The `X-RateLimit-*` headers, parsed. Fields are undefined when their header is absent. */
export interface RateLimitInfo {
  /** `X-RateLimit-Category`, e.g. `Light`, `Medium`, `Heavy`. */
  category: string | undefined;
  /** `X-RateLimit-Type`, e.g. `QPS` or `Daily-limit`. */
  type: string | undefined;
  /** `X-RateLimit-Limit`. */
  limit: number | undefined;
  /** `X-RateLimit-Remaining`. */
  remaining: number | undefined;
}

/** Reads `X-RateLimit-*` headers; undefined when none of them is present. */
export function parseRateLimit(headers: Headers): RateLimitInfo | undefined {
  const category = headers.get("x-ratelimit-category") ?? undefined;
  const type = headers.get("x-ratelimit-type") ?? undefined;
  const limit = toInteger(headers.get("x-ratelimit-limit"));
  const remaining = toInteger(headers.get("x-ratelimit-remaining"));
  if (category === undefined && type === undefined && limit === undefined && remaining === undefined) return undefined;
  return { category, type, limit, remaining };
}

function toInteger(value: string | null): number | undefined {
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** When to try again, from `Retry-After` (or, for a daily limit without one, the next 00:00 UTC). */
export interface RetryAfter {
  resumeAt: Date | undefined;
  /** Milliseconds from `now` until `resumeAt`, never negative. */
  retryAfterMs: number | undefined;
}

/**
 * Parses `Retry-After`: a number of seconds, an HTTP date, or (Zoom's daily limit) an ISO date-time.
 * An ISO date-time without an offset is read as UTC (Zoom's daily limits reset at 00:00 GMT).
 */
export function parseRetryAfter(value: string | null, now: number): RetryAfter {
  const text = value?.trim();
  if (!text) return { resumeAt: undefined, retryAfterMs: undefined };
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    return { resumeAt: new Date(now + ms), retryAfterMs: ms };
  }
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/i.test(text) ? `${text}Z` : text;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return { resumeAt: undefined, retryAfterMs: undefined };
  return { resumeAt: new Date(at), retryAfterMs: Math.max(0, at - now) };
}

/** True for `X-RateLimit-Type: Daily-limit` (any case): waiting for it means hours, so it is never slept on. */
export function isDailyLimit(limitType: string | null | undefined): boolean {
  return limitType?.trim().toLowerCase() === "daily-limit";
}
