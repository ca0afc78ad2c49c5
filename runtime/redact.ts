/**
 * Keeping credentials out of everything the SDK produces: error messages and bodies, hook data, URLs.
 * Each client knows its secrets (its token, its OAuth client secret and Basic credential, every token
 * it fetched) and `scrub` replaces them wherever text from elsewhere (a server, a thrown error) is shown.
 */

/** What a removed secret is replaced with. */
export const REDACTED = "[REDACTED]";

// Tokens rotate hourly; remembering the last few covers any still in use without growing forever.
const MAX_REMEMBERED = 16;

/** The secrets of one client, and scrubbing of text that may contain them. */
export class Secrets {
  readonly #values: string[] = [];
  // Longest first, so a secret that contains another is removed whole; sorted on change, not per scrub.
  #longestFirst: readonly string[] = [];

  /** Remembers a secret (values shorter than 6 characters are too likely to be ordinary text). */
  add(value: string | undefined): void {
    if (value === undefined || value.length < 6 || this.#values.includes(value)) return;
    this.#values.push(value);
    if (this.#values.length > MAX_REMEMBERED) this.#values.splice(0, this.#values.length - MAX_REMEMBERED);
    this.#longestFirst = [...this.#values].sort((a, b) => b.length - a.length);
  }

  /** Header and query parameter names (lower case) that carry this client's API keys: always redacted. */
  readonly names = new Set<string>();

  /** Remembers the name of a header or query parameter that carries a credential. */
  addName(name: string): void {
    this.names.add(name.toLowerCase());
  }

  /** The text with every known secret replaced by `[REDACTED]`. */
  scrub(text: string): string {
    let result = text;
    for (const secret of this.#longestFirst) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /** A copy of the headers with every value scrubbed. */
  scrubHeaders(headers: Headers): Headers {
    const copy = new Headers();
    headers.forEach((value, name) => copy.append(name, this.scrub(value)));
    return copy;
  }
}

// Headers whose values are credentials in any request or response.
const SENSITIVE_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-zm-signature"]);
// Query parameters that carry credentials in OAuth and webhook URLs.
const SENSITIVE_QUERY = /^(access_token|refresh_token|token|client_secret|secret|password|code|signature)$/i;

/** Headers as a plain object for hooks: credential headers replaced by `[REDACTED]`, the rest scrubbed. */
export function redactHeaders(headers: Headers, secrets: Secrets): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name] = SENSITIVE_HEADERS.has(name.toLowerCase()) || secrets.names.has(name.toLowerCase()) ? REDACTED : secrets.scrub(value);
  });
  return result;
}

const MAYBE_SENSITIVE = /token|secret|password|code|signature|%/i;

/** A URL without user info and with credential-like query values redacted, for messages and hooks. */
export function redactUrl(url: string, secrets: Secrets): string {
  // Without `@` there is no user info, and a query without these words (or escapes) has no credential
  // key: nothing to parse for. Every SENSITIVE_QUERY name contains one of the words.
  if (!url.includes("@") && !MAYBE_SENSITIVE.test(url.slice(url.indexOf("?") + 1 || url.length))) return secrets.scrub(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return secrets.scrub(url);
  }
  const sensitive: string[] = [];
  // forEach rather than keys(): generated clients may compile without the DOM.Iterable lib.
  parsed.searchParams.forEach((_value, key) => {
    if (SENSITIVE_QUERY.test(key) || secrets.names.has(key.toLowerCase())) sensitive.push(key);
  });
  // Most URLs need nothing removed: keep their exact encoding rather than URL's re-serialization.
  if (parsed.username === "" && parsed.password === "" && sensitive.length === 0) return secrets.scrub(url);
  parsed.username = "";
  parsed.password = "";
  for (const key of sensitive) parsed.searchParams.set(key, REDACTED);
  return secrets.scrub(parsed.href);
}
