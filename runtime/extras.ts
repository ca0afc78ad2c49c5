/**
 * What a client needs only when it uses hooks, a shared rate budget or a concurrency cap
 * (`hooks`, `rateBudget`, `maxConcurrentRequests`): the transport and `call` reach this code through
 * `ResolvedOptions.extras`, which the full client always sets up and a lean client only when the app
 * passes `extras: transportExtras`, so a lean bundle without them leaves this module out.
 */
import type { SdkError } from "./errors.js";
import { emit, type HookRequestInfo, type Hooks } from "./hooks.js";
import { createLimiter } from "./limiter.js";
import type { ApiProfile } from "./profile.js";
import { budgetBlockedResponse, reportDailyLimit, waitForBudget, type RateBudget } from "./rate-budget.js";
import { parseRateLimit } from "./rate-limit.js";
import { redactHeaders, redactUrl, type Secrets } from "./redact.js";

/** The client options this module serves (checked by option-checks.ts on the full client). */
export interface ExtrasSettings {
  hooks: Hooks | undefined;
  rateBudget: RateBudget | undefined;
  maxConcurrentRequests: number | undefined;
}

/** Why an attempt is about to be retried, for `onRetry`. */
export interface RetryEvent extends HookRequestInfo {
  reason: string;
  status: number | undefined;
  error: SdkError | undefined;
  delayMs: number;
}

/** What the transport and `call` ask of the extras: each is called at its moment of every attempt or call. */
export interface Extras {
  /**
   * Before an attempt: a concurrency slot, then the rate budget of `label`. Resolves to the function
   * that gives the slot back, or to an answer that was never sent (a daily limit shared through the budget).
   */
  enter(label: string | undefined, signal: AbortSignal | undefined, aborted: (when: string) => Error): Promise<(() => void) | Response>;
  /** An attempt is about to be sent with `headers` (`onRequest`). */
  request(event: HookRequestInfo, headers: Headers): void;
  /** An attempt got `response`, sent at `started` (`onResponse`). */
  response(event: HookRequestInfo, response: Response, started: number): void;
  /** A non-2xx answer: a daily-limit 429 is shared through the rate budget. */
  rejected(label: string | undefined, response: Response): Promise<void>;
  /** An attempt is about to be retried (`onRetry`). */
  retry(event: RetryEvent): void;
  /** A call failed with `error` (`onError`). */
  failed(operationId: string | undefined, method: string, url: string, attempts: number, error: SdkError): void;
}

/** Makes a client's extras from its options; undefined when it uses none of them (its calls then pay nothing). */
export type ExtrasSetUp = (settings: ExtrasSettings, secrets: Secrets, profile: ApiProfile) => Extras | undefined;

/**
 * Hooks, the shared rate budget and the concurrency cap, for a lean client:
 * `createZoomClientCore({ accessToken, hooks, extras: transportExtras })`. The full client has them built in.
 */
export const transportExtras: ExtrasSetUp = ({ hooks = {}, rateBudget, maxConcurrentRequests }, secrets, profile) => {
  if (rateBudget === undefined && maxConcurrentRequests === undefined && Object.values(hooks).every((hook) => hook === undefined)) return undefined;
  const acquire = createLimiter(maxConcurrentRequests);
  const uncapped = maxConcurrentRequests === undefined;
  const noRelease = (): void => undefined;
  return {
    async enter(label, signal, aborted) {
      const release = uncapped ? noRelease : await acquire(signal, aborted);
      if (rateBudget === undefined || label === undefined) return release;
      let blockedUntil: Date | undefined;
      try {
        blockedUntil = await waitForBudget(rateBudget, label, signal, aborted);
      } catch (error) {
        release();
        throw error;
      }
      if (blockedUntil === undefined) return release;
      release();
      return budgetBlockedResponse(label, blockedUntil);
    },
    // Hook data is built only for hooks that are there.
    request(event, headers) {
      if (hooks.onRequest !== undefined) emit(hooks.onRequest, { ...event, headers: redactHeaders(headers, secrets) });
    },
    response(event, response, started) {
      if (hooks.onResponse === undefined) return;
      emit(hooks.onResponse, {
        ...event,
        status: response.status,
        headers: redactHeaders(response.headers, secrets),
        rateLimit: parseRateLimit(response.headers),
        durationMs: Date.now() - started,
      });
    },
    rejected: (label, response) => (rateBudget === undefined ? Promise.resolve() : reportDailyLimit(rateBudget, label, response, profile)),
    retry: (event) => emit(hooks.onRetry, event),
    failed(operationId, method, url, attempts, error) {
      if (hooks.onError !== undefined) emit(hooks.onError, { operationId, method, url: redactUrl(url, secrets), attempts, error });
    },
  };
};
