/**
 * Where access tokens come from: a static token, the caller's token function, or Server-to-Server
 * OAuth (the `account_credentials` grant) with a cache, a pluggable store shared between processes,
 * and one token request in flight at a time however many calls wait.
 */
import { AbortError, AuthError, ConfigError, describeValue, TimeoutError } from "./errors.js";
import type { ApiProfile } from "./profile.js";
import { redactUrl, type Secrets } from "./redact.js";
import { decideRetry, sleep, type Failure } from "./retry.js";
import { AttemptFailure, sendAttempt } from "./send.js";
import type { FetchFunction, RetryOptions } from "./types.js";

/** What a token function is told: `forceRefresh` is true after the API rejected `rejectedToken` (Zoom: 401, code 124). */
export interface TokenRequest {
  forceRefresh: boolean;
  /** The token the API rejected, when `forceRefresh` is true. */
  rejectedToken?: string;
}

/**
 * Returns a current access token. Called before every attempt, so it should cache; after the API
 * rejected the token (any 401; Zoom: code 124) it is called once with `{ forceRefresh: true }` and the request is retried once with
 * what it returns.
 */
export type AccessTokenProvider = (request?: TokenRequest) => string | Promise<string>;

/** Server-to-Server OAuth credentials (the `account_credentials` grant, as Zoom's S2S OAuth apps use it). */
export interface OAuthOptions {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Token endpoint. Required, except with a profile that has a default (Zoom: `https://zoom.us/oauth/token`). */
  tokenUrl?: string;
}

/**
 * The `oauth` option with the code that fetches tokens attached: what `serverToServerOAuth()` returns.
 * A lean client (`createCallRuntime`, a generated `create…ClientCore`) takes `oauth` only in this form, so
 * a bundle carries the OAuth code only when the app imports it.
 */
export interface ServerToServerOAuth extends OAuthOptions {
  readonly setUp: OAuthSetUp;
}

/** The client options OAuth reads (checked by `setUpServerToServerOAuth`, not by the core). */
export interface OAuthSettings {
  oauth: unknown;
  tokenStore?: unknown;
  tokenRefreshMarginMs?: unknown;
  tokenLockTtlMs?: unknown;
}

/** What a client needs from its transport to fetch tokens. */
export interface OAuthClientDeps {
  fetch: FetchFunction;
  userAgent: string;
  timeoutMs: number;
  retry: RetryOptions;
  secrets: Secrets;
  profile: ApiProfile;
}

/** Checks the OAuth options (throws `ConfigError` naming the option) and returns how to make the token source. */
export type OAuthSetUp = (settings: OAuthSettings, secrets: Secrets, profile: ApiProfile) => (deps: OAuthClientDeps) => TokenSource;

/** Where a client's bearer tokens come from, after checking its options. */
export type TokenConfig =
  | { kind: "static"; token: string }
  | { kind: "provider"; provider: AccessTokenProvider }
  | { kind: "oauth"; source: (deps: OAuthClientDeps) => TokenSource };

/** Default margin before expiry at which a cached OAuth token is replaced: 60 s. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** Why a client that needs a bearer token and was given none is refused. */
export const NO_ACCESS_TOKEN =
  "No access token: pass `accessToken` (a string, or a function that returns a current token) " +
  "or `oauth: { accountId, clientId, clientSecret }` for Server-to-Server OAuth.";

/**
 * Server-to-Server OAuth for a lean client: `createZoomClientCore({ oauth: serverToServerOAuth({ accountId,
 * clientId, clientSecret }) })`. The full client (`createRuntime`) takes the plain object too.
 */
export function serverToServerOAuth(options: OAuthOptions): ServerToServerOAuth {
  return { ...options, setUp: setUpServerToServerOAuth };
}

