/**
 * The transport: the one function through which every request leaves, from `call` and from the `raw`
 * openapi-fetch client alike. Per request it adds the default headers and the bearer token, then runs
 * attempts: each takes a concurrency slot, is sent with a timeout, and is retried when the policy
 * (retry.ts) says so; a 401 with Zoom code 124 gets one fresh token and one more attempt. Hooks see
 * every attempt, redacted.
 */
import { createMemoryTokenStore, oauthTokenSource, providerTokenSource, staticTokenSource, type TokenSource } from "./auth.js";
import { AbortError, parseZoomBody, TimeoutError, ZoomSdkError } from "./errors.js";
import { emit } from "./hooks.js";
import { createLimiter } from "./limiter.js";
import { globalFetch, mergeRetry, type ResolvedOptions } from "./options.js";
import { budgetBlockedResponse, reportDailyLimit, waitForBudget } from "./rate-budget.js";
import { parseRateLimit } from "./rate-limit.js";
import { redactHeaders, redactUrl } from "./redact.js";
import { decideRetry, IDEMPOTENT_METHODS, sleep, type Failure, type RetryDecision } from "./retry.js";
import { AttemptFailure, decodeText, sendBuffered, type BufferedAnswer } from "./send.js";
import type { RetryOptions } from "./types.js";

/** What the transport knows about a request besides the request itself; the per-call options. */
export interface RequestContext {
  /** The operation, for messages and hooks; undefined for `raw` requests. */
  operationId?: string | undefined;
  /** Whether the operation is safe to repeat; defaults to the method (GET, HEAD, OPTIONS, PUT, DELETE). */
  idempotent?: boolean | undefined;
  /** Per-call timeout of each attempt, over the client's. */
  timeoutMs?: number | undefined;
  /** Per-call retry policy, merged over the client's; `false` for none. */
  retry?: Partial<RetryOptions> | false | undefined;
  /** Retry 5xx, timeouts and network failures even for a non-idempotent method. */
  retryNonIdempotent?: boolean | undefined;
  /** The operation's rate-limit label (e.g. `Light`): each attempt waits for the client's `rateBudget`. */
  rateLimitLabel?: string | undefined;
  /** Set by the transport: attempts made so far. */
  attempts?: number;
  /** The request URL, for reporting a failure (set by `call` once the URL is built). */
  url?: string;
}

/**
 * A request ready to send, built once per call (no `Request` object until an attempt is sent). The
 * transport adds default headers and `Authorization` to `headers`, which it owns from then on; `body`
 * is sent as is by every attempt, so it must be replayable (not a stream, not `FormData`).
 */
export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | ArrayBuffer | Uint8Array<ArrayBuffer> | Blob | URLSearchParams | null;
  signal: AbortSignal | undefined;
  redirect?: RequestInit["redirect"] | undefined;
  /** `url` without credentials, when the caller already has it. */
  shownUrl?: string | undefined;
}

/** Sends one request (with its retries) and returns the last response, whatever its status, body read. */
export type Transport = (request: OutgoingRequest, context: RequestContext) => Promise<BufferedAnswer>;

/** A `Request` (from openapi-fetch) as an `OutgoingRequest`: its body read once, so every attempt sends the same bytes. */
export async function toOutgoing(request: Request): Promise<OutgoingRequest> {
  return {
    url: request.url,
    method: request.method,
    headers: new Headers(request.headers),
    // A multipart body is read with its boundary, which its Content-Type header already carries.
    body: request.body === null ? null : await request.arrayBuffer(),
    signal: request.signal,
    redirect: request.redirect,
  };
}

