/**
 * The rate-budget hook: a budget that many clients (in many processes) draw from before each attempt,
 * per rate-limit label, so that together they stay under an account-wide limit; and the sharing of
 * daily-limit blocks, so that one process's daily-limit 429 stops the others at once. The runtime only
 * calls the hook; implementations live elsewhere (`redis/` has one on Redis).
 */
import type { ApiProfile } from "./profile.js";

/**
 * A rate budget shared by every client of one account. Both methods may be async; they should never
 * throw for a failing backend (wait less precisely instead): an error is treated as "send now".
 */
export interface RateBudget {
  /**
   * Waits until one more request of `label` (e.g. `Light`) fits the budget. Resolves `undefined` to send
   * now, or `{ resumeAt }` when a daily limit of `label` is known to be hit until then: the call then
   * fails at once with a `RateLimitError`, and nothing is sent. Should settle soon after `signal` aborts.
   */
  acquire(label: string, signal: AbortSignal | undefined): Promise<{ resumeAt: Date } | undefined | void>;
  /** Records that `label`'s daily limit was hit until `resumeAt`, for every client sharing the budget. */
  blockUntil(label: string, resumeAt: Date): void | Promise<void>;
}

/**
 * Waits for `budget`'s permission to send one request of `label`. Returns when the label is blocked
 * (a shared daily limit), else undefined. Rejects with `aborted(...)` when `signal` aborts meanwhile.
 */
export async function waitForBudget(
  budget: RateBudget,
  label: string,
  signal: AbortSignal | undefined,
  aborted: (when: string) => Error,
): Promise<Date | undefined> {
  let grant: { resumeAt: Date } | undefined | void;
  try {
    grant = await budget.acquire(label, signal);
  } catch {
    grant = undefined; // a failing budget costs precision, not the call
  }
  if (signal?.aborted) throw aborted("while waiting for the rate budget");
  return grant?.resumeAt instanceof Date && grant.resumeAt.getTime() > Date.now() ? grant.resumeAt : undefined;
}

/**
 * The answer a call gets when its label is blocked by a daily limit another client hit: a 429 shaped
 * like Zoom's (`X-RateLimit-Type: Daily-limit`, `Retry-After`), so it becomes the usual `RateLimitError`
 * with `resumeAt`. It never went over the network.
 */
export function budgetBlockedResponse(label: string, resumeAt: Date): Response {
  const when = resumeAt.toISOString();
  const message = `Not sent: the daily rate limit of ${label} requests was reached (reported through the shared rate budget); resume at ${when}.`;
  return new Response(JSON.stringify({ code: 429, message }), {
    status: 429,
    statusText: "Too Many Requests",
    headers: {
      "Content-Type": "application/json",
      "Retry-After": when,
      "X-RateLimit-Category": label,
      "X-RateLimit-Type": "Daily-limit",
    },
  });
}

/**
 * Shares a daily-limit 429 with every client of the budget. Only answers that say so
 * (`X-RateLimit-Type: Daily-limit`) are shared: those are account-wide per label. A 429 that is daily
 * only by its message (Zoom's per-user caps, such as meetings created per user) concerns one user and
 * is not shared, since blocking the whole label for it would fail calls that could succeed.
 */
export async function reportDailyLimit(budget: RateBudget, label: string | undefined, response: Response, profile: ApiProfile): Promise<void> {
  if (response.status !== 429) return;
  const { daily, resumeAt } = profile.rateLimit(response.headers, Date.now());
  const scope = response.headers.get("x-ratelimit-category")?.trim() || label;
  if (!daily || scope === undefined || resumeAt === undefined) return;
  try {
    await budget.blockUntil(scope, resumeAt);
  } catch {
    // The caller still gets its RateLimitError; only the sharing failed.
  }
}
