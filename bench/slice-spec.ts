/**
 * Slices of a large spec for the scaling curve: the first N operations (in document order) and only the
 * components they reach through `$ref`s, so the document grows with the operation count.
 */
type Json = Record<string, unknown>;

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** How many operations the document has. */
export function countOperations(document: Json): number {
  let count = 0;
  for (const item of Object.values(isRecord(document.paths) ? document.paths : {})) {
    if (isRecord(item)) count += Object.keys(item).filter((key) => METHODS.has(key)).length;
  }
  return count;
}

/** A copy of `document` with its first `operations` operations and the components they need (transitively). */
export function sliceSpec(document: Json, operations: number): Json {
  const paths: Json = {};
  let taken = 0;
  for (const [route, item] of Object.entries(isRecord(document.paths) ? document.paths : {})) {
    if (taken >= operations || !isRecord(item)) break;
    const kept: Json = {};
    for (const [key, value] of Object.entries(item)) {
      if (!METHODS.has(key)) kept[key] = value; // path-level parameters, servers, summary
      else if (taken < operations) {
        kept[key] = value;
        taken++;
      }
    }
    paths[route] = kept;
  }

  // Follow every internal $ref from the kept paths to a fixed point.
  const components: Record<string, Json> = {};
  const seen = new Set<string>();
  const pending: unknown[] = [paths];
  const source = isRecord(document.components) ? document.components : {};
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (isRecord(node)) {
      const ref = node.$ref;
      if (typeof ref === "string" && ref.startsWith("#/components/") && !seen.has(ref)) {
        seen.add(ref);
        const [kind, name] = ref.slice("#/components/".length).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
        const section = kind !== undefined && isRecord(source[kind]) ? source[kind] : undefined;
        if (section && name !== undefined && name in section) {
          (components[kind!] ??= {})[name] = section[name];
          pending.push(section[name]);
        }
      }
      for (const value of Object.values(node)) if (typeof value === "object") pending.push(value);
    }
  }
  // Security schemes are referenced by name, not $ref: keep them all (they are few).
  if (isRecord(source.securitySchemes)) components.securitySchemes = source.securitySchemes;
  // Webhooks (and GitHub's `x-webhooks`) are not operations: left out, with the components only they reach.
  const { webhooks: _webhooks, "x-webhooks": _xWebhooks, ...rest } = document;
  return { ...rest, paths, components };
}
