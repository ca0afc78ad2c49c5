/**
 * Names a person would choose, and that are always valid TypeScript: every identifier the
 * generator emits is made here.
 */

/** Words that cannot name a variable or type. Property names may be reserved words, type names may not. */
const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "as implements interface let package private protected public static yield any boolean number string symbol " +
    "unknown never object undefined await async type").split(" "),
);

/** Splits `list_tasks`, `listTasks`, `IM Groups`, `list-id`, `HTTPServer2` into words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "");
}

/** `chat channels` → `chatChannels`; starts with `_` if it would start with a digit; "" if no letters or digits. */
export function camelCase(text: string): string {
  const [first = "", ...rest] = words(text);
  const joined = first.toLowerCase() + rest.map(capitalize).join("");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** `get user` → `GetUser`; a reserved word or a leading digit gets a safe prefix. */
export function pascalCase(text: string): string {
  const joined = words(text).map(capitalize).join("");
  if (joined === "") return joined;
  return /^[0-9]/.test(joined) || RESERVED.has(joined.toLowerCase()) ? `Op${joined}` : joined;
}

function capitalize(word: string): string {
  // Keep acronyms readable: `IM` → `Im`, `HTTP` → `Http`, but `userId` parts stay as split.
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** A method name for an operation without an operationId: `GET /lists/{id}/tasks` → `getListsByIdTasks`. */
export function nameFromRoute(method: string, route: string): string {
  const parts = route
    .split("/")
    .filter((p) => p !== "")
    .map((p) => (p.startsWith("{") ? `by ${p.slice(1, -1)}` : p));
  return camelCase(`${method.toLowerCase()} ${parts.join(" ")}`) || method.toLowerCase();
}

/** True when `name` can be written bare as a property key or identifier. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

export function isReservedWord(name: string): boolean {
  return RESERVED.has(name);
}
