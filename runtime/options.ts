/**
 * Client options: the public `ClientOptions` type and its check at creation time, so a wrong option
 * fails when the client is made, not on the first request. docs/RUNTIME.md documents each one.
 */
import type { AccessTokenProvider, OAuthOptions, OAuthSetUp, ServerToServerOAuth, TokenConfig, TokenStore } from "./auth.js";
import { checkHeaders } from "./encoding.js";
import { ConfigError, describeValue as describe } from "./errors.js";
import type { Extras, ExtrasSetUp } from "./extras.js";
import type { Hooks } from "./hooks.js";
import type { ApiProfile } from "./profile.js";
import type { RateBudget } from "./rate-budget.js";
import { Secrets } from "./redact.js";
import { DEFAULT_RETRY } from "./retry.js";
import type { AuthOptions, CredentialsFactory, SecurityMeta } from "./security.js";
import type { BodyEncodings, CallInput, FetchFunction, OperationSpec, ParameterStyles, RetryOptions } from "./types.js";

export type { AccessTokenProvider, TokenConfig } from "./auth.js";
export { DEFAULT_REFRESH_MARGIN_MS } from "./auth.js";
import { NO_ACCESS_TOKEN } from "./auth.js";

export type { FetchFunction } from "./types.js";

/** Default timeout of one attempt: 60 s. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Checks one call's input before it is sent; throws `ValidationError`. `validateInput` (validation.ts) is the schema checker's. */
export type InputValidator = (operation: OperationSpec, input: CallInput) => void;

/**
 * What a client is built with besides its options: the full client (`createRuntime`) brings the schema
 * checker and Server-to-Server OAuth; a lean one (`createCallRuntime`) brings neither, so its bundle
 * carries them only when the app passes them (`validate: validateInput`, `oauth: serverToServerOAuth(...)`).
 */
export interface BuiltIns {
  validateInput?: InputValidator;
  oauth?: OAuthSetUp;
  /** The credentials of every security scheme (security-schemes.ts), for a spec whose client does not pass them. */
  credentials?: CredentialsFactory;
  /** Every option checked, with a message naming it (option-checks.ts); the lean client checks less. */
  checkOptions?: (options: ClientOptions<object>, meta: RuntimeMeta) => void;
  /** Parameter styles and body encodings for operations that do not carry their own (hand-written specs). */
  parameterStyles?: ParameterStyles;
  bodyEncodings?: BodyEncodings;
  /** The transport when the app passes no `fetch` (the full client's: node:http in Node, node-http-fetch.ts); else the global fetch. */
  fetch?: FetchFunction | undefined;
  /** Hooks, the shared rate budget and the concurrency cap (extras.ts). */
  extras?: ExtrasSetUp;
}

/**
 * Options of a generated client. Credentials: `auth`, one entry per security scheme of the spec
 * (typed by the generated client); `accessToken` (a string or a function) or `oauth` (Server-to-Server
 * OAuth) serve every bearer-type scheme (HTTP bearer, OAuth 2, OpenID Connect) that `auth` does not
 * name. Everything else has a default.
 */
