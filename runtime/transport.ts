/**
 * The transport: the one function through which every request leaves, from `call` and from the `raw`
 * openapi-fetch client alike. Per request it adds the default headers and the credentials (security.ts), then runs
 * attempts: each takes a concurrency slot, is sent with a timeout, and is retried when the policy
 * (retry.ts) says so; a rejected token (the profile says which answers are: Zoom's 401 with code 124)
 * gets one fresh token and one more attempt. Hooks see
 * every attempt, redacted.
 */
import { providerTokenSource, staticTokenSource, type TokenSource } from "./auth.js";
import { AbortError, TimeoutError, type SdkError } from "./errors.js";
import { mergeRetry, type ResolvedOptions } from "./options.js";
import { redactUrl } from "./redact.js";
import { decideRetry, IDEMPOTENT_METHODS, sleep, type Failure, type RetryDecision } from "./retry.js";
import type { ParseAs } from "./body.js";
import { createCredentials, type SecurityRequirements, type SentToken } from "./security.js";
import { AttemptFailure, decodeText, sendBuffered, type BufferedAnswer } from "./send.js";
import { ATTEMPT_CANCEL, WHOLE_BODY, type OnAttemptCancel, type RetryOptions } from "./types.js";

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
  /** The body is a stream: sent as read, never buffered, so never retried (runtime/body.ts). */
  streamRequestBody?: boolean;
  /** How the caller asked for the 2xx body; `"stream"`: handed over unread instead of read within the attempt. */
  parseAs?: ParseAs | undefined;
  /** Set by the transport: attempts made so far. */
  attempts?: number;
  /** The request URL, for reporting a failure (set by `call` once the URL is built). */
  url?: string;
  /** The operation's security alternatives (security.ts); undefined for `raw` requests. */
  security?: SecurityRequirements | undefined;
}

/**
 * A request ready to send, built once per call (no `Request` object until an attempt is sent). The
 * transport adds default headers to `headers`, which it owns from then on, and the credentials to a
 * copy per attempt; `body` is sent as is by every attempt, so it must be replayable (not `FormData`),
 * except a stream, which `RequestContext.streamRequestBody` marks and which gets one attempt.
 */
export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | ArrayBuffer | Uint8Array<ArrayBuffer> | Blob | URLSearchParams | ReadableStream<Uint8Array> | null;
  signal: AbortSignal | undefined;
  redirect?: RequestInit["redirect"] | undefined;
  /** `url` without credentials, when the caller already has it. */
  shownUrl?: string | undefined;
}

/** Sends one request (with its retries) and returns the last response, whatever its status, body read (unread for a streamed 2xx). */
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

