/**
 * Zoom user OAuth (the authorization-code grant of a General app): the authorization URL with `state`
 * and PKCE (S256), the code exchange, tokens per user in a `TokenStore`, refresh before expiry with
 * rotation of the refresh token, and revocation.
 *
 * Zoom rotates refresh tokens: each refresh answers a new refresh token and the old one stops working
 * ("Invalid Token!"). Two refreshes of one user at once, or a new pair lost before it was stored, lock
 * that user out until they authorise again. So refreshing is single-flight per user (per process, and
 * across processes when the store has `withLock`), the store is re-read under the lock, and the new
 * pair is stored before its access token is handed out.
 *
 * Web platform only (`fetch`, `crypto.subtle`, `crypto.getRandomValues`, `btoa`, `URLSearchParams`).
 */
import { createMemoryTokenStore, type AccessTokenProvider, type StoredToken, type TokenStore } from "../auth.js";
import { AuthError, ConfigError } from "../errors.js";
import type { FetchFunction } from "../types.js";
import { Secrets } from "../redact.js";

export interface ZoomUserOAuthOptions {
  /** The OAuth app's Client ID and Client Secret (sent as HTTP Basic to the token and revoke endpoints). */
  clientId: string;
  clientSecret: string;
  /** The redirect URL registered on the app; Zoom sends the user back there with `code` and `state`. */
  redirectUri: string;
  /** Where each user's tokens live, under `zoom-user:<clientId>:<userKey>`. Default: in this process's memory. */
  tokenStore?: TokenStore;
  /** An access token is refreshed once it has less than this left (ms). Default 60 000. */
  refreshMarginMs?: number;
  /** Timeout of each request to zoom.us (ms). Default 15 000. */
  timeoutMs?: number;
  /** Expiry of the store's cross-process refresh lock (ms), so a crashed holder does not stall others. Default 30 000. */
  lockTtlMs?: number;
  fetch?: FetchFunction;
  /** Default `https://zoom.us/oauth/authorize`. */
  authorizeUrl?: string;
  /** Default `https://zoom.us/oauth/token`. */
  tokenUrl?: string;
  /** Default `https://zoom.us/oauth/revoke`. */
  revokeUrl?: string;
}

/** What to keep (in the user's session) between sending the user to Zoom and the callback. */
export interface AuthorizationRequest {
  /** Send the user's browser here. */
  url: string;
  /** Compare with the callback's `state` (`exchangeCode` does). */
  state: string;
  /** The PKCE secret; keep it server-side, never in the URL. */
  codeVerifier: string;
}

export interface CodeExchange {
  /** Your name for this user: the key their tokens are stored under. */
  userKey: string;
  /** `code` and `state` from the callback's query. */
  code: string;
  state: string;
  /** From `authorizationUrl()`, kept in the session. */
  expectedState: string;
  codeVerifier: string;
}

export interface ZoomUserOAuth {
  /** A fresh authorization URL with a random `state` and a PKCE S256 challenge. */
  authorizationUrl(options?: { state?: string }): Promise<AuthorizationRequest>;
  /** Checks `state`, exchanges the code (with the PKCE verifier) and stores the user's tokens. */
  exchangeCode(exchange: CodeExchange): Promise<StoredToken>;
  /** A current access token for the user, refreshed (once, whoever asks) when it is about to expire. */
  getAccessToken(userKey: string, options?: { forceRefresh?: boolean; rejectedToken?: string }): Promise<string>;
  /** The user's token function, for `createZoomClient({ accessToken: userOAuth.accessToken(userKey) })`. */
  accessToken(userKey: string): AccessTokenProvider;
  /** Revokes the user's authorisation at Zoom and forgets their tokens. */
  revoke(userKey: string): Promise<void>;
}

const DEFAULTS = {
  authorizeUrl: "https://zoom.us/oauth/authorize",
  tokenUrl: "https://zoom.us/oauth/token",
  revokeUrl: "https://zoom.us/oauth/revoke",
  refreshMarginMs: 60_000,
  timeoutMs: 15_000,
  lockTtlMs: 30_000,
};
/** Zoom's access tokens last an hour; assumed when an answer has no `expires_in`. */
const DEFAULT_EXPIRES_IN_S = 3600;
/** A revoked user's record: no token until they authorise again (TokenStore has no delete). */
const REVOKED: StoredToken = { accessToken: "", expiresAt: 0 };