export interface ClientOptions<Auth extends object = AuthOptions> {
  /** A credential per security scheme of the spec, by scheme name (docs/RUNTIME.md, "Security schemes"). */
  auth?: Auth;
  /** An access token, or a function returning a current one. Sent as `Authorization: Bearer <token>`. */
  accessToken?: string | AccessTokenProvider;
  /**
   * Server-to-Server OAuth: the SDK fetches tokens itself (`account_credentials` grant), caches them
   * until `tokenRefreshMarginMs` before expiry, and shares one token request among concurrent calls.
   * A lean client (`create…ClientCore`) takes it as `serverToServerOAuth({ accountId, clientId, clientSecret })`.
   */
  oauth?: OAuthOptions | ServerToServerOAuth;
  /** Where OAuth tokens are cached; share one between processes to share tokens. Default: in memory. */
  tokenStore?: TokenStore;
  /** How long before expiry a cached OAuth token is replaced, in ms (default 60 000). */
  tokenRefreshMarginMs?: number;
  /**
   * Lease in ms of the `tokenStore`'s lock around one token request (default 10 000), for stores with
   * `withLock`: if the process holding it dies, the others wait at most this long before fetching themselves.
   */
  tokenLockTtlMs?: number;
  /** API root, e.g. `https://api.example.com/v1`. Defaults to the spec's (chosen) server URL. */
  baseUrl?: string;
  /** Which of the spec's `servers` to use, by index (default 0); ignored when `baseUrl` is given. */
  server?: number;
  /** Values for the chosen server's `{variables}`, overriding the spec's defaults (checked against its `enum`). */
  serverVariables?: Record<string, string>;
  /** The `fetch` to use (a proxy-aware or instrumented one, say). Defaults to the global `fetch`. */
  fetch?: FetchFunction;
  /** Headers sent with every request (a request's own headers win). `Authorization` comes from the token. */
  headers?: Record<string, string>;
  /**
   * Validate inputs against the spec before sending. The full client: `true` by default. A lean client
   * (`create…ClientCore`) validates only when given the checker: `validate: validateInput`. A call can
   * switch it off (or on, when the client has a checker).
   */
  validate?: boolean | InputValidator;
  /**
   * Timeout of each attempt in ms, from sending until the whole body has arrived (default 60 000);
   * `Infinity` for none. A call can override it.
   */
  timeoutMs?: number;
  /** Retry policy (default `{ maxRetries: 2, initialDelayMs: 500, maxDelayMs: 30000 }`), or `false` for none. */
  retry?: Partial<RetryOptions> | false;
  /** At most this many requests of this client in flight at once; others queue. Default: no cap. */
  maxConcurrentRequests?: number;
  /** Observers for logging and metrics; they receive redacted data. */
  hooks?: Hooks;
  /**
   * A rate budget shared by every process of the account (e.g. `createRedisRateBudget` from
   * `@zoomgen/runtime/redis`): each attempt of an operation with a rate-limit label waits for it. Default: none.
   */
  rateBudget?: RateBudget;
  /**
   * The code behind `hooks`, `rateBudget` and `maxConcurrentRequests`, for a lean client (`create…ClientCore`):
   * `extras: transportExtras`. The full client has it built in.
   */
  extras?: ExtrasSetUp;
}

/** Facts about the generated SDK, passed by generated code. */
export interface RuntimeMeta {
  /** Package name, sent in `User-Agent`. */
  sdkName: string;
  sdkVersion: string;
  /** Base URL used when `ClientOptions.baseUrl` is not given and the spec lists no `servers`. */
  defaultBaseUrl: string;
  /** The spec's servers, URL templates with their variables' defaults. */
  servers?: readonly ServerSpec[];
  /** The API's rules (error bodies, token rejection, rate limits...); default: the generic profile. */
  profile?: ApiProfile;
  /** The spec's security schemes; without it, the token goes as a bearer token on every request and is required. */
  security?: SecurityMeta;
}

/** One of the spec's `servers`. */
export interface ServerSpec {
  url: string;
  variables: Readonly<Record<string, { readonly default: string; readonly enum?: readonly string[] }>>;
}

/**
 * The base URL when `baseUrl` is not given: the chosen server's URL template with each `{variable}`
 * filled from `serverVariables`, else its default. The full client checks the index, the names and the
 * `enum`s first (option-checks.ts); here a wrong index is refused, nothing more.
 */
function serverUrl(options: ClientOptions<object>, meta: RuntimeMeta): string {
  const servers = meta.servers ?? [];
  if (servers.length === 0) return meta.defaultBaseUrl;
  const server = servers[options.server ?? 0];
  if (server === undefined) throw new ConfigError(`\`server\` must be an index from 0 to ${servers.length - 1} into the spec's servers, not ${String(options.server)}.`);
  const values: Record<string, string> = options.serverVariables ?? {};
  return server.url.replace(/\{([^{}]+)\}/g, (match, name: string) => values[name] ?? server.variables[name]?.default ?? match);
}

