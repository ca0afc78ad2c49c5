/**
 * Credentials from the spec's `securitySchemes`: which of an operation's security alternatives the
 * client can meet, and how each scheme puts its credential on a request: an API key in a header, the
 * query string or a cookie; HTTP basic; a bearer token (HTTP bearer, OAuth 2, OpenID Connect); any
 * other HTTP scheme as `Authorization: <scheme> <value>`.
 *
 * A bearer token comes from the scheme's `auth` entry, else from the client's `accessToken` / `oauth`
 * option; either way it is a `TokenSource` (auth.ts), so a token function is asked before every attempt
 * and refreshed once after a rejected token, as `accessToken` functions always were.
 */
import { providerTokenSource, staticTokenSource, type AccessTokenProvider, type TokenSource } from "./auth.js";
import { AuthError, ConfigError } from "./errors.js";
import type { Secrets } from "./redact.js";

/** One entry of the spec's `components.securitySchemes`, as the runtime needs it (generated into the client). */
export type SecuritySchemeSpec =
  | { type: "apiKey"; in: "header" | "query" | "cookie"; name: string }
  | { type: "http"; scheme: string }
  | { type: "oauth2" }
  | { type: "openIdConnect" };

/**
 * Security alternatives, as in OpenAPI: any one alternative will do, and every scheme of the chosen one
 * is sent. `[]` means no credentials; an empty alternative means credentials are optional.
 */
export type SecurityRequirements = readonly (readonly string[])[];

/**
 * What the generated client tells the runtime about the spec's security (`RuntimeMeta.security`). With
 * no scheme declared, a token given as `accessToken` / `oauth` is sent as a bearer token on every request.
 */
export interface SecurityMeta {
  schemes: Readonly<Record<string, SecuritySchemeSpec>>;
  /** For `raw` requests, whose operation the runtime does not know: every alternative any operation accepts. */
  fallback: SecurityRequirements;
  /** True when every operation needs a credential: a client given none at all fails at creation. */
  required: boolean;
}

/** A secret, or a function returning the current one (asked before every attempt, so it should cache). */
export type SecretSource = string | (() => string | Promise<string>);

/** HTTP basic credentials, sent as `Authorization: Basic base64(username:password)`. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** The `auth` option: a credential per scheme name of the spec (generated clients type each key). */
export type AuthOptions = { readonly [scheme: string]: SecretSource | BasicCredentials | AccessTokenProvider | undefined };

/** A credential ready to be put on a request. */
type Source =
  | { kind: "apiKey"; in: "header" | "query" | "cookie"; name: string; value: SecretSource }
  | { kind: "authorization"; prefix: string; value: SecretSource }
  | { kind: "bearer"; tokens: TokenSource };

/** The sources of the alternative chosen for one request (none for an anonymous one). */
export type CredentialChoice = readonly Source[];

/** A bearer token put on a request, so a rejected one can be refreshed from the same source. */
export interface SentToken {
  tokens: TokenSource;
  token: string;
}

/** Picks and applies credentials; one per client. */
export interface Credentials {
  /** The sources for an operation's alternatives; throws `ConfigError` when the client has none that fit. */
  choose(security: SecurityRequirements | undefined, operationId: string | undefined): CredentialChoice;
  /** The request URL and headers with the chosen credentials on them (the inputs are not changed). */
  apply(
    choice: CredentialChoice,
    url: string,
    headers: Headers,
    signal: AbortSignal | undefined,
    fresh?: SentToken,
  ): Promise<{ url: string; headers: Headers; bearer: SentToken | undefined }>;
}

/** Names of the bearer-type schemes (HTTP bearer, OAuth 2, OpenID Connect), which `accessToken` and `oauth` also serve. */
function isBearer(scheme: SecuritySchemeSpec): boolean {
  return scheme.type === "oauth2" || scheme.type === "openIdConnect" || (scheme.type === "http" && scheme.scheme.toLowerCase() === "bearer");
}

/**
 * Builds the client's credentials. `meta` undefined (a runtime made without the spec's security) or a
 * spec that declares no scheme: the client's token, if any, goes as a bearer token on every request.
 * Throws `ConfigError` for a wrong `auth` option.
 */
export function createCredentials(meta: SecurityMeta | undefined, auth: unknown, tokens: TokenSource | undefined, secrets: Secrets): Credentials {
  const schemes = meta?.schemes ?? {};
  const sources = resolveAuth(schemes, auth, secrets);
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!sources.has(name) && tokens !== undefined && isBearer(scheme)) sources.set(name, { kind: "bearer", tokens });
  }
  const undeclared = meta === undefined || Object.keys(schemes).length === 0;
  if (meta?.required && sources.size === 0) throw new ConfigError(noCredentials(schemes, meta.fallback));

  return {
    choose(security, operationId) {
      if (undeclared) return tokens === undefined ? [] : [{ kind: "bearer", tokens }];
      const alternatives = security ?? meta.fallback;
      for (const alternative of alternatives) {
        if (alternative.length === 0) continue;
        const chosen = alternative.map((name) => sources.get(name));
        if (chosen.every((source) => source !== undefined)) return chosen as Source[];
      }
      // Optional credentials, or a raw request: sent as it is.
      if (alternatives.length === 0 || alternatives.some((alternative) => alternative.length === 0) || security === undefined) return [];
      throw new ConfigError(`${operationId ?? "This request"} needs credentials this client was not given: ${accepted(schemes, alternatives)}.`);
    },

    async apply(choice, url, headers, signal, fresh) {
      const out = new Headers(headers);
      let target = url;
      let bearer: SentToken | undefined;
      for (const source of choice) {
        if (source.kind === "bearer") {
          const token = fresh?.tokens === source.tokens ? fresh.token : await source.tokens.get(signal);
          bearer = { tokens: source.tokens, token };
          out.set("Authorization", `Bearer ${token}`);
          continue;
        }
        const value = await secretValue(source.value, secrets);
        if (source.kind === "authorization") out.set("Authorization", `${source.prefix} ${value}`);
        else if (source.in === "header") out.set(source.name, value);
        else if (source.in === "query") target += `${target.includes("?") ? "&" : "?"}${encodeURIComponent(source.name)}=${encodeURIComponent(value)}`;
        else {
          const cookie = `${source.name}=${encodeURIComponent(value)}`;
          const existing = out.get("Cookie");
          out.set("Cookie", existing ? `${existing}; ${cookie}` : cookie);
        }
      }
      return { url: target, headers: out, bearer };
    },
  };
}