/** The checks of `oauth`, `tokenStore`, `tokenRefreshMarginMs` and `tokenLockTtlMs`, then the token source's maker. */
export const setUpServerToServerOAuth: OAuthSetUp = (settings, secrets, profile) => {
  const { oauth, tokenStore, tokenRefreshMarginMs, tokenLockTtlMs } = settings as {
    oauth: Partial<Record<keyof OAuthOptions, unknown>> | null;
    tokenStore?: Partial<TokenStore> | null;
    tokenRefreshMarginMs?: unknown;
    tokenLockTtlMs?: unknown;
  };
  if (typeof oauth !== "object" || oauth === null) {
    throw new ConfigError(`\`oauth\` must be an object { accountId, clientId, clientSecret, tokenUrl? }, not ${describeValue(oauth)}.`);
  }
  for (const field of ["accountId", "clientId", "clientSecret"] as const) {
    const value = oauth[field];
    // The value itself is never shown: it may be a secret.
    if (typeof value !== "string" || value === "") {
      throw new ConfigError(`\`oauth.${field}\` must be a non-empty string (from the Server-to-Server OAuth app's App Credentials page), not ${describeValue(value)}.`);
    }
  }
  if (oauth.tokenUrl !== undefined) checkHttpUrl(oauth.tokenUrl, "oauth.tokenUrl");
  // Only a profile knows its API's token endpoint: a generic client never guesses where to send credentials.
  const tokenUrl = (oauth.tokenUrl as string | undefined) ?? profile.oauthTokenUrl;
  if (tokenUrl === undefined) throw new ConfigError("`oauth.tokenUrl` is required: this API has no default token endpoint.");
  if (tokenStore !== undefined && (typeof tokenStore?.get !== "function" || typeof tokenStore?.set !== "function")) {
    throw new ConfigError("`tokenStore` must have `get(key)` and `set(key, token)` methods.");
  }
  const margin = tokenRefreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  if (typeof margin !== "number" || !Number.isFinite(margin) || margin < 0) {
    throw new ConfigError(`\`tokenRefreshMarginMs\` must be a number of ms, 0 or more, not ${String(margin)}.`);
  }
  const lockTtlMs = tokenLockTtlMs ?? DEFAULT_TOKEN_LOCK_TTL_MS;
  if (typeof lockTtlMs !== "number" || !Number.isFinite(lockTtlMs) || lockTtlMs <= 0) {
    throw new ConfigError(`\`tokenLockTtlMs\` must be a number of ms above 0, not ${String(lockTtlMs)}.`);
  }
  if (tokenStore?.withLock !== undefined && typeof tokenStore.withLock !== "function") {
    throw new ConfigError("`tokenStore.withLock` must be a function (key, ttlMs, fn) when present.");
  }
  const credentials = { accountId: oauth.accountId as string, clientId: oauth.clientId as string, clientSecret: oauth.clientSecret as string, tokenUrl };
  secrets.add(credentials.clientSecret);
  const store = tokenStore as TokenStore | undefined;
  return (deps) => oauthTokenSource(credentials, { ...deps, refreshMarginMs: margin, lockTtlMs, store: store ?? createMemoryTokenStore() });
};

function checkHttpUrl(value: unknown, name: string): void {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ConfigError(`\`${name}\` must be an absolute http(s) URL, e.g. https://auth.example.com/oauth/token.`);
  }
}


/** A cached access token. */
export interface StoredToken {
  accessToken: string;
  /** When it expires, in ms since the epoch. */
  expiresAt: number;
  /** User OAuth: the refresh token issued with `accessToken` (Zoom rotates it on every refresh). */
  refreshToken?: string;
  /** The scopes granted, as the token endpoint listed them. */
  scope?: string;
}

/**
 * Where OAuth tokens are kept, so several clients or processes can share one (a Redis or database
 * table, say). `get` returns what `set` stored under the key, or undefined; either may be async.
 * Keys name the account and client id, never the secret.
 */
export interface TokenStore {
  get(key: string): StoredToken | undefined | Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): void | Promise<void>;
  /**
   * Optional: run `fn` while holding a lock on `key` shared by every process using the store; the lock
   * expires after `ttlMs` so a crashed holder does not stall others. Without it, single-flight is per process.
   */
  withLock?<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
}