/** Options after checking and defaulting. */
export interface ResolvedOptions {
  /** The bearer token source of `accessToken` / `oauth`; undefined when neither was given (and the spec's security allows it). */
  token: TokenConfig | undefined;
  /** The spec's security and the `auth` option, checked when the transport is made (security.ts). */
  security: SecurityMeta | undefined;
  auth: unknown;
  /** Absolute http(s) URL without a trailing slash. */
  baseUrl: string;
  fetch: FetchFunction;
  headers: Readonly<Record<string, string>>;
  validate: boolean;
  /** Checks an input when `validate` (the client's, or the call's) says so. */
  validateInput: InputValidator;
  userAgent: string;
  timeoutMs: number;
  retry: Readonly<RetryOptions>;
  /** Hooks, rate budget and concurrency cap; undefined when the client uses none of them. */
  extras: Extras | undefined;
  /** The client's credentials, for scrubbing them out of everything it produces. */
  secrets: Secrets;
  profile: ApiProfile;
  /** The full client's, for operations that do not carry their own (`OperationSpec.parameterStyles`, `.bodyEncodings`). */
  parameterStyles: ParameterStyles | undefined;
  bodyEncodings: BodyEncodings | undefined;
}

/** The default `fetch`: the global one as it is when a request is sent (so a fetch patched later is used). */
export const globalFetch: FetchFunction = (url, init) => globalThis.fetch(url, init);

/**
 * Applies defaults and makes the checks every client needs (a token source, the opt-ins, header values,
 * the base URL); throws `ConfigError` (or `ValidationError` for headers). `profile` is the API's (the
 * caller resolves `meta.profile`, so a client of one profile does not carry the other). `builtIns` are
 * what the client carries without being asked (see `BuiltIns`): the full client's `checkOptions` checks
 * every option first, with a message naming it.
 */
export function resolveOptions(options: ClientOptions<object>, meta: RuntimeMeta, profile: ApiProfile, builtIns: BuiltIns = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError("Client options must be an object, e.g. { accessToken: '...' }.");
  }
  const { fetch, headers, validate, hooks, rateBudget, maxConcurrentRequests } = options;
  const secrets = new Secrets();
  const token = resolveToken(options, secrets, profile, meta.security !== undefined, builtIns.oauth);
  builtIns.checkOptions?.(options, meta);
  if (fetch === undefined && typeof globalThis.fetch !== "function") {
    throw new ConfigError("This platform has no global `fetch`; pass one as the `fetch` option.");
  }
  const validator = typeof validate === "function" ? validate : builtIns.validateInput;
  if (validate === true && validator === undefined) throw new ConfigError(NO_CHECKER);
  checkHeaders(headers, "options.headers");
  const extras = options.extras ?? builtIns.extras;
  if (extras === undefined && (rateBudget !== undefined || maxConcurrentRequests !== undefined || Object.values(hooks ?? {}).some((hook) => hook !== undefined))) {
    throw new ConfigError(
      "`hooks`, `rateBudget` and `maxConcurrentRequests` need code this lean client leaves out of its bundle until asked: " +
        "pass `extras: transportExtras` (exported with the client), or use the full client.",
    );
  }
  return {
    token,
    security: meta.security === undefined || builtIns.credentials === undefined ? meta.security : { credentials: builtIns.credentials, ...meta.security },
    auth: options.auth,
    baseUrl: checkBaseUrl(options.baseUrl ?? serverUrl(options, meta)),
    // Called through a closure: calling the global fetch as a method of another object throws in browsers,
    // and reading it late lets a polyfill installed after creation still work.
    fetch: fetch ?? builtIns.fetch ?? globalFetch,
    headers: { ...headers },
    validate: validate === undefined ? validator !== undefined : validate !== false,
    validateInput: validator ?? noChecker,
    userAgent: `${meta.sdkName}/${meta.sdkVersion}`,
    timeoutMs: checkTimeout(options.timeoutMs, "timeoutMs") ?? DEFAULT_TIMEOUT_MS,
    retry: mergeRetry(DEFAULT_RETRY, options.retry, "retry"),
    extras: extras?.({ hooks: hooks === undefined ? undefined : { ...hooks }, rateBudget, maxConcurrentRequests }, secrets, profile),
    secrets,
    profile,
    parameterStyles: builtIns.parameterStyles,
    bodyEncodings: builtIns.bodyEncodings,
  };
}