/** Checks the `auth` option against the declared schemes and remembers its secrets for redaction. */
function resolveAuth(schemes: Readonly<Record<string, SecuritySchemeSpec>>, auth: unknown, secrets: Secrets): Map<string, Source> {
  const sources = new Map<string, Source>();
  if (auth === undefined) return sources;
  if (typeof auth !== "object" || auth === null || Array.isArray(auth)) {
    throw new ConfigError(`\`auth\` must be an object of credentials by security scheme name (${schemeList(schemes)}), not ${describe(auth)}.`);
  }
  for (const [name, value] of Object.entries(auth as Record<string, unknown>)) {
    if (value === undefined) continue;
    const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined;
    if (scheme === undefined) throw new ConfigError(`\`auth.${name}\`: the spec declares no such security scheme (it declares: ${schemeList(schemes)}).`);
    if (scheme.type === "http" && scheme.scheme.toLowerCase() === "basic") {
      const { username, password } = (typeof value === "object" && value !== null ? value : {}) as Partial<BasicCredentials>;
      if (typeof username !== "string" || typeof password !== "string" || username.includes(":")) {
        throw new ConfigError(`\`auth.${name}\` (HTTP basic) must be { username, password }, two strings, the username without ":".`);
      }
      const encoded = base64(`${username}:${password}`);
      secrets.add(password);
      secrets.add(encoded);
      sources.set(name, { kind: "authorization", prefix: "Basic", value: encoded });
      continue;
    }
    if ((typeof value !== "string" || value === "") && typeof value !== "function") {
      throw new ConfigError(`\`auth.${name}\` (${describeScheme(scheme)}) must be a non-empty string or a function returning one, not ${describe(value)}.`);
    }
    if (typeof value === "string") secrets.add(value);
    if (isBearer(scheme)) {
      sources.set(name, { kind: "bearer", tokens: typeof value === "string" ? staticTokenSource(value) : providerTokenSource(value as AccessTokenProvider, secrets) });
    } else if (scheme.type === "apiKey") {
      sources.set(name, { kind: "apiKey", in: scheme.in, name: scheme.name, value: value as SecretSource });
      secrets.addName(scheme.name);
    } else if (scheme.type === "http") {
      sources.set(name, { kind: "authorization", prefix: scheme.scheme, value: value as SecretSource });
    }
  }
  return sources;
}

async function secretValue(source: SecretSource, secrets: Secrets): Promise<string> {
  if (typeof source === "string") return source;
  let value: unknown;
  try {
    value = await source();
  } catch (error) {
    throw new AuthError(`Could not get a credential: the auth function failed: ${secrets.scrub(error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
  if (typeof value !== "string" || value === "") throw new AuthError(`Could not get a credential: the auth function returned ${describe(value)}, not a non-empty string.`);
  secrets.add(value);
  return value;
}

/** The creation-time message of a client given no credential for an API whose every operation needs one. */
function noCredentials(schemes: Readonly<Record<string, SecuritySchemeSpec>>, alternatives: SecurityRequirements): string {
  const bearerOnly = alternatives.every((alternative) => alternative.every((name) => schemes[name] !== undefined && isBearer(schemes[name])));
  // A bearer-only API keeps the message its clients always gave, naming the two token options.
  if (bearerOnly) {
    return (
      "No access token: pass `accessToken` (a string, or a function that returns a current token) " +
      "or `oauth: { accountId, clientId, clientSecret }` for Server-to-Server OAuth."
    );
  }
  return `No credentials: ${accepted(schemes, alternatives)}.`;
}

/** "pass `auth.api_key` (API key in header X-API-Key), or `auth.basic` (HTTP basic) together with ..." */
function accepted(schemes: Readonly<Record<string, SecuritySchemeSpec>>, alternatives: SecurityRequirements): string {
  const options = alternatives
    .filter((alternative) => alternative.length > 0)
    .map((alternative) => alternative.map((name) => optionFor(name, schemes[name])).join(" together with "));
  return `pass ${options.join(", or ")}`;
}

function optionFor(name: string, scheme: SecuritySchemeSpec | undefined): string {
  if (scheme === undefined) return `\`auth.${name}\``;
  return `\`auth.${name}\` (${describeScheme(scheme)}${isBearer(scheme) ? "; or `accessToken`" : ""})`;
}

function describeScheme(scheme: SecuritySchemeSpec): string {
  if (scheme.type === "apiKey") return `API key in ${scheme.in} ${scheme.name}`;
  if (scheme.type === "http") return scheme.scheme.toLowerCase() === "bearer" ? "bearer token" : `HTTP ${scheme.scheme}`;
  return scheme.type === "oauth2" ? "OAuth 2 access token" : "OpenID Connect access token";
}

function schemeList(schemes: Readonly<Record<string, SecuritySchemeSpec>>): string {
  return Object.keys(schemes).join(", ") || "none";
}

/** Base64 of the UTF-8 bytes (RFC 7617), with the web's `btoa`. */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
