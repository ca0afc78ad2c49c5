/**
 * The full client's check of every option, each wrong one refused with a `ConfigError` that names it
 * and says what it must be. The lean client (`createCallRuntime`) leaves this out of its bundle and
 * checks only what it needs to run safely (options.ts `resolveOptions`).
 */
import { checkHeaders } from "./encoding.js";
import { ConfigError, describeValue as describe } from "./errors.js";
import { checkTimeout, mergeRetry, type ClientOptions, type RuntimeMeta } from "./options.js";
import type { RateBudget } from "./rate-budget.js";
import { DEFAULT_RETRY } from "./retry.js";

/** Throws `ConfigError` (or `ValidationError` for a header value) for the first wrong option. */
export function checkOptions(options: ClientOptions<object>, meta: RuntimeMeta): void {
  const { fetch, headers, validate, hooks, maxConcurrentRequests } = options;
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new ConfigError(`\`fetch\` must be a function, not ${describe(fetch)}.`);
  }
  if (fetch === undefined && typeof globalThis.fetch !== "function") {
    throw new ConfigError("This platform has no global `fetch`; pass one as the `fetch` option.");
  }
  if (validate !== undefined && typeof validate !== "boolean" && typeof validate !== "function") {
    throw new ConfigError(`\`validate\` must be true, false or a checker such as \`validateInput\`, not ${describe(validate)}.`);
  }
  if (headers !== undefined && (typeof headers !== "object" || headers === null || Array.isArray(headers))) {
    throw new ConfigError(`\`headers\` must be an object of header names to strings, not ${describe(headers)}.`);
  }
  checkHeaders(headers, "options.headers");
  if (maxConcurrentRequests !== undefined && !(Number.isInteger(maxConcurrentRequests) && maxConcurrentRequests >= 1)) {
    throw new ConfigError(`\`maxConcurrentRequests\` must be a whole number of at least 1, not ${String(maxConcurrentRequests)}.`);
  }
  if (hooks !== undefined && (typeof hooks !== "object" || hooks === null)) {
    throw new ConfigError(`\`hooks\` must be an object of functions (onRequest, onResponse, onRetry, onError), not ${describe(hooks)}.`);
  }
  for (const [name, hook] of Object.entries(hooks ?? {})) {
    if (hook !== undefined && typeof hook !== "function") throw new ConfigError(`\`hooks.${name}\` must be a function, not ${describe(hook)}.`);
  }
  checkBaseUrl(options.baseUrl ?? checkServer(options, meta));
  checkTimeout(options.timeoutMs, "timeoutMs");
  mergeRetry(DEFAULT_RETRY, options.retry, "retry");
  checkRateBudget(options.rateBudget);
}

/**
 * The chosen server's URL template when `baseUrl` is not given. Throws `ConfigError` for a wrong index,
 * an unknown variable or a value outside its `enum`.
 */
function checkServer(options: ClientOptions<object>, meta: RuntimeMeta): string {
  const servers = meta.servers ?? [];
  const { server: index = 0, serverVariables = {} } = options;
  if (servers.length === 0) {
    if (options.server !== undefined || options.serverVariables !== undefined) throw new ConfigError("This API's spec lists no servers: pass `baseUrl` instead of `server`/`serverVariables`.");
    return meta.defaultBaseUrl;
  }
  const server = Number.isInteger(index) ? servers[index] : undefined;
  if (server === undefined) throw new ConfigError(`\`server\` must be an index from 0 to ${servers.length - 1} into the spec's servers, not ${String(index)}.`);
  if (typeof serverVariables !== "object" || serverVariables === null) throw new ConfigError(`\`serverVariables\` must be an object of names to strings, not ${describe(serverVariables)}.`);
  for (const [name, value] of Object.entries(serverVariables)) {
    const variable = server.variables[name];
    if (variable === undefined) throw new ConfigError(`\`serverVariables.${name}\`: the server ${server.url} has no such variable (it has: ${Object.keys(server.variables).join(", ") || "none"}).`);
    if (typeof value !== "string") throw new ConfigError(`\`serverVariables.${name}\` must be a string, not ${describe(value)}.`);
    if (variable.enum !== undefined && !variable.enum.includes(value)) throw new ConfigError(`\`serverVariables.${name}\` must be one of ${variable.enum.join(", ")}, not ${JSON.stringify(value)}.`);
  }
  return server.url.replace(/\{([^{}]+)\}/g, (match, name: string) => serverVariables[name] ?? server.variables[name]?.default ?? match);
}

/** Names what is wrong with a base URL: missing, not absolute, not http(s), carrying a query, a fragment or credentials. */
function checkBaseUrl(value: unknown): void {
  if (typeof value !== "string" || value === "") {
    throw new ConfigError("No base URL: pass `baseUrl`, e.g. https://api.example.com/v1.");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`\`baseUrl\` ${JSON.stringify(value)} is not an absolute URL; use e.g. https://api.example.com/v1.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`\`baseUrl\` must be an http(s) URL, not ${JSON.stringify(value)}.`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new ConfigError(
      `\`baseUrl\` must not carry a query, a fragment or credentials: ${JSON.stringify(url.origin + url.pathname)}...`,
    );
  }
}

/** A `rateBudget` must have the two methods the transport calls. */
function checkRateBudget(budget: unknown): void {
  if (budget === undefined) return;
  const methods = budget as Partial<RateBudget> | null;
  if (typeof methods?.acquire !== "function" || typeof methods.blockUntil !== "function") {
    throw new ConfigError(`\`rateBudget\` must have \`acquire(label, signal)\` and \`blockUntil(label, resumeAt)\` methods, not ${describe(budget)}.`);
  }
}

