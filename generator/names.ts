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

/**
 * Type names whose `Input`/`Data` forms the generated client file already uses for itself
 * (`CallInput` is the runtime's type it imports): an operation named so gets the safe prefix.
 */
const TAKEN_TYPE_STEMS = new Set(["Call"]);

/**
 * Splits `list_tasks`, `listTasks`, `IM Groups`, `list-id`, `HTTPServer2`, `créerCafé` into words.
 * Letters and digits of any script count (JavaScript identifiers allow them), so `日本語` and `中文`
 * stay two different names.
 */
export function words(text: string): string[] {
  return text
    .normalize("NFC")
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, "$1 $2")
    .split(/[^\p{L}\p{Nd}\p{Mn}\p{Mc}]+/u)
    .filter((w) => w !== "");
}

/** `chat channels` → `chatChannels`; starts with `_` if it would not start an identifier; "" if no letters or digits. */
export function camelCase(text: string): string {
  return remembered(camelCases, text, () => {
    const [first = "", ...rest] = words(text);
    const joined = first.toLowerCase() + rest.map(capitalize).join("");
    return joined === "" || startsIdentifier(joined) ? joined : `_${joined}`;
  });
}

/** `get user` → `GetUser`; a reserved word, a name the client uses itself or a leading digit gets a safe prefix. */
export function pascalCase(text: string): string {
  return remembered(pascalCases, text, () => {
    const joined = words(text).map(capitalize).join("");
    if (joined === "") return joined;
    return !startsIdentifier(joined) || RESERVED.has(joined.toLowerCase()) || TAKEN_TYPE_STEMS.has(joined) ? `Op${joined}` : joined;
  });
}

/**
 * The names made so far, by text: a spec names the same things many times over (each operation's names are made
 * by the model, the templates and the change report), and splitting words takes five Unicode regular expressions.
 */
const camelCases = new Map<string, string>();
const pascalCases = new Map<string, string>();
/** Past this many, a long-lived process (--watch) starts its memo again. */
const REMEMBERED = 50_000;

function remembered(memo: Map<string, string>, text: string, make: () => string): string {
  let name = memo.get(text);
  if (name === undefined) {
    if (memo.size >= REMEMBERED) memo.clear();
    memo.set(text, (name = make()));
  }
  return name;
}

/** `Users`: the stem of a group's generated names (its factory, interface and table), from its client property name. */
export function groupStem(propertyName: string): string {
  return pascalCase(propertyName) || "Default";
}

/** `UsersResource`: the exported interface of one group's methods (`resources/users.ts`), from its client property name. */
export function resourceTypeName(propertyName: string): string {
  return `${groupStem(propertyName)}Resource`;
}

function capitalize(word: string): string {
  // Keep acronyms readable: `IM` → `Im`, `HTTP` → `Http`, but `userId` parts stay as split.
  const [first = "", ...rest] = word; // by code point, so a letter outside the BMP stays whole
  return first.toUpperCase() + rest.join("").toLowerCase();
}

function startsIdentifier(name: string): boolean {
  return /^[\p{ID_Start}_$]/u.test(name);
}

/** A method name for an operation without an operationId: `GET /lists/{id}/tasks` → `getListsByIdTasks`. */
export function nameFromRoute(method: string, route: string): string {
  const parts = route
    .split("/")
    .filter((p) => p !== "")
    .map((p) => (p.startsWith("{") ? `by ${p.slice(1, -1)}` : p));
  return camelCase(`${method.toLowerCase()} ${parts.join(" ")}`) || method.toLowerCase();
}

/** True when `name` can be written bare as a property key or identifier (letters of any script included). */
export function isIdentifier(name: string): boolean {
  return /^[\p{ID_Start}_$][\p{ID_Continue}_$\u200c\u200d]*$/u.test(name);
}

export function isReservedWord(name: string): boolean {
  return RESERVED.has(name);
}