/** Builds the transport of one client, with its token source and its extras (hooks, rate budget, concurrency cap: extras.ts). */
export function createTransport(options: ResolvedOptions): Transport {
  const tokens = createTokenSource(options);
  const credentials = createCredentials(options.security, options.auth, tokens, options.secrets);
  // Features a client does not use cost its calls nothing: without hooks, budget or cap there are no extras.
  const { extras, secrets } = options;
  // Defaults fill gaps only: a request's own headers win. Listed once per client, not once per call.
  const defaultHeaders: readonly (readonly [string, string])[] = [["Accept", "application/json"], ["User-Agent", options.userAgent], ...Object.entries(options.headers)];

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
    for (const [name, value] of defaultHeaders) setIfAbsent(headers, name, value); // User-Agent: ignored by browsers, honoured elsewhere
    // A streamed body is sent as it is read (no copy) and so gets one attempt: no retry, no token refresh.
    const streamed = context.streamRequestBody === true && body !== null;

    let retries = 0;
    let freshToken: SentToken | undefined; // set after a code 124, for the one retry it earns
    let tokenRefreshed = false;
    const choice = credentials.choose(context.security, context.operationId); // fails before anything is sent
    for (let attempt = 1; ; attempt++) {
      context.attempts = attempt - 1;
      const sent = await credentials.apply(choice, url, headers, signal, freshToken);
      freshToken = undefined;
      let release = noRelease;
      if (extras !== undefined) {
        const entered = await extras.enter(context.rateLimitLabel, signal, aborted);
        // A daily limit shared through the rate budget: an answer that was never sent.
        if (entered instanceof Response) return { response: entered, body: await entered.arrayBuffer() };
        release = entered;
      }
      context.attempts = attempts = attempt;
      const event = { ...info, attempt };
      extras?.request(event, sent.headers);
      const started = Date.now();
      let answer: BufferedAnswer;
      const wholeBody = context.parseAs !== "stream";
      try {
        answer = await sendBuffered(
          (attemptSignal, onCancel) => {
            // `signal` is a getter: the attempt's AbortSignal is made only for a fetch that reads it (the global one does).
            // The runtime's own transport takes the cancel hook and the whole-body flag instead (types.ts).
            const init: AttemptInit =
              attemptSignal === undefined
                ? // Nothing can end this attempt early (no timeout, no caller signal): a cancel hook that is never called.
                  { method, headers: sent.headers, body, redirect: redirect ?? "follow", [ATTEMPT_CANCEL]: neverCancelled, [WHOLE_BODY]: wholeBody }
                : withSignalGetter({ method, headers: sent.headers, body, redirect: redirect ?? "follow", [MAKE_SIGNAL]: attemptSignal, [ATTEMPT_CANCEL]: onCancel, [WHOLE_BODY]: wholeBody });
            if (streamed) init.duplex = "half";
            return options.fetch(sent.url, init);
          },
          { fetch: options.fetch, timeoutMs, signal, info, attempt, secrets, streamResponse: context.parseAs === "stream" },
        );
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        if (error.error instanceof AbortError) throw error.error;
        const failure: Failure = error.error instanceof TimeoutError ? { kind: "timeout" } : { kind: "network", sent: error.sent };
        const decision = decideRetry(failure, retries, policy, idempotent);
        if (!decision.retry || streamed) throw error.error;
        await pause(decision, { ...event, status: undefined, error: error.error });
        retries++;
        continue;
      } finally {
        release();
      }
      const response = answer.response;
      extras?.response(event, response, started);
      if (response.ok) return answer;
      if (extras !== undefined) await extras.rejected(context.rateLimitLabel, response);

      // A rejected token (expired or revoked) earns one fresh token and one retry, for any method:
      // a 401 means the API did nothing. A streamed body cannot be sent twice.
      if (response.status === 401 && !tokenRefreshed && !streamed && sent.bearer !== undefined && options.profile.isTokenRejected(401, decodeText(answer.body ?? null))) {
        tokenRefreshed = true;
        const fresh = await sent.bearer.tokens.refresh(sent.bearer.token, signal);
        if (fresh !== undefined) {
          freshToken = { tokens: sent.bearer.tokens, token: fresh };
          extras?.retry({ ...event, reason: options.profile.tokenRejectedReason, status: 401, error: undefined, delayMs: 0 });
          continue;
        }
      }
      const daily = response.status === 429 && options.profile.rateLimit(response.headers, Date.now()).daily;
      const decision = decideRetry({ kind: "response", status: response.status, headers: response.headers, daily }, retries, policy, idempotent);
      if (!decision.retry || streamed) return answer;
      await pause(decision, { ...event, status: response.status, error: undefined });
      retries++;
    }

    async function pause(
      decision: RetryDecision & { retry: true },
      event: { operationId: string | undefined; method: string; url: string; attempt: number; status: number | undefined; error: SdkError | undefined },
    ): Promise<void> {
      extras?.retry({ ...event, reason: decision.reason, delayMs: decision.delayMs });
      await sleep(decision.delayMs, signal, aborted);
    }
  };
}

function createTokenSource(options: ResolvedOptions): TokenSource | undefined {
  const config = options.token;
  if (config === undefined) return undefined;
  if (config.kind === "static") return staticTokenSource(config.token);
  if (config.kind === "provider") return providerTokenSource(config.provider, options.secrets);
  // OAuth's code comes with the option that asked for it (auth.ts, `OAuthSetUp`): a client without OAuth does not carry it.
  return config.source({
    fetch: options.fetch,
    userAgent: options.userAgent,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    secrets: options.secrets,
    profile: options.profile,
  });
}

/** The `init` of one attempt's fetch. */
type AttemptInit = RequestInit & { duplex?: "half"; [MAKE_SIGNAL]?: () => AbortSignal; [ATTEMPT_CANCEL]?: OnAttemptCancel | undefined; [WHOLE_BODY]?: boolean };

const MAKE_SIGNAL = Symbol("zoomgen.makeSignal");

/**
 * `init.signal` as an own, enumerable getter (a fetch wrapper that spreads `init` still passes the signal on) that
 * makes the attempt's signal on first read. One getter function for every attempt: a getter written in the object
 * literal is a new function per attempt, and V8 then gives each init a hidden class of its own (a 1.5 µs object, and
 * about 18 µs of GC per call in process, measured).
 */
const SIGNAL_GETTER: PropertyDescriptor = {
  get(this: AttemptInit): AbortSignal | undefined {
    return this[MAKE_SIGNAL]?.();
  },
  enumerable: true,
  configurable: true,
};

function withSignalGetter(init: AttemptInit): AttemptInit {
  return Object.defineProperty(init, "signal", SIGNAL_GETTER);
}

function setIfAbsent(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}

const noRelease = (): void => undefined;
const neverCancelled: OnAttemptCancel = () => undefined;