/** Builds the transport of one client, with its token source and concurrency cap. */
export function createTransport(options: ResolvedOptions): Transport {
  const tokens = createTokenSource(options);
  const acquire = createLimiter(options.maxConcurrentRequests);
  // Features a client does not use cost its calls nothing: no wait for a limiter slot or a static token.
  const uncapped = options.maxConcurrentRequests === undefined;
  const staticToken = options.token.kind === "static" ? options.token.token : undefined;
  const { hooks, secrets, rateBudget } = options;

  return async (request, context) => {
    const method = request.method;
    const info = { operationId: context.operationId, method, url: request.shownUrl ?? redactUrl(request.url, secrets) };
    let attempts = 0;
    const aborted = (when: string) =>
      new AbortError(`${info.operationId ?? "Request"} was aborted by its AbortSignal ${when} (${method} ${info.url}).`, {
        request: info,
        attempts,
      });
    const policy = mergeRetry(options.retry, context.retry, "retry");
    const idempotent = context.retryNonIdempotent === true || (context.idempotent ?? IDEMPOTENT_METHODS.has(method));
    const timeoutMs = context.timeoutMs ?? options.timeoutMs;
    const signal = request.signal;

    const { headers, body, url, redirect } = request;
    // Defaults fill gaps only: a request's own headers win.
    setIfAbsent(headers, "Accept", "application/json");
    setIfAbsent(headers, "User-Agent", options.userAgent); // ignored by browsers, honoured elsewhere
    for (const [name, value] of Object.entries(options.headers)) setIfAbsent(headers, name, value);

    let retries = 0;
    let freshToken: string | undefined; // set after a code 124, for the one retry it earns
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      context.attempts = attempt - 1;
      const token = freshToken ?? staticToken ?? (await tokens.get(signal));
      freshToken = undefined;
      headers.set("Authorization", `Bearer ${token}`);
      const release = uncapped ? noRelease : await acquire(signal, aborted);
      const label = context.rateLimitLabel;
      if (rateBudget !== undefined && label !== undefined) {
        const blockedUntil = await waitForBudget(rateBudget, label, signal, aborted).catch((error: unknown) => {
          release();
          throw error;
        });
        if (blockedUntil !== undefined) {
          release();
          const response = budgetBlockedResponse(label, blockedUntil);
          return { response, body: await response.arrayBuffer() };
        }
      }
      context.attempts = attempts = attempt;
      const event = { ...info, attempt };
      // Hook data is built only for hooks that are there: a call without hooks pays nothing for them.
      if (hooks.onRequest !== undefined) emit(hooks.onRequest, { ...event, headers: redactHeaders(headers, secrets) });
      const started = Date.now();
      let answer: BufferedAnswer;
      try {
        answer = await sendBuffered(
          (attemptSignal) => {
            const init: RequestInit = { method, headers, body, signal: attemptSignal ?? null, redirect: redirect ?? "follow" };
            // The global fetch builds its own Request from (url, init): building one first would cost a second.
            return options.fetch === globalFetch ? globalThis.fetch(url, init) : options.fetch(new Request(url, init));
          },
          { fetch: options.fetch, timeoutMs, signal, info, attempt, secrets },
        );
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        if (error.error instanceof AbortError) throw error.error;
        const failure: Failure = error.error instanceof TimeoutError ? { kind: "timeout" } : { kind: "network", sent: error.sent };
        const decision = decideRetry(failure, retries, policy, idempotent);
        if (!decision.retry) throw error.error;
        await pause(decision, { ...event, status: undefined, error: error.error });
        retries++;
        continue;
      } finally {
        release();
      }
      const response = answer.response;
      if (hooks.onResponse !== undefined) {
        emit(hooks.onResponse, {
          ...event,
          status: response.status,
          headers: redactHeaders(response.headers, secrets),
          rateLimit: parseRateLimit(response.headers),
          durationMs: Date.now() - started,
        });
      }
      if (response.ok) return answer;
      if (rateBudget !== undefined) await reportDailyLimit(rateBudget, context.rateLimitLabel, response);

      // A rejected token (expired or revoked) earns one fresh token and one retry, for any method:
      // a 401 means Zoom did nothing.
      if (response.status === 401 && !tokenRefreshed && isTokenRejected(answer)) {
        tokenRefreshed = true;
        const fresh = await tokens.refresh(token, signal);
        if (fresh !== undefined) {
          freshToken = fresh;
          emit(hooks.onRetry, { ...event, reason: "token rejected (Zoom code 124)", status: 401, error: undefined, delayMs: 0 });
          continue;
        }
      }
      const decision = decideRetry({ kind: "response", status: response.status, headers: response.headers }, retries, policy, idempotent);
      if (!decision.retry) return answer;
      await pause(decision, { ...event, status: response.status, error: undefined });
      retries++;
    }

    async function pause(
      decision: RetryDecision & { retry: true },
      event: { operationId: string | undefined; method: string; url: string; attempt: number; status: number | undefined; error: ZoomSdkError | undefined },
    ): Promise<void> {
      emit(hooks.onRetry, { ...event, reason: decision.reason, delayMs: decision.delayMs });
      await sleep(decision.delayMs, signal, aborted);
    }
  };
}

function createTokenSource(options: ResolvedOptions): TokenSource {
  const config = options.token;
  if (config.kind === "static") return staticTokenSource(config.token);
  if (config.kind === "provider") return providerTokenSource(config.provider, options.secrets);
  return oauthTokenSource(config.oauth, {
    fetch: options.fetch,
    userAgent: options.userAgent,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    refreshMarginMs: config.refreshMarginMs,
    lockTtlMs: config.lockTtlMs,
    store: config.store ?? createMemoryTokenStore(),
    secrets: options.secrets,
  });
}

/** True for Zoom's "Invalid access token" answer: 401 with `{"code": 124}`. */
function isTokenRejected(answer: BufferedAnswer): boolean {
  return parseZoomBody(decodeText(answer.body)).code === 124;
}

function setIfAbsent(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}

const noRelease = (): void => undefined;