const NO_CHECKER =
  "`validate: true` needs the schema checker, which this lean client leaves out of its bundle until asked: pass `validate: validateInput` (exported with the client), or use the full client.";

/** The validator of a client without a checker: a call that asks for validation gets a clear error. */
const noChecker: InputValidator = (operation) => {
  throw new ConfigError(`${operation.id}: ${NO_CHECKER}`);
};

function resolveToken(options: ClientOptions<object>, secrets: Secrets, profile: ApiProfile, optional: boolean, builtInOAuth: OAuthSetUp | undefined): TokenConfig | undefined {
  const { accessToken, oauth, tokenStore, tokenRefreshMarginMs, tokenLockTtlMs } = options;
  if (accessToken !== undefined && oauth !== undefined) {
    throw new ConfigError("Pass either `accessToken` or `oauth`, not both: they are two ways of getting the same token.");
  }
  if (oauth !== undefined) {
    // The OAuth code comes with the option (serverToServerOAuth) or with the full client, never with the lean core.
    const setUp = typeof (oauth as Partial<ServerToServerOAuth> | null)?.setUp === "function" ? (oauth as ServerToServerOAuth).setUp : builtInOAuth;
    if (setUp === undefined) {
      throw new ConfigError(
        "`oauth` needs the Server-to-Server OAuth code, which this lean client leaves out of its bundle until asked: " +
          "pass `oauth: serverToServerOAuth({ accountId, clientId, clientSecret })` (exported with the client), or use the full client.",
      );
    }
    return { kind: "oauth", source: setUp({ oauth, tokenStore, tokenRefreshMarginMs, tokenLockTtlMs }, secrets, profile) };
  }
  if (accessToken === undefined && optional) return undefined; // security.ts says whether the spec needs one
  if (accessToken === undefined || accessToken === "") {
    throw new ConfigError(NO_ACCESS_TOKEN);
  }
  if (typeof accessToken === "string") {
    secrets.add(accessToken);
    return { kind: "static", token: accessToken };
  }
  if (typeof accessToken === "function") return { kind: "provider", provider: accessToken };
  throw new ConfigError(`\`accessToken\` must be a string or a function, not ${describe(accessToken)}.`);
}

/** Checks a timeout option: a positive number of ms or `Infinity`; undefined when not given. */
export function checkTimeout(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new ConfigError(`\`${name}\` must be a positive number of ms (or Infinity for none), not ${String(value)}.`);
  }
  return value;
}

/** Merges a partial retry option over a base policy; `false` means no retries. */
export function mergeRetry(base: Readonly<RetryOptions>, value: unknown, name: string): Readonly<RetryOptions> {
  if (value === undefined) return base;
  if (value === false) return { ...base, maxRetries: 0 };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`\`${name}\` must be false or an object { maxRetries, initialDelayMs, maxDelayMs }, not ${describe(value)}.`);
  }
  const merged = { ...base };
  for (const key of ["maxRetries", "initialDelayMs", "maxDelayMs"] as const) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const ok = typeof v === "number" && v >= 0 && (key === "maxRetries" ? Number.isInteger(v) : Number.isFinite(v));
    if (!ok) throw new ConfigError(`\`${name}.${key}\` must be ${key === "maxRetries" ? "a whole number" : "a number of ms"}, 0 or more, not ${String(v)}.`);
    merged[key] = v as number;
  }
  return merged;
}

/** An absolute http(s) URL without query, fragment or credentials, without its trailing slash. */
function checkBaseUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || !/^https?:$/.test(url.protocol) || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new ConfigError("`baseUrl` must be an absolute http(s) URL without a query, a fragment or credentials, e.g. https://api.example.com/v1.");
  }
  return url.href.replace(/\/+$/, "");
}
