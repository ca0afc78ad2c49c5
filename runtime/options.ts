/**
 * Client options: the public `ClientOptions` type and its check at creation time, so a wrong option
 * fails when the client is made, not on the first request.
 */
import { checkHeaders } from "./encoding.js";
import { ConfigError } from "./errors.js";

/** Returns a current access token; called before every request, so it can refresh or cache. */
export type AccessTokenProvider = () => string | Promise<string>;

/** The `fetch` the runtime calls: it is always given a `Request`. The global `fetch` fits. */
export type FetchFunction = (request: Request) => Promise<Response>;

/**
 * Options of a generated client. Every field is optional so later versions can add more (OAuth, retries,
 * timeouts, concurrency, hooks, token storage) without breaking existing code.
 */
export interface ClientOptions {
  /** An access token, or a function returning a current one. Sent as `Authorization: Bearer <token>`. */
  accessToken?: string | AccessTokenProvider;
  /** API root, e.g. `https://api.zoom.us/v2`. Defaults to the spec's server URL. */
  baseUrl?: string;
  /** The `fetch` to use (a proxy-aware or instrumented one, say). Defaults to the global `fetch`. */
  fetch?: FetchFunction;
  /** Headers sent with every request (a request's own headers win). `Authorization` comes from `accessToken`. */
  headers?: Record<string, string>;
  /** Validate inputs against the spec before sending (default `true`). A call can override it. */
  validate?: boolean;
}

/** Facts about the generated SDK, passed by generated code. */
export interface RuntimeMeta {
  /** Package name, sent in `User-Agent`. */
  sdkName: string;
  sdkVersion: string;
  /** Base URL used when `ClientOptions.baseUrl` is not given. */
  defaultBaseUrl: string;
}

/** Options after checking and defaulting. */
export interface ResolvedOptions {
  accessToken: string | AccessTokenProvider;
  /** Absolute http(s) URL without a trailing slash. */
  baseUrl: string;
  fetch: FetchFunction;
  headers: Readonly<Record<string, string>>;
  validate: boolean;
  userAgent: string;
}

/** Checks the options, applies defaults, and throws `ConfigError` (or `ValidationError` for headers). */
export function resolveOptions(options: ClientOptions, meta: RuntimeMeta): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError("Client options must be an object, e.g. { accessToken: '...' }.");
  }
  const { accessToken, fetch, headers, validate } = options;
  if (accessToken === undefined || accessToken === "") {
    throw new ConfigError(
      "No access token: pass `accessToken`, a string or a function that returns a current token " +
        "(for Server-to-Server OAuth, get one from https://zoom.us/oauth/token).",
    );
  }
  if (typeof accessToken !== "string" && typeof accessToken !== "function") {
    throw new ConfigError(`\`accessToken\` must be a string or a function, not ${describe(accessToken)}.`);
  }
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new ConfigError(`\`fetch\` must be a function, not ${describe(fetch)}.`);
  }
  if (fetch === undefined && typeof globalThis.fetch !== "function") {
    throw new ConfigError("This platform has no global `fetch`; pass one as the `fetch` option.");
  }
  if (validate !== undefined && typeof validate !== "boolean") {
    throw new ConfigError(`\`validate\` must be true or false, not ${describe(validate)}.`);
  }
  if (headers !== undefined && (typeof headers !== "object" || headers === null || Array.isArray(headers))) {
    throw new ConfigError(`\`headers\` must be an object of header names to strings, not ${describe(headers)}.`);
  }
  checkHeaders(headers, "options.headers");
  return {
    accessToken,
    baseUrl: checkBaseUrl(options.baseUrl ?? meta.defaultBaseUrl),
    // Called through a closure: calling the global fetch as a method of another object throws in browsers,
    // and reading it late lets a polyfill installed after creation still work.
    fetch: fetch ?? ((request) => globalThis.fetch(request)),
    headers: { ...headers },
    validate: validate ?? true,
    userAgent: `${meta.sdkName}/${meta.sdkVersion}`,
  };
}

function checkBaseUrl(value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new ConfigError("No base URL: pass `baseUrl`, e.g. https://api.zoom.us/v2.");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`\`baseUrl\` ${JSON.stringify(value)} is not an absolute URL; use e.g. https://api.zoom.us/v2.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`\`baseUrl\` must be an http(s) URL, not ${JSON.stringify(value)}.`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new ConfigError(
      `\`baseUrl\` must not carry a query, a fragment or credentials: ${JSON.stringify(url.origin + url.pathname)}...`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
