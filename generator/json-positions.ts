/**
 * Places in a JSON text that `JSON.parse` already accepted, found by scanning the text itself: a JSON spec is parsed
 * with `JSON.parse` (a few times faster than a YAML parser, and it keeps no syntax tree: the yaml Document of Zoom's
 * 3.3 MB spec held hundreds of MB), and this finds the duplicate keys `JSON.parse` silently merges and the
 * line:column of a JSON pointer when a message needs one.
 */

export interface JsonPlace {
  /** Offset in the text. */
  readonly offset: number;
  readonly line: number;
  /** 1-based, in UTF-16 code units as the yaml parser counts them. */
  readonly column: number;
}

interface JsonMember {
  readonly value: number;
  readonly key: number | undefined;
}

export class JsonPositions {
  /**
   * The offset of every `{` and `[` in the text, in order (so sorted), and of the bracket that closes each: built
   * by the first scan, held for the whole run. Two lists of small integers, not a Map: GitHub's spec has 90,000
   * brackets, and the scanner's heap went from 6.9 to 5.0 MB (Zoom's published spec, 32,000: 0.9 to 0.5 MB).
   */
  private readonly opens: number[] = [];
  private readonly closes: number[] = [];
  private lineStarts: number[] | undefined;
  /** The members of each object or array a lookup went through (membersOf). */
  private readonly members = new Map<number, Map<string, JsonMember>>();

  /** The first key an object repeats (`JSON.parse` keeps the last value of such a key, hiding the others). */
  readonly duplicateKey: { readonly key: string; readonly place: JsonPlace } | undefined;

  constructor(private readonly text: string) {
    this.duplicateKey = this.scan();
  }

  /**
   * Where the value at `keys` begins (its key's place with `onKey`); for a path that does not exist, the place of
   * its nearest ancestor that does, so a message still points somewhere useful.
   */
  locate(keys: readonly string[], { onKey = false } = {}): JsonPlace {
    let value = skipSpace(this.text, 0);
    let key: number | undefined;
    for (const wanted of keys) {
      const found = this.member(value, wanted);
      if (found === undefined) break;
      ({ value, key } = found);
    }
    return this.place(onKey && key !== undefined ? key : value);
  }

  place(offset: number): JsonPlace {
    const starts = (this.lineStarts ??= lineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { offset, line: low + 1, column: offset - starts[low]! + 1 };
  }

  /** The member `wanted` of the object or array starting at `start`: where its value (and key) begin. */
  private member(start: number, wanted: string): JsonMember | undefined {
    return this.membersOf(start)?.get(wanted);
  }

  /**
   * Every member of the object or array starting at `start`, by key (or index), read once: Microsoft Graph's spec
   * has 736 warnings under `paths`, which has thousands of keys, and scanning them again for each was 3 s.
   */
  private membersOf(start: number): Map<string, JsonMember> | undefined {
    const known = this.members.get(start);
    if (known) return known;
    const text = this.text;
    const open = text.charCodeAt(start);
    if (open !== OPEN_BRACE && open !== OPEN_BRACKET) return undefined;
    const found = new Map<string, JsonMember>();
    let at = skipSpace(text, start + 1);
    for (let index = 0; text.charCodeAt(at) !== CLOSE_BRACE && text.charCodeAt(at) !== CLOSE_BRACKET && at < text.length; index++) {
      let key: number | undefined;
      let name: string;
      if (open === OPEN_BRACE) {
        key = at;
        const end = stringEnd(text, at);
        name = readString(text, at, end);
        at = skipSpace(text, skipSpace(text, end + 1) + 1); // past the ':'
      } else {
        name = String(index);
      }
      // The first of repeated keys, as the scan did (a repeated key is refused before any place is asked for).
      if (!found.has(name)) found.set(name, { value: at, key });
      at = skipSpace(text, this.valueEnd(at));
      if (text.charCodeAt(at) === COMMA) at = skipSpace(text, at + 1);
    }
    this.members.set(start, found);
    return found;
  }

  /** The offset just past the value that starts at `start`. */
  private valueEnd(start: number): number {
    const text = this.text;
    const first = text.charCodeAt(start);
    if (first === OPEN_BRACE || first === OPEN_BRACKET) return this.closingOf(start) + 1;
    if (first === QUOTE) return stringEnd(text, start) + 1;
    let at = start;
    while (at < text.length && !SCALAR_ENDS.has(text.charCodeAt(at))) at++;
    return at;
  }

  /** The offset of the bracket that closes the one at `start` (which the scan saw open). */
  private closingOf(start: number): number {
    const opens = this.opens;
    let low = 0;
    let high = opens.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (opens[middle]! < start) low = middle + 1;
      else high = middle;
    }
    return this.closes[low]!;
  }

  /** Matches every bracket, and checks that no object repeats a key. */
  private scan(): JsonPositions["duplicateKey"] {
    const text = this.text;
    const { opens, closes } = this;
    const open: { index: number; keys: Set<string> | undefined; expectKey: boolean }[] = [];
    let duplicate: JsonPositions["duplicateKey"];
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === QUOTE) {
        const end = stringEnd(text, at);
        const top = open[open.length - 1];
        if (top?.keys && top.expectKey && duplicate === undefined) {
          const key = readString(text, at, end);
          if (top.keys.has(key)) duplicate = { key, place: this.place(at) };
          top.keys.add(key);
          top.expectKey = false;
        }
        at = end;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        open.push({ index: opens.length, keys: code === OPEN_BRACE ? new Set() : undefined, expectKey: code === OPEN_BRACE });
        opens.push(at);
        closes.push(text.length); // until its closing bracket is seen
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        const closed = open.pop();
        if (closed !== undefined) closes[closed.index] = at;
      } else if (code === COMMA) {
        const top = open[open.length - 1];
        if (top?.keys) top.expectKey = true;
      }
    }
    return duplicate;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** What ends a number, `true`, `false` or `null`. */
const SCALAR_ENDS = new Set([COMMA, CLOSE_BRACE, CLOSE_BRACKET, 0x20, 0x09, 0x0a, 0x0d]);

/** The offset of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0 || end === -1) return end === -1 ? text.length : end;
    end = text.indexOf('"', end + 1);
  }
}

function readString(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
}

function skipSpace(text: string, start: number): number {
  let at = start;
  for (let code = text.charCodeAt(at); code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09; code = text.charCodeAt(++at));
  return at;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}