/** A token store in this process's memory: the default, one per client. Its lock is per process. */
export function createMemoryTokenStore(): TokenStore {
  const tokens = new Map<string, StoredToken>();
  const locks = new Map<string, { done: Promise<unknown>; until: number }>();
  return {
    get: (key) => tokens.get(key),
    set: (key, token) => void tokens.set(key, token),
    async withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
      // Queue behind the current holder, but never past its lease: a hung holder must not stall us.
      for (let held = locks.get(key); held !== undefined && held.until > Date.now(); held = locks.get(key)) {
        await settledOrAfter(held.done, held.until - Date.now());
      }
      const lease = { done: fn(), until: Date.now() + ttlMs };
      locks.set(key, lease);
      try {
        return (await lease.done) as T;
      } finally {
        if (locks.get(key) === lease) locks.delete(key);
      }
    },
  };
}

/** Resolves when `promise` settles or `ms` have passed, whichever comes first. */
function settledOrAfter(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

/** Default lease of the store lock around an OAuth token request: 10 s. */
export const DEFAULT_TOKEN_LOCK_TTL_MS = 10_000;

/** Gives the transport tokens. */
export interface TokenSource {
  /** A current token. Rejects with `AuthError`, or `AbortError` when `signal` aborts while waiting. */
  get(signal: AbortSignal | undefined): Promise<string>;
  /** A fresh token after the API rejected `rejected`, or undefined when this source cannot refresh. */
  refresh(rejected: string, signal: AbortSignal | undefined): Promise<string | undefined>;
}

/** What the OAuth token source needs from the client. */
export interface TokenSourceDeps {
  fetch: FetchFunction;
  userAgent: string;
  timeoutMs: number;
  retry: RetryOptions;
  refreshMarginMs: number;
  store: TokenStore;
  /** Lease of the store's lock (`TokenStore.withLock`) around a token request; default 10 s. */
  lockTtlMs?: number;
  secrets: Secrets;
  /** For the store key's prefix and the token endpoint's error bodies. */
  profile: ApiProfile;
}

/** A static token: no refresh is possible. */
export function staticTokenSource(token: string): TokenSource {
  return { get: () => Promise.resolve(token), refresh: () => Promise.resolve(undefined) };
}

/** The caller's token function, asked before every attempt, and once with `forceRefresh` after a code 124. */
export function providerTokenSource(provider: AccessTokenProvider, secrets: Secrets): TokenSource {
  const ask = async (request: TokenRequest, signal: AbortSignal | undefined): Promise<string> => {
    let token: unknown;
    try {
      token = await untilAborted(Promise.resolve().then(() => provider(request)), signal);
    } catch (error) {
      if (error instanceof AbortError) throw error;
      throw new AuthError(
        `Could not get an access token: the accessToken function failed: ${secrets.scrub(describe(error))}`,
        { cause: error },
      );
    }
    if (typeof token !== "string" || token === "") {
      throw new AuthError("Could not get an access token: the accessToken function returned no token (expected a non-empty string).");
    }
    secrets.add(token);
    return token;
  };
  return {
    get: (signal) => ask({ forceRefresh: false }, signal),
    // Whatever the function returns now is the fresh token, even the same string: it is the authority.
    refresh: (rejected, signal) => ask({ forceRefresh: true, rejectedToken: rejected }, signal),
  };
}

/**
 * Server-to-Server OAuth: tokens are fetched with the `account_credentials` grant, kept in the store,
 * and reused until `refreshMarginMs` before they expire. One token request is in flight at a time:
 * concurrent calls wait for the same one.
 */
export function oauthTokenSource(oauth: OAuthOptions & { tokenUrl: string }, deps: TokenSourceDeps): TokenSource {
  const tokenUrl = new URL(oauth.tokenUrl);
  tokenUrl.searchParams.set("grant_type", "account_credentials");
  tokenUrl.searchParams.set("account_id", oauth.accountId);
  const credentials = `${oauth.clientId}:${oauth.clientSecret}`;
  const basic = base64(credentials);
  deps.secrets.add(oauth.clientSecret);
  deps.secrets.add(credentials);
  deps.secrets.add(basic);
  const key = `${deps.profile.tokenKeyPrefix}:${oauth.accountId}:${oauth.clientId}`;
  const shownUrl = redactUrl(tokenUrl.href, deps.secrets);

  let current: StoredToken | undefined;
  let inflight: Promise<StoredToken> | undefined;
  const fresh = (token: StoredToken | undefined): token is StoredToken =>
    token !== undefined && token.expiresAt - Date.now() > deps.refreshMarginMs;

  // One shared request: it is not tied to any caller's signal, since others may be waiting for it.
  const load = (skip: string | undefined): Promise<StoredToken> => {
    const usableStored = async (): Promise<StoredToken | undefined> => {
      const stored = await readStore(deps.store, key);
      return fresh(stored) && stored.accessToken !== skip ? stored : undefined;
    };
    const fetchUnlessStored = async (): Promise<StoredToken> => {
      const stored = await usableStored();
      if (stored !== undefined) return stored;
      const token = await requestToken(tokenUrl, shownUrl, basic, deps);
      deps.secrets.add(token.accessToken);
      await writeStore(deps.store, key, token);
      return token;
    };
    // Another process may be fetching: when the store is empty, take its lock, then read it again before fetching.
    inflight ??= (async () =>
      (await usableStored()) ?? withStoreLock(deps.store, key, deps.lockTtlMs ?? DEFAULT_TOKEN_LOCK_TTL_MS, fetchUnlessStored))().finally(() => {
      inflight = undefined;
    });
    inflight.catch(() => undefined); // waiters that gave up (aborted) must not leave it unhandled
    return inflight;
  };

  const obtain = async (skip: string | undefined, signal: AbortSignal | undefined): Promise<string> => {
    let token = await untilAborted(load(skip), signal);
    // A request already in flight when the API rejected `skip` may have returned it from the store.
    if (skip !== undefined && token.accessToken === skip) token = await untilAborted(load(skip), signal);
    current = token;
    deps.secrets.add(token.accessToken);
    return token.accessToken;
  };

  return {
    get: (signal) => (fresh(current) ? Promise.resolve(current.accessToken) : obtain(undefined, signal)),
    refresh: async (rejected, signal) => {
      // Another call may have replaced the rejected token already.
      if (fresh(current) && current.accessToken !== rejected) return current.accessToken;
      if (current?.accessToken === rejected) current = undefined;
      const token = await obtain(rejected, signal);
      return token === rejected ? undefined : token;
    },
  };
}

/** One token request, retried like an idempotent call (network failures, timeouts, 429, 5xx). */
async function requestToken(url: URL, shownUrl: string, basic: string, deps: TokenSourceDeps): Promise<StoredToken> {
  const where = `POST ${shownUrl}`;
  for (let attempt = 1; ; attempt++) {
    let failure: Failure;
    let response: Response | undefined;
    try {
      response = await sendAttempt(
        url.href,
        { method: "POST", headers: { Authorization: `Basic ${basic}`, Accept: "application/json", "User-Agent": deps.userAgent } },
        {
          fetch: deps.fetch,
          timeoutMs: deps.timeoutMs,
          signal: undefined,
          info: { operationId: "OAuth token request", method: "POST", url: shownUrl },
          attempt,
          secrets: deps.secrets,
        },
      );
      failure = { kind: "response", status: response.status, headers: response.headers };
    } catch (error) {
      if (!(error instanceof AttemptFailure)) throw error;
      failure = error.error instanceof TimeoutError ? { kind: "timeout" } : { kind: "network", sent: error.sent };
      const decision = decideRetry(failure, attempt - 1, deps.retry, true);
      if (!decision.retry) {
        throw new AuthError(
          `Could not get an access token: the token endpoint (${where}) did not answer: ${error.error.message} ` +
            "Check tokenUrl and the network.",
          { cause: error.error },
        );
      }
      await sleep(decision.delayMs, undefined, (when) => new AuthError(`The OAuth token request was aborted ${when}.`));
      continue;
    }
    const raw = await response.text();
    // The token itself is parsed from the raw text; only what may be shown is scrubbed.
    if (response.ok) return parseToken(raw, where, response.status, deps.secrets);
    const text = deps.secrets.scrub(raw);
    const decision = decideRetry(failure, attempt - 1, deps.retry, true);
    if (decision.retry) {
      await sleep(decision.delayMs, undefined, (when) => new AuthError(`The OAuth token request was aborted ${when}.`));
      continue;
    }
    throw new AuthError(
      `Could not get an access token: the token endpoint (${where}) answered ${response.status}` +
        `${reasonOf(text, deps.profile)}. ${hintFor(response.status)}`,
      { status: response.status, body: text },
    );
  }
}

function parseToken(raw: string, where: string, status: number, secrets: Secrets): StoredToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AuthError(`Could not get an access token: the token endpoint (${where}) answered ${status} with a body that is not JSON.`, {
      status,
      body: secrets.scrub(raw),
    });
  }
  const { access_token: accessToken, expires_in: expiresIn } = (parsed ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof accessToken !== "string" || accessToken === "") {
    throw new AuthError(`Could not get an access token: the token endpoint (${where}) answered ${status} without an access_token.`, {
      status,
      body: secrets.scrub(raw),
    });
  }
  // Zoom's tokens last 3600 s; assume so when the answer does not say.
  const seconds = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600;
  return { accessToken, expiresAt: Date.now() + seconds * 1000 };
}