export function createZoomUserOAuth(options: ZoomUserOAuthOptions): ZoomUserOAuth {
  for (const field of ["clientId", "clientSecret", "redirectUri"] as const) {
    if (typeof options[field] !== "string" || options[field] === "") throw new ConfigError(`userOAuth.${field} must be a non-empty string.`);
  }
  const config = { ...DEFAULTS, ...definedOnly(options) };
  for (const field of ["refreshMarginMs", "timeoutMs", "lockTtlMs"] as const) {
    if (typeof config[field] !== "number" || !(config[field] >= 0)) throw new ConfigError(`userOAuth.${field} must be a number of ms ≥ 0.`);
  }
  // A refresh under the cross-process lock must end (or time out) before the lock can be taken over.
  if (config.lockTtlMs <= config.timeoutMs) throw new ConfigError("userOAuth.lockTtlMs must be longer than userOAuth.timeoutMs.");
  const store = options.tokenStore ?? createMemoryTokenStore();
  const doFetch: FetchFunction = options.fetch ?? ((url, init) => fetch(url, init));
  const secrets = new Secrets();
  const basic = base64(`${options.clientId}:${options.clientSecret}`);
  secrets.add(options.clientSecret);
  secrets.add(basic);
  const keyOf = (userKey: string) => {
    if (typeof userKey !== "string" || userKey === "") throw new ConfigError("userKey must be a non-empty string (your name for the user).");
    return `zoom-user:${options.clientId}:${userKey}`;
  };
  /** Refreshes in flight in this process, per store key. */
  const inflight = new Map<string, Promise<StoredToken>>();
  const fresh = (token: StoredToken | undefined): token is StoredToken =>
    token !== undefined && token.accessToken !== "" && token.expiresAt - Date.now() > config.refreshMarginMs;

  /**
   * POSTs a form to a zoom.us endpoint with the app's Basic credentials; returns the parsed JSON answer.
   * `secret` names the form fields whose values must never be shown (codes, verifiers, tokens).
   */
  async function post(url: string, form: Record<string, string>, secret: readonly string[], what: string): Promise<Record<string, unknown>> {
    for (const field of secret) secrets.add(form[field]);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (error) {
      // Not retried: a refresh that reached Zoom may have rotated the token already (safe side).
      throw new AuthError(`${what} failed: no answer from ${url}: ${secrets.scrub(error instanceof Error ? error.message : String(error))}`);
    }
    // Tokens are parsed from the raw text; only what is shown is scrubbed.
    const raw = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = raw === "" ? {} : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (!response.ok || !isRecord(body)) {
      const text = secrets.scrub(raw);
      const reason = isRecord(body) ? secrets.scrub([body.error, body.reason].filter((p) => typeof p === "string" && p !== "").join(": ")) : "";
      const relogin = response.status === 400 || response.status === 401 ? " The user must authorise the app again." : "";
      throw new AuthError(`${what} failed: ${url} answered ${response.status}${reason ? `: ${reason}` : ""}.${relogin}`, { status: response.status, body: text });
    }
    return body;
  }

  function tokenFrom(body: Record<string, unknown>, previousRefresh: string | undefined, what: string): StoredToken {
    const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn, scope } = body;
    if (typeof accessToken !== "string" || accessToken === "") throw new AuthError(`${what} failed: the answer has no access_token.`);
    secrets.add(accessToken);
    if (typeof refreshToken === "string") secrets.add(refreshToken);
    const seconds = typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S;
    const token: StoredToken = { accessToken, expiresAt: Date.now() + seconds * 1000 };
    // RFC 6749 §6: without a new refresh token, the old one stays valid. Zoom always sends one.
    const refresh = typeof refreshToken === "string" && refreshToken !== "" ? refreshToken : previousRefresh;
    if (refresh !== undefined) token.refreshToken = refresh;
    if (typeof scope === "string") token.scope = scope;
    return token;
  }

  async function save(key: string, token: StoredToken, what: string): Promise<void> {
    try {
      await store.set(key, token);
    } catch (error) {
      // The rotated refresh token exists nowhere else: handing its access token out unstored would risk
      // locking the user out on the next restart, so the call fails and says why.
      throw new AuthError(`${what}: the new tokens could not be stored (${secrets.scrub(error instanceof Error ? error.message : String(error))}). Check the token store.`, {
        cause: error,
      });
    }
  }

  async function read(key: string): Promise<StoredToken | undefined> {
    let token: StoredToken | undefined;
    try {
      token = await store.get(key);
    } catch (error) {
      throw new AuthError(`Could not read the user's tokens from the token store: ${secrets.scrub(error instanceof Error ? error.message : String(error))}`, {
        cause: error,
      });
    }
    if (token === undefined) return undefined;
    secrets.add(token.accessToken);
    secrets.add(token.refreshToken);
    return token;
  }

  /**
   * The one refresh of a user's tokens; run under the store's lock when it has one. `stale` is the
   * access token that made the caller refresh (expiring, or rejected by Zoom).
   */
  async function refresh(key: string, stale: string | undefined, rejected: boolean): Promise<StoredToken> {
    // Another process (or an earlier flight) may have refreshed while this one waited for the lock:
    // a different, unexpired token is theirs, and refreshing again would only rotate it once more.
    const stored = await read(key);
    const replaced = stored !== undefined && stored.accessToken !== "" && stored.accessToken !== stale && stored.expiresAt > Date.now();
    if (replaced || (!rejected && fresh(stored))) return stored;
    if (stored?.refreshToken === undefined || stored.refreshToken === "") {
      throw new AuthError("No refresh token for this user: they must authorise the app (again).");
    }
    const what = "Refreshing the user's Zoom token";
    const body = await post(config.tokenUrl, { grant_type: "refresh_token", refresh_token: stored.refreshToken }, ["refresh_token"], what);
    const token = tokenFrom(body, stored.refreshToken, what);
    await save(key, token, what);
    return token;
  }

  function singleFlight(key: string, stale: string | undefined, rejected: boolean): Promise<StoredToken> {
    let flight = inflight.get(key);
    if (flight === undefined) {
      const run = () => refresh(key, stale, rejected);
      flight = (store.withLock ? store.withLock(key, config.lockTtlMs, run) : run()).finally(() => inflight.delete(key));
      inflight.set(key, flight);
    }
    return flight;
  }

  const oauth: ZoomUserOAuth = {
    async authorizationUrl({ state = randomToken(16) } = {}) {
      const codeVerifier = randomToken(32); // 43 characters, within RFC 7636's 43..128
      const challenge = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier))));
      const url = new URL(config.authorizeUrl);
      url.search = new URLSearchParams({
        response_type: "code",
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        state,
        code_challenge: challenge,
        code_challenge_method: "S256",
      }).toString();
      return { url: url.href, state, codeVerifier };
    },

    async exchangeCode({ userKey, code, state, expectedState, codeVerifier }) {
      const key = keyOf(userKey);
      if (typeof state !== "string" || typeof expectedState !== "string" || expectedState === "" || !sameText(state, expectedState)) {
        throw new AuthError("The authorization callback's state does not match the one sent: refusing the code (a forged or stale callback).");
      }
      if (typeof code !== "string" || code === "") throw new AuthError("The authorization callback carries no code.");
      const what = "Exchanging the authorization code";
      const body = await post(
        config.tokenUrl,
        { grant_type: "authorization_code", code, redirect_uri: options.redirectUri, code_verifier: codeVerifier },
        ["code", "code_verifier"],
        what,
      );
      const token = tokenFrom(body, undefined, what);
      await save(key, token, what);
      return token;
    },

    async getAccessToken(userKey, { forceRefresh = false, rejectedToken } = {}) {
      const key = keyOf(userKey);
      const stored = await read(key);
      if (!forceRefresh && fresh(stored)) return stored.accessToken;
      return (await singleFlight(key, forceRefresh ? (rejectedToken ?? stored?.accessToken) : stored?.accessToken, forceRefresh)).accessToken;
    },

    accessToken: (userKey) => (request) => oauth.getAccessToken(userKey, request ?? {}),

    async revoke(userKey) {
      const key = keyOf(userKey);
      const stored = await read(key);
      const token = stored?.accessToken || stored?.refreshToken;
      // Revoking at Zoom ends the whole authorisation (access and refresh token).
      if (token) await post(config.revokeUrl, { token }, ["token"], "Revoking the user's Zoom token");
      await save(key, REVOKED, "Revoking the user's Zoom token");
    },
  };
  return oauth;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Compares without stopping at the first difference (a callback's state is attacker-controlled). */
function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return difference === 0;
}

function randomToken(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
