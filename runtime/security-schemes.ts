/**
 * Every security scheme OpenAPI declares: an API key in a header, the query string or a cookie; HTTP
 * basic; any other HTTP scheme as `Authorization: <scheme> <value>`; and bearer tokens. A client whose
 * spec declares a non-bearer scheme passes `securitySchemes` in its `RuntimeMeta.security` (the
 * generator writes it), and the full client always carries it; a bearer-only lean client does not, so
 * its bundle leaves this out (security.ts handles bearer tokens).
 */
import type { TokenSource } from "./auth.js";
import { AuthError, ConfigError, describeValue as describe } from "./errors.js";
import type { Secrets } from "./redact.js";
import {
  addTokenSources,
  authEntries,
  bearerSource,
  checkSecret,
  chooseAlternative,
  isBearer,
  noCredentials,
  type BasicCredentials,
  type Credentials,
  type CredentialSource,
  type SecretSource,
  type SecurityMeta,
  type SecuritySchemeSpec,
  type SentToken,
} from "./security.js";

/**
 * Builds the client's credentials for any declared schemes (the `RuntimeMeta.security.credentials` of a
 * spec with non-bearer schemes). Throws `ConfigError` for a wrong `auth` option.
 */
export function securitySchemes(meta: SecurityMeta, auth: unknown, tokens: TokenSource | undefined, secrets: Secrets): Credentials {
  const schemes = meta.schemes;
  const sources = resolveAuth(schemes, auth, secrets);
  addTokenSources(schemes, sources, tokens);
  if (meta.required && sources.size === 0) throw new ConfigError(noCredentials(schemes, meta.fallback));

  return {
    choose: (security, operationId) => chooseAlternative(meta, sources, tokens, security, operationId),

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
function resolveAuth(schemes: Readonly<Record<string, SecuritySchemeSpec>>, auth: unknown, secrets: Secrets): Map<string, CredentialSource> {
  const sources = new Map<string, CredentialSource>();
  for (const [name, scheme, value] of authEntries(schemes, auth)) {
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
    checkSecret(name, scheme, value, secrets);
    if (isBearer(scheme)) {
      sources.set(name, bearerSource(value, secrets));
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

/** Base64 of the UTF-8 bytes (RFC 7617), with the web's `btoa`. */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
