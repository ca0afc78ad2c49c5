/**
 * Escaping is a design decision: Handlebars escapes for HTML, which is wrong for TypeScript
 * and Markdown. Every spec string that reaches generated output goes through one of these.
 * A spec is input, and input can be hostile (`*\/`, backticks, `${`, quotes, line breaks).
 */
import { isIdentifier } from "./names.js";

/** A TypeScript string literal holding exactly `value` (JSON's escaping is valid TypeScript). */
export function tsString(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A property key: bare when it is an identifier, quoted otherwise (`"list-id"`). */
export function tsKey(name: string): string {
  if (name === "__proto__") return tsPropertyKey(name);
  return isIdentifier(name) ? name : tsString(name);
}

/**
 * A quoted property key for an object literal. `__proto__` is computed (`["__proto__"]`): written
 * plain or quoted, it would set the object's prototype instead of making a property.
 */
export function tsPropertyKey(name: string): string {
  return name === "__proto__" ? `[${tsString(name)}]` : tsString(name);
}

/**
 * `value`'s JSON as a single-quoted TypeScript string, for `JSON.parse(…)` in the data files: tsc reads one
 * string token where an object literal would cost it a node and a symbol per property.
 */
export function tsJsonString(value: unknown): string {
  const json = JSON.stringify(value).replace(/[\\'\u2028\u2029]/g, (c) => (c === "\\" ? "\\\\" : c === "'" ? "\\'" : `\\u${c.charCodeAt(0).toString(16)}`));
  return `'${json}'`;
}

/** Any JSON-like value as a TypeScript expression (for examples and tables). */
export function tsValue(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * A `/** ... *\/` doc comment whose text cannot end the comment early. Lines are kept;
 * `*\/` becomes `*\\/`, `<br>` a line break; empty input gives "".
 */
export function docComment(lines: readonly (string | undefined)[], indent = ""): string {
  const text = lines
    .filter((l): l is string => typeof l === "string" && l.trim() !== "")
    .map((l) => l.trim())
    .join("\n\n")
    .replace(/\r\n?/g, "\n")
    .replace(/\*\//g, "*\\/")
    .replace(/<br\s*\/?>/gi, "\n")
    .trim();
  if (text === "") return "";
  const body = text
    .split("\n")
    .map((line) => `${indent} *${line.trimEnd() === "" ? "" : ` ${line.trimEnd()}`}`)
    .join("\n");
  return `${indent}/**\n${body}\n${indent} */`;
}

/** Text for inside a doc comment, on one line: `*\/` cannot close the comment early. */
export function docInline(text: string | undefined): string {
  return (text ?? "").replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim();
}

// URLs and e-mail addresses, which GitHub's Markdown turns into live links even when bare.
const LINKABLE = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)[^\s`<>]*|[\w.+-]+@[\w-]+\.[\w.-]+/gi;

/**
 * Text for one Markdown table cell or heading: one line, and inert. A spec's text is input, so
 * nothing in it may become a link, an image or HTML in the README: Markdown's punctuation is
 * backslash-escaped, `<`, `>` and `&` become entities, and URLs are shown as code, never linked.
 */
export function mdInline(text: string | undefined): string {
  const line = (text ?? "").replace(/<br\s*\/?>/gi, " ").replace(/\s+/g, " ").trim();
  let result = "";
  let last = 0;
  for (const match of line.matchAll(LINKABLE)) {
    result += mdEscape(line.slice(last, match.index)) + `\`${match[0]}\``;
    last = match.index + match[0].length;
  }
  return result + mdEscape(line.slice(last));
}

/**
 * Text for inside a one-line code span (`` `GET /users/{id}` ``): escapes mean nothing there, so a
 * backtick, which would end the span, becomes `'`; `|` is escaped for GitHub's tables.
 */
export function mdCode(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim().replace(/`/g, "'").replace(/\|/g, "\\|");
}

function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]()!#~|]/g, "\\$&").replace(/[<>&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&amp;"));
}

/** A fenced code block whose fence is longer than any backtick run inside it. */
export function mdCodeBlock(code: string, language: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${code}\n${fence}`;
}
