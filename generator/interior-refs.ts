/**
 * openapi-typescript writes a `$ref` as indexed access on the type of what it points into: a ref to a component
 * schema is `components["schemas"]["Account"]`, but a ref into a schema's interior,
 * `#/components/schemas/Account/definitions/accountIdentifiers`, becomes `components["schemas"]["Account"]["definitions"]
 * ["accountIdentifiers"]`: a property the type of `Account` does not have (TS2339), and likewise for `items`,
 * `allOf/0`, `additionalProperties`, a schema under `paths` or a root-level `definitions`. So, before typing, each such
 * target is copied to a component schema of its own, named by its pointer (`Account/definitions/accountIdentifiers`,
 * a name no spec-conforming component can have), and the refs point there. The document is otherwise unchanged.
 */
import { parsePointer, pointerSegment, resolvePointer } from "./json-pointer.js";

/** Rewrites `document` in place (pass a copy); returns the pointers it hoisted, each with its component's name. */
export function hoistInteriorRefs(document: Record<string, unknown>): Map<string, string> {
  const interior = new Set<string>();
  forEachObject(document, (node) => {
    if (typeof node.$ref === "string" && isInterior(node.$ref)) interior.add(node.$ref);
  });
  const hoisted = new Map<string, string>();
  if (interior.size === 0) return hoisted;
  if (!isRecord(document.components)) document.components = {};
  const components = document.components as Record<string, unknown>;
  if (!isRecord(components.schemas)) components.schemas = {};
  const schemas = components.schemas as Record<string, unknown>;
  for (const ref of [...interior].sort()) {
    const target = resolvePointer(document, ref);
    if (target === undefined) continue; // the validators warn about a ref that leads nowhere
    const segments = parsePointer(ref);
    // The pointer as written (`~1` for a `/` in a key), so the name says where the schema is: `Account/definitions/b`.
    const base = (segments[0] === "components" && segments[1] === "schemas" ? segments.slice(2) : segments).map(pointerSegment).join("/");
    let name = base;
    for (let n = 2; Object.hasOwn(schemas, name); n++) name = `${base} ${n}`;
    // A copy taken before any ref is rewritten; the walk below rewrites the refs inside it too.
    schemas[name] = structuredClone(target);
    hoisted.set(ref, `#/components/schemas/${pointerSegment(name)}`);
  }
  forEachObject(document, (node) => {
    const moved = typeof node.$ref === "string" ? hoisted.get(node.$ref) : undefined;
    if (moved !== undefined) node.$ref = moved;
    const mapping = isRecord(node.discriminator) && isRecord(node.discriminator.mapping) ? node.discriminator.mapping : undefined;
    for (const [value, target] of Object.entries(mapping ?? {})) {
      const mappedTo = typeof target === "string" ? hoisted.get(target) : undefined;
      if (mappedTo !== undefined) mapping![value] = mappedTo;
    }
  });
  return hoisted;
}

/** An internal ref openapi-typescript cannot express: into a schema, or to a place outside `components`. */
function isInterior(ref: string): boolean {
  if (!ref.startsWith("#/")) return false;
  const segments = parsePointer(ref);
  if (segments[0] === "components") return segments.length > 3 && (segments[1] === "schemas" || segments.includes("schema"));
  if (segments[0] === "paths" || segments[0] === "webhooks") return segments.includes("schema");
  // Root-level `definitions`/`$defs`, left over from Swagger 2 or JSON Schema: there is no such type.
  return segments[0] === "definitions" || segments[0] === "$defs";
}

/** Calls `visit` on every object of the document (arrays are walked through, not visited). */
function forEachObject(root: unknown, visit: (node: Record<string, unknown>) => void): void {
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    if (!Array.isArray(node)) visit(node as Record<string, unknown>);
    for (const value of Object.values(node)) if (typeof value === "object" && value !== null) stack.push(value);
  }
}

/** A JSON object (not an array); local, so the types worker does not load the spec reader. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
