/**
 * Credentials from the spec's `securitySchemes`: which of an operation's security alternatives the
 * client can meet, and how each scheme puts its credential on a request. This module sends bearer
 * tokens (HTTP bearer, OAuth 2, OpenID Connect), all a bearer-only API needs; the other schemes (API
 * keys, HTTP basic and other HTTP schemes) are in security-schemes.ts, which a client whose spec
 * declares one passes in `RuntimeMeta.security.credentials`, so a bearer-only client's bundle leaves it out.
 *
 * A bearer token comes from the scheme's `auth` entry, else from the client's `accessToken` / `oauth`
 * option; either way it is a `TokenSource` (auth.ts), so a token function is asked before every attempt
 * and refreshed once after a rejected token, as `accessToken` functions always were.
 */
import { NO_ACCESS_TOKEN, providerTokenSource, staticTokenSource, type AccessTokenProvider, type TokenSource } from "./auth.js";
import { ConfigError, describeValue as describe } from "./errors.js";
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
  /**
   * The credentials of a spec with schemes other than bearer tokens: `securitySchemes` from the runtime
   * (the generator writes it where the spec needs it; the full client always has it).
   */
  credentials?: CredentialsFactory;
}

/** Makes a client's credentials from its spec's security, its `auth` option and its bearer token source. */
export type CredentialsFactory = (meta: SecurityMeta, auth: unknown, tokens: TokenSource | undefined, secrets: Secrets) => Credentials;

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
export type CredentialSource =
  | { kind: "apiKey"; in: "header" | "query" | "cookie"; name: string; value: SecretSource }
  | { kind: "authorization"; prefix: string; value: SecretSource }
  | { kind: "bearer"; tokens: TokenSource };

/** The sources of the alternative chosen for one request (none for an anonymous one). */
export type CredentialChoice = readonly CredentialSource[];

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
export function isBearer(scheme: SecuritySchemeSpec): boolean {
  return scheme.type === "oauth2" || scheme.type === "openIdConnect" || (scheme.type === "http" && scheme.scheme.toLowerCase() === "bearer");
}

/**
 * Builds the client's credentials. `meta` undefined (a runtime made without the spec's security) or a
 * spec that declares no scheme: the client's token, if any, goes as a bearer token on every request.
 * A spec with other schemes than bearer tokens hands over to its `credentials` (security-schemes.ts).
 * Throws `ConfigError` for a wrong `auth` option.
 */
export function createCredentials(meta: SecurityMeta | undefined, auth: unknown, tokens: TokenSource | undefined, secrets: Secrets): Credentials {
  if (meta?.credentials !== undefined) return meta.credentials(meta, auth, tokens, secrets);
  const schemes = meta?.schemes ?? {};
  const sources = new Map<string, CredentialSource>();
  for (const [name, scheme, value] of authEntries(schemes, auth)) {
    if (!isBearer(scheme)) {
      throw new ConfigError(`\`auth.${name}\` (${describeScheme(scheme)}) needs the runtime's \`securitySchemes\` in the client's \`RuntimeMeta.security.credentials\`.`);
    }
    checkSecret(name, scheme, value, secrets);
    sources.set(name, bearerSource(value, secrets));
  }
  addTokenSources(schemes, sources, tokens);
  if (meta?.required && sources.size === 0) throw new ConfigError(noCredentials(schemes, meta.fallback));
  return {
    choose: (security, operationId) => chooseAlternative(meta, sources, tokens, security, operationId),
    async apply(choice, url, headers, signal, fresh) {
      const out = new Headers(headers);
      let bearer: SentToken | undefined;
      for (const source of choice) {
        // Only bearer sources here: a spec with other schemes has its own `credentials`.
        if (source.kind !== "bearer") continue;
        const token = fresh?.tokens === source.tokens ? fresh.token : await source.tokens.get(signal);
        bearer = { tokens: source.tokens, token };
        out.set("Authorization", `Bearer ${token}`);
      }
      return { url, headers: out, bearer };
    },
  };
}