/** A token endpoint explains itself in `reason`/`error` (OAuth) or its API's error body (Zoom: `code`/`message`). */
function reasonOf(text: string, profile: ApiProfile): string {
  try {
    const parsed = JSON.parse(text) as { reason?: unknown; error?: unknown };
    const parts = [parsed.error, parsed.reason].filter((p): p is string => typeof p === "string" && p !== "");
    if (parts.length > 0) return `: ${parts.join(": ")}`;
  } catch {
    // not JSON: fall through to the API's error shape or nothing
  }
  const { code, message } = profile.parseErrorBody(text);
  return message ? `: ${code !== undefined ? `code ${code}: ` : ""}${message}` : "";
}

function hintFor(status: number): string {
  if (status === 400 || status === 401 || status === 403) {
    return "Check oauth.accountId, oauth.clientId and oauth.clientSecret (the Server-to-Server OAuth app's credentials) and that the app is activated.";
  }
  if (status === 429) return "The token endpoint is rate limited; cache tokens (the default) or share them with a tokenStore.";
  return "The token endpoint failed; retrying later may succeed.";
}

async function readStore(store: TokenStore, key: string): Promise<StoredToken | undefined> {
  try {
    const token = await store.get(key);
    return token && typeof token.accessToken === "string" && typeof token.expiresAt === "number" ? token : undefined;
  } catch {
    return undefined; // an unavailable store costs a token request, not the call
  }
}

/**
 * Runs `fn` under the store's lock when it has one. A lock that cannot be taken (the store is down)
 * costs the cross-process single-flight, not the call: `fn` then runs unlocked.
 */
async function withStoreLock<T>(store: TokenStore, key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  if (typeof store.withLock !== "function") return fn();
  let ran = false;
  try {
    return await store.withLock(key, ttlMs, () => {
      ran = true;
      return fn();
    });
  } catch (error) {
    if (ran) throw error;
    return fn();
  }
}

async function writeStore(store: TokenStore, key: string, token: StoredToken): Promise<void> {
  try {
    await store.set(key, token);
  } catch {
    // The token is still used by this client; the store only helps others.
  }
}

/** Waits for `promise`, or rejects with `AbortError` as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  const abortError = () => new AbortError("The request was aborted by its AbortSignal while waiting for an access token.");
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Base64 of the UTF-8 bytes (`btoa` alone accepts Latin-1 only). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
