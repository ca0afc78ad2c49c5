/**
 * Every `example` / `examples` value in spec/zoom.yaml (parameters, headers, request bodies,
 * responses, schemas) validates against its schema with ajv (JSON Schema 2020-12, as OpenAPI
 * 3.1 uses). The cases are found by walking the document, not listed by hand; `$ref`s resolve
 * because the whole document is added to ajv under one id. Mutated examples must fail.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SPEC_ID = "https://zoomgen.local/spec/zoom.yaml";
const doc = parse(readFileSync(fileURLToPath(new URL("../../spec/zoom.yaml", import.meta.url)), "utf8")) as JsonObject;

// ajv and ajv-formats are CommonJS; `.default` is their ESM-compatible export.
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(doc, SPEC_ID);

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const escapeSegment = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const pointerOf = (path: readonly string[]): string => path.map((s) => "/" + escapeSegment(s)).join("");
const uriRefOf = (path: readonly string[]): string =>
  `${SPEC_ID}#${path.map((s) => "/" + encodeURIComponent(escapeSegment(s))).join("")}`;

/** Follows document-internal `$ref`s (`#/a/b`) until a non-reference node. */
function deref(node: Json | undefined): Json | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    if (hops > 20 || !current.$ref.startsWith("#/")) throw new Error(`cannot resolve ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split("/")
      .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<Json | undefined>((at, key) => (isObject(at) ? at[key] : Array.isArray(at) ? at[Number(key)] : undefined), doc);
  }
  return current;
}

interface ExampleCase {
  /** JSON pointer of the example in the spec. */
  where: string;
  /** Path of the schema the example must satisfy. */
  schemaPath: readonly string[];
  value: Json;
}

/** Walks the spec and collects one case per example. */
function collectCases(): ExampleCase[] {
  const cases: ExampleCase[] = [];
  const visit = (node: Json, path: string[], inSchema: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, String(i)], inSchema));
      return;
    }
    if (!isObject(node)) return;
    const examplesOwner = "schema" in node || inSchema;
    if (examplesOwner) {
      // Parameter, header or media type: examples apply to its `schema`. Schema: to itself.
      const schemaPath = "schema" in node && !inSchema ? [...path, "schema"] : path;
      if ("example" in node) cases.push({ where: pointerOf([...path, "example"]), schemaPath, value: node.example ?? null });
      const { examples } = node;
      if (inSchema && Array.isArray(examples)) {
        examples.forEach((value, i) => cases.push({ where: pointerOf([...path, "examples", String(i)]), schemaPath, value }));
      } else if (!inSchema && isObject(examples)) {
        for (const [name, example] of Object.entries(examples)) {
          const resolved = deref(example);
          if (!isObject(resolved) || !("value" in resolved)) throw new Error(`example without value at ${pointerOf([...path, "examples", name])}`);
          cases.push({ where: pointerOf([...path, "examples", name]), schemaPath, value: resolved.value ?? null });
        }
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === "example" || key === "examples") continue; // example values are data, not spec
      if (path.length === 1 && path[0] === "components" && key === "examples") continue; // validated where used
      const childInSchema = inSchema || key === "schema";
      if (inSchema && key === "properties" && isObject(child)) {
        // Keys of `properties` are property names, each a schema.
        for (const [name, schema] of Object.entries(child)) visit(schema, [...path, key, name], true);
        continue;
      }
      // `components/schemas` is a map of schemas, not a schema itself.
      if (path.length === 1 && path[0] === "components" && key === "schemas" && isObject(child)) {
        for (const [name, schema] of Object.entries(child)) visit(schema, [...path, key, name], true);
        continue;
      }
      visit(child, [...path, key], childInSchema);
    }
  };
  visit(doc, [], false);
  return cases;
}

const cases = collectCases();

function validate(schemaPath: readonly string[], value: unknown): { valid: boolean; errors: string } {
  const ref = uriRefOf(schemaPath);
  const check = ajv.getSchema(ref);
  if (!check) throw new Error(`ajv cannot resolve ${ref}`);
  const valid = check(value) as boolean;
  return { valid, errors: ajv.errorsText(check.errors, { separator: "; " }) };
}

/** Deep copy of the first example found at `where`, for mutation. */
function exampleAt(where: string): Json {
  const found = cases.find((c) => c.where === where);
  if (!found) throw new Error(`no example at ${where}; examples are: ${cases.map((c) => c.where).join(", ")}`);
  return structuredClone(found.value);
}

function caseAt(where: string): ExampleCase {
  const found = cases.find((c) => c.where === where);
  if (!found) throw new Error(`no example at ${where}`);
  return found;
}

describe("spec examples", () => {
  it("finds examples everywhere the spec documents content or parameters", () => {
    // Every parameter, request body media type and response media type carries an example.
    const missing: string[] = [];
    const owners: string[][] = [];
    for (const name of Object.keys((doc.components as JsonObject).parameters as JsonObject)) {
      owners.push(["components", "parameters", name]);
    }
    for (const [route, item] of Object.entries(doc.paths as JsonObject)) {
      for (const [method, operation] of Object.entries(item as JsonObject)) {
        if (!isObject(operation)) continue;
        const body = operation.requestBody as JsonObject | undefined;
        for (const mediaType of Object.keys((body?.content as JsonObject | undefined) ?? {})) {
          owners.push(["paths", route, method, "requestBody", "content", mediaType]);
        }
        for (const [status, response] of Object.entries(operation.responses as JsonObject)) {
          for (const mediaType of Object.keys(((response as JsonObject).content as JsonObject | undefined) ?? {})) {
            owners.push(["paths", route, method, "responses", status, "content", mediaType]);
          }
        }
      }
    }
    for (const owner of owners) {
      const prefix = pointerOf(owner) + "/example";
      if (!cases.some((c) => c.where === prefix || c.where.startsWith(prefix + "s/"))) missing.push(pointerOf(owner));
    }
    expect(owners.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it("uses every component example somewhere", () => {
    const used = JSON.stringify(doc.paths) + JSON.stringify({ ...(doc.components as JsonObject), examples: null });
    const unused = Object.keys(((doc.components as JsonObject).examples as JsonObject | undefined) ?? {}).filter(
      (name) => !used.includes(`"#/components/examples/${name}"`),
    );
    expect(unused).toEqual([]);
  });

  it.each(cases.map((c) => [c.where, c] as const))("%s validates against its schema", (_where, { schemaPath, value }) => {
    const { valid, errors } = validate(schemaPath, value);
    expect(valid, errors).toBe(true);
  });
});

describe("mutated examples fail", () => {
  const objectCases = cases.filter((c) => isObject(c.value) && Object.keys(c.value).length > 0);

  /** A value of another JSON type than `value`. */
  const otherType = (value: Json): Json =>
    typeof value === "string" ? 12345 : typeof value === "number" ? "12345" : typeof value === "boolean" ? "true" : Array.isArray(value) ? { items: value } : isObject(value) ? [value] : "null";

  const wrongTypeCases = objectCases.flatMap((c) =>
    Object.entries(c.value as JsonObject).map(([key, value]) => [`${c.where} with ${key} of the wrong type`, c, key, otherType(value)] as const),
  );

  it.each(wrongTypeCases)("%s", (_name, c, key, wrong) => {
    const mutated = { ...(c.value as JsonObject), [key]: wrong };
    expect(validate(c.schemaPath, mutated).valid).toBe(false);
  });

  const missingRequiredCases = objectCases.flatMap((c) => {
    const schema = deref(c.schemaPath.reduce<Json | undefined>((at, key) => (isObject(at) ? at[key] : Array.isArray(at) ? at[Number(key)] : undefined), doc));
    const required = isObject(schema) && Array.isArray(schema.required) ? (schema.required as string[]) : [];
    return required.map((key) => [`${c.where} without required ${key}`, c, key] as const);
  });

  it("has required fields to remove", () => {
    expect(missingRequiredCases.length).toBeGreaterThan(5);
  });

  it.each(missingRequiredCases)("%s", (_name, c, key) => {
    const mutated: JsonObject = { ...(c.value as JsonObject) };
    delete mutated[key];
    expect(validate(c.schemaPath, mutated).valid).toBe(false);
  });

  // The constraints the issue asks for, each a mutation of a recorded example.
  const invite = "/paths/~1chat~1users~1{userId}~1channels~1{channelId}~1members/post/requestBody/content/application~1json/examples/recorded";
  const update = "/paths/~1groups~1{groupId}~1members~1{memberId}/patch/requestBody/content/application~1json/examples/recorded";
  const imGroup = "/paths/~1im~1groups/post/requestBody/content/multipart~1form-data/examples/recorded";
  const batch = "/paths/~1meetings~1{meetingId}~1batch_registrants/post/requestBody/content/application~1json/examples/recorded";
  const user = "/paths/~1users~1{userId}/get/responses/200/content/application~1json/examples/recorded";
  const error = "/paths/~1users~1{userId}/get/responses/404/content/application~1json/examples/code1001";

  const constraintCases: [string, string, (value: any) => unknown][] = [
    ["6 channel members (max 5)", invite, (v) => ({ members: [...v.members, ...v.members, ...v.members] })],
    ["no channel members (min 1)", invite, () => ({ members: [] })],
    ["a member email that is not an email", invite, () => ({ members: [{ email: "not an email" }] })],
    ["action outside move|set_primary", update, (v) => ({ ...v, action: "delete" })],
    ["IM group type outside normal|shared|restricted", imGroup, (v) => ({ ...v, type: "private" })],
    ["search_by_domain as the text \"false\"", imGroup, (v) => ({ ...v, search_by_domain: "false" })],
    ["31 registrants (max 30)", batch, (v) => ({ ...v, registrants: Array.from({ length: 31 }, () => v.registrants[0]) })],
    ["a registrant without email", batch, (v) => ({ ...v, registrants: [{ first_name: "Ann" }] })],
    ["a registrant without first_name", batch, (v) => ({ ...v, registrants: [{ email: "ann@example.com" }] })],
    ["registrants as JSON text", batch, (v) => ({ ...v, registrants: JSON.stringify(v.registrants) })],
    ["user type as a string", user, (v) => ({ ...v, type: "2" })],
    ["user created_at not a date-time", user, (v) => ({ ...v, created_at: "yesterday" })],
    ["user custom attribute key as a number", user, (v) => ({ ...v, custom_attributes: [{ key: 1, name: "n", value: "v" }] })],
    ["Zoom error code as a string", error, (v) => ({ ...v, code: "1001" })],
  ];

  it.each(constraintCases)("%s", (_name, where, mutate) => {
    const mutated = mutate(exampleAt(where));
    expect(validate(caseAt(where).schemaPath, mutated).valid).toBe(false);
  });

  const meetingId = ["components", "parameters", "MeetingId", "schema"];
  const loginType = ["components", "parameters", "LoginType", "schema"];

  it.each([
    ["meetingId 0", meetingId, 0],
    ["meetingId 1.5", meetingId, 1.5],
    ["meetingId empty string", meetingId, ""],
    ["login_type 2 (not a login method)", loginType, 2],
    ["login_type as the text \"100\"", loginType, "100"],
  ] as const)("%s is rejected", (_name, schemaPath, value) => {
    expect(validate(schemaPath, value).valid).toBe(false);
  });
});

describe("meetingId accepts both forms", () => {
  const meetingId = ["components", "parameters", "MeetingId", "schema"];

  it.each([
    ["meetingId as a number", meetingId, 85746065432],
    ["meetingId as the recorded placeholder", meetingId, "quis officia in reprehenderit"],
  ] as const)("%s is accepted", (_name, schemaPath, value) => {
    expect(validate(schemaPath, value).valid).toBe(true);
  });
});
