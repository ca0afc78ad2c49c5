/**
 * JSON pointers (RFC 6901) as they appear in `$ref`s and problem locations, e.g.
 * `#/paths/~1users~1{userId}/get`. One reading and one writing for the whole generator.
 */

/** One key as a pointer segment: `~` → `~0`, `/` → `~1`. */
export function pointerSegment(key: string): string {
  return key.includes("~") || key.includes("/") ? key.replace(/~/g, "~0").replace(/\//g, "~1") : key;
}

/** The keys of a pointer, with or without the leading `#`; URI percent-escapes are decoded too. */
export function parsePointer(pointer: string): string[] {
  return pointer
    .replace(/^#?\/?/, "")
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => decodeUriSafely(segment).replace(/~1/g, "/").replace(/~0/g, "~"));
}

function decodeUriSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a bare "%" is a literal percent sign, not an escape
  }
}

/** The value at an internal pointer (`#/components/schemas/A`), or undefined when there is none; only own keys count. */
export function resolvePointer(document: unknown, ref: string): unknown {
  let node: unknown = document;
  for (const segment of parsePointer(ref)) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (typeof node === "object" && node !== null && !Array.isArray(node) && Object.hasOwn(node, segment)) node = (node as Record<string, unknown>)[segment];
    else return undefined;
  }
  return node;
}

/**
 * Where a node of a parsed document is, for walks that seldom need its pointer: the parent's place and the key
 * (undefined for the root). A walk that made each node's pointer text made as many strings as the document has
 * objects, for the few a message names.
 */
export interface Place {
  readonly parent: Place | undefined;
  readonly key: string;
}

/** The pointer of a place (`#` for the root). */
export function pointerAt(place: Place | undefined): string {
  const segments: string[] = [];
  for (let at = place; at !== undefined; at = at.parent) segments.push(pointerSegment(at.key));
  let pointer = "#";
  for (let i = segments.length - 1; i >= 0; i--) pointer += `/${segments[i]!}`;
  return pointer;
}

/** The key under the root that a place is in (undefined for the root itself). */
export function topKey(place: Place | undefined): string | undefined {
  let at = place;
  while (at?.parent !== undefined) at = at.parent;
  return at?.key;
}