/** The `auth` option's entries with their declared schemes; throws `ConfigError` for a wrong shape or an unknown name. */
export function authEntries(schemes: Readonly<Record<string, SecuritySchemeSpec>>, auth: unknown): [string, SecuritySchemeSpec, unknown][] {
  if (auth === undefined) return [];
  if (typeof auth !== "object" || auth === null || Array.isArray(auth)) {
    throw new ConfigError(`\`auth\` must be an object of credentials by security scheme name (${schemeList(schemes)}), not ${describe(auth)}.`);
  }
  const entries: [string, SecuritySchemeSpec, unknown][] = [];
  for (const [name, value] of Object.entries(auth as Record<string, unknown>)) {
    if (value === undefined) continue;
    const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined;
    if (scheme === undefined) throw new ConfigError(`\`auth.${name}\`: the spec declares no such security scheme (it declares: ${schemeList(schemes)}).`);
    entries.push([name, scheme, value]);
  }
  return entries;
}

/** A credential that is a non-empty string (remembered for redaction) or a function; else `ConfigError`. */
export function checkSecret(name: string, scheme: SecuritySchemeSpec, value: unknown, secrets: Secrets): void {
  if ((typeof value !== "string" || value === "") && typeof value !== "function") {
    throw new ConfigError(`\`auth.${name}\` (${describeScheme(scheme)}) must be a non-empty string or a function returning one, not ${describe(value)}.`);
  }
  if (typeof value === "string") secrets.add(value);
}

/** A bearer credential of `auth` (checked by `checkSecret`): a static token, or a function asked before every attempt. */
export function bearerSource(value: unknown, secrets: Secrets): CredentialSource {
  return { kind: "bearer", tokens: typeof value === "string" ? staticTokenSource(value) : providerTokenSource(value as AccessTokenProvider, secrets) };
}

/** The client's token (`accessToken` / `oauth`) serves every bearer-type scheme `auth` does not name. */
export function addTokenSources(schemes: Readonly<Record<string, SecuritySchemeSpec>>, sources: Map<string, CredentialSource>, tokens: TokenSource | undefined): void {
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!sources.has(name) && tokens !== undefined && isBearer(scheme)) sources.set(name, { kind: "bearer", tokens });
  }
}

/**
 * The sources of the first of an operation's alternatives the client can meet (`raw` requests: any
 * alternative of the spec); none when credentials are optional; `ConfigError` when none can be met.
 */
export function chooseAlternative(
  meta: SecurityMeta | undefined,
  sources: ReadonlyMap<string, CredentialSource>,
  tokens: TokenSource | undefined,
  security: SecurityRequirements | undefined,
  operationId: string | undefined,
): CredentialChoice {
  if (meta === undefined || Object.keys(meta.schemes).length === 0) return tokens === undefined ? [] : [{ kind: "bearer", tokens }];
  const alternatives = security ?? meta.fallback;
  for (const alternative of alternatives) {
    if (alternative.length === 0) continue;
    const chosen = alternative.map((name) => sources.get(name));
    if (chosen.every((source) => source !== undefined)) return chosen as CredentialSource[];
  }
  // Optional credentials, or a raw request: sent as it is.
  if (alternatives.length === 0 || alternatives.some((alternative) => alternative.length === 0) || security === undefined) return [];
  throw new ConfigError(`${operationId ?? "This request"} needs credentials this client was not given: ${accepted(meta.schemes, alternatives)}.`);
}

/** The creation-time message of a client given no credential for an API whose every operation needs one. */
export function noCredentials(schemes: Readonly<Record<string, SecuritySchemeSpec>>, alternatives: SecurityRequirements): string {
  const bearerOnly = alternatives.every((alternative) => alternative.every((name) => schemes[name] !== undefined && isBearer(schemes[name])));
  // A bearer-only API keeps the message its clients always gave, naming the two token options.
  return bearerOnly ? NO_ACCESS_TOKEN : `No credentials: ${accepted(schemes, alternatives)}.`;
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

export function describeScheme(scheme: SecuritySchemeSpec): string {
  if (scheme.type === "apiKey") return `API key in ${scheme.in} ${scheme.name}`;
  if (scheme.type === "http") return scheme.scheme.toLowerCase() === "bearer" ? "bearer token" : `HTTP ${scheme.scheme}`;
  return scheme.type === "oauth2" ? "OAuth 2 access token" : "OpenID Connect access token";
}

export function schemeList(schemes: Readonly<Record<string, SecuritySchemeSpec>>): string {
  return Object.keys(schemes).join(", ") || "none";
}
