/**
 * The runtime's JSON Schema checker against a table of schemas and instances, cross-checked with ajv
 * (2020-12, ajv-formats full mode), and the generator's normalisation: OpenAPI 3.0, patterns, $refs.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import ts from "typescript";
import { compileValidators } from "../../generator/validators.js";
import type { OperationModel } from "../../generator/model.js";
import { checkSchema, type Schema } from "@zoomgen/runtime/zoom";

/** JSON Schema (plain JSON, `$ref`s to `#/$defs/...`) and instances, each with the expected verdict. */
const TABLE: { name: string; schema: Record<string, unknown>; valid: unknown[]; invalid: unknown[] }[] = [
  { name: "type list", schema: { type: ["string", "null"] }, valid: ["a", null], invalid: [1, {}] },
  { name: "integer", schema: { type: "integer" }, valid: [1, -3, 1e3], invalid: [1.5, "1"] },
  { name: "const", schema: { const: { a: [1, 2] } }, valid: [{ a: [1, 2] }], invalid: [{ a: [2, 1] }, null] },
  { name: "enum of mixed", schema: { enum: ["a", 1, null, [1]] }, valid: ["a", 1, null, [1]], invalid: ["b", [2], {}] },
  { name: "allOf", schema: { allOf: [{ minimum: 2 }, { maximum: 4 }] }, valid: [2, 4, "x"], invalid: [1, 5] },
  { name: "anyOf", schema: { anyOf: [{ type: "string" }, { type: "integer" }] }, valid: ["a", 3], invalid: [1.5, null] },
  { name: "oneOf", schema: { oneOf: [{ type: "integer" }, { minimum: 2 }] }, valid: [1, 2.5], invalid: [3, 1.5] },
  { name: "not", schema: { not: { type: "string" } }, valid: [1, null], invalid: ["a"] },
  {
    name: "if/then/else",
    schema: { if: { properties: { kind: { const: "a" } } }, then: { required: ["a"] }, else: { required: ["b"] } },
    valid: [{ kind: "a", a: 1 }, { kind: "b", b: 1 }],
    invalid: [{ kind: "a", b: 1 }, { kind: "b", a: 1 }],
  },
  { name: "exclusive bounds", schema: { exclusiveMinimum: 0, exclusiveMaximum: 10 }, valid: [0.5, 9.9], invalid: [0, 10] },
  { name: "multipleOf", schema: { multipleOf: 3 }, valid: [0, 9, -3], invalid: [4, 1.5] },
  { name: "multipleOf decimal", schema: { multipleOf: 0.5 }, valid: [1.5, 2], invalid: [1.25] },
  { name: "string lengths in code points", schema: { minLength: 2, maxLength: 3 }, valid: ["ab", "😀😀😀"], invalid: ["a", "abcd"] },
  { name: "pattern is a search", schema: { pattern: "b+" }, valid: ["abbc"], invalid: ["ac"] },
  { name: "array bounds and items", schema: { minItems: 1, maxItems: 2, items: { type: "integer" } }, valid: [[1], [1, 2]], invalid: [[], [1, 2, 3], ["a"]] },
  { name: "prefixItems then items", schema: { prefixItems: [{ type: "string" }], items: { type: "integer" } }, valid: [["a", 1, 2], []], invalid: [[1], ["a", "b"]] },
  { name: "items false", schema: { prefixItems: [{}], items: false }, valid: [[1]], invalid: [[1, 2]] },
  { name: "contains with min/max", schema: { contains: { type: "string" }, minContains: 2, maxContains: 3 }, valid: [["a", "b", 1]], invalid: [["a"], ["a", "b", "c", "d"]] },
  { name: "uniqueItems deep", schema: { uniqueItems: true }, valid: [[{ a: 1 }, { a: 2 }], [1, "1"]], invalid: [[{ a: 1, b: 2 }, { b: 2, a: 1 }]] },
  { name: "property counts", schema: { minProperties: 1, maxProperties: 2 }, valid: [{ a: 1 }], invalid: [{}, { a: 1, b: 2, c: 3 }] },
  { name: "required", schema: { required: ["a", "b"] }, valid: [{ a: 1, b: 2 }], invalid: [{ a: 1 }, {}, { a: 1, b: undefined }] },
  { name: "dependentRequired", schema: { dependentRequired: { card: ["billing"] } }, valid: [{}, { card: 1, billing: 2 }], invalid: [{ card: 1 }] },
  { name: "dependentSchemas", schema: { dependentSchemas: { a: { required: ["b"] } } }, valid: [{ b: 1 }, { a: 1, b: 1 }], invalid: [{ a: 1 }] },
  {
    name: "properties, patternProperties, additionalProperties",
    schema: { properties: { id: { type: "integer" } }, patternProperties: { "^x-": { type: "string" } }, additionalProperties: false },
    valid: [{ id: 1, "x-a": "s" }, {}],
    invalid: [{ id: "1" }, { "x-a": 1 }, { other: 1 }, { toString: 1 }],
  },
  { name: "additionalProperties schema", schema: { properties: { a: {} }, additionalProperties: { type: "number" } }, valid: [{ a: "s", b: 1 }], invalid: [{ b: "s" }] },
  { name: "propertyNames", schema: { propertyNames: { maxLength: 3 } }, valid: [{ abc: 1 }], invalid: [{ abcd: 1 }] },
  { name: "false schema", schema: { properties: { never: false } }, valid: [{}], invalid: [{ never: 1 }] },
  { name: "formats on the right type only", schema: { format: "email" }, valid: ["a@b.co", 5], invalid: ["nope"] },
  { name: "unknown format passes", schema: { format: "zoom-id" }, valid: ["anything"], invalid: [] },
  {
    name: "recursive $ref",
    schema: { $defs: { node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } }, additionalProperties: false } }, $ref: "#/$defs/node" },
    valid: [{ children: [{ children: [] }] }],
    invalid: [{ children: [{ children: [{ bad: 1 }] }] }],
  },
];

/** Compiles `schema` as an operation's body through the generator and loads the emitted module. */
async function viaGenerator(schema: Record<string, unknown>, openapi = "3.1.0"): Promise<{ body: Schema; warnings: readonly { message: string; pointer: string }[] }> {
  const { $defs, ...root } = schema;
  const document = { openapi, info: { title: "t", version: "1" }, paths: {}, components: { schemas: ($defs ?? {}) as object } };
  const rewritten = JSON.parse(JSON.stringify(root).replaceAll("#/$defs/", "#/components/schemas/")) as Record<string, unknown>;
  const definitions = JSON.parse(JSON.stringify(document).replaceAll("#/$defs/", "#/components/schemas/")) as Record<string, unknown>;
  const { source, warnings } = compileValidators(definitions, [operationWithBody(rewritten)]);
  const javascript = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = (await import(`data:text/javascript,${encodeURIComponent(javascript)}`)) as { opInput: { properties: { body: Schema } } };
  return { body: module.opInput.properties.body, warnings };
}

function operationWithBody(schema: Record<string, unknown>): OperationModel {
  return {
    id: "op", methodName: "op", typeName: "op", method: "POST", path: "/op", summary: undefined, description: undefined,
    deprecated: false, idempotent: false, pathParams: [], queryParams: [], headerParams: [], security: [], cookieParams: [], responses: [],
    requestBody: { required: true, description: undefined, mediaTypes: ["application/json"], sentAsBytes: false, schema, example: undefined },
  };
}

const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
addFormats.default(ajv, { mode: "full", keywords: false });

describe("checkSchema on a table of schemas", () => {
  for (const row of TABLE) {
    it(`${row.name}: agrees with the table and with ajv`, async () => {
      const { body } = await viaGenerator(row.schema);
      const reference = ajv.compile(row.schema);
      for (const value of row.valid) {
        expect([value, checkSchema(body, value)]).toEqual([value, []]);
        expect([value, reference(value)]).toEqual([value, true]);
      }
      for (const value of row.invalid) {
        expect([value, checkSchema(body, value).length > 0]).toEqual([value, true]);
        expect([value, reference(value)]).toEqual([value, false]);
      }
    });
  }

  it("never takes a name from Object.prototype for a property (where ajv does)", async () => {
    const { body } = await viaGenerator({ required: ["constructor"], properties: { toString: { type: "string" } } });
    expect(checkSchema(body, {}).map((i) => i.params)).toEqual([{ missingProperty: "constructor" }]);
    expect(checkSchema(body, { constructor: 1 })).toEqual([]);
  });

  it("reports the same paths, keywords and params as ajv for flat failures", async () => {
    const schema = {
      type: "object",
      required: ["id"],
      properties: {
        name: { type: "string", maxLength: 3, pattern: "^[a-z]+$" },
        tags: { type: "array", items: { type: "string", format: "uuid" }, uniqueItems: true },
        "a/b": { type: "integer", minimum: 1 },
      },
      additionalProperties: false,
    };
    const value = { name: "ABCD", tags: ["x", "x"], "a/b": 0, extra: true };
    const { body } = await viaGenerator(schema);
    const reference = ajv.compile(schema);
    reference(value);
    const shape = (issues: readonly { instancePath: string; keyword: string; params: unknown }[]) =>
      issues.map((i) => `${i.instancePath} ${i.keyword} ${JSON.stringify(i.params)}`).sort();
    expect(shape(checkSchema(body, value))).toEqual(shape(reference.errors ?? []));
  });
});

describe("checkSchema compiles each schema once", () => {
  it("checks a recursive schema the same way every time, issues in order with their pointers, messages and params", () => {
    const node: Schema = {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string", minLength: 2 }, children: { type: "array", items: { $ref: () => node } } },
      additionalProperties: false,
    };
    const root: Schema = { $ref: () => node };
    const value = { children: [{ name: "a" }, { name: "ok", children: [{ name: 3, extra: 1 }] }] };
    const expected = [
      { instancePath: "", keyword: "required", message: "must have required property 'name'", params: { missingProperty: "name" } },
      { instancePath: "/children/0/name", keyword: "minLength", message: "must NOT have fewer than 2 characters", params: { limit: 2 } },
      { instancePath: "/children/1/children/0", keyword: "additionalProperties", message: "must NOT have additional properties", params: { additionalProperty: "extra" } },
      { instancePath: "/children/1/children/0/name", keyword: "type", message: "must be string", params: { type: "string" } },
    ];
    expect(checkSchema(root, value)).toEqual(expected);
    expect(checkSchema(root, value)).toEqual(expected); // the second run uses the compiled checkers
    expect(checkSchema(node, { name: "ok", children: [] })).toEqual([]);
  });
});

describe("normalisation at generation", () => {
  it("reads OpenAPI 3.0 nullable and boolean exclusive bounds as 3.0 means them", async () => {
    const { body } = await viaGenerator({ type: "object", properties: { n: { type: "integer", nullable: true, minimum: 0, exclusiveMinimum: true } } }, "3.0.3");
    expect(checkSchema(body, { n: null })).toEqual([]);
    expect(checkSchema(body, { n: 1 })).toEqual([]);
    expect(checkSchema(body, { n: 0 }).map((i) => i.keyword)).toEqual(["exclusiveMinimum"]);
  });

  it("reads patterns without the u flag, and with it only when they need it", async () => {
    const { body, warnings } = await viaGenerator({ properties: { day: { pattern: "^2021\\-03\\-31$" }, name: { pattern: "^\\p{Lu}" } } });
    expect(warnings).toEqual([]);
    expect(checkSchema(body, { day: "2021-03-31", name: "Émile" })).toEqual([]);
    expect(checkSchema(body, { day: "2021-03-30", name: "émile" }).map((i) => i.instancePath)).toEqual(["/day", "/name"]);
  });

  it("skips a pattern no engine accepts, and a catastrophic one, with a warning naming the JSON pointer", async () => {
    const { body, warnings } = await viaGenerator({
      properties: { broken: { type: "string", pattern: "([a-z]" }, evil: { type: "string", pattern: "^(a+)+$" } },
    });
    expect(warnings.map((w) => w.pointer)).toEqual([
      "#/paths/~1op/post/requestBody/content/application~1json/schema/properties/broken/pattern",
      "#/paths/~1op/post/requestBody/content/application~1json/schema/properties/evil/pattern",
    ]);
    expect(warnings[0]!.message).toMatch(/not a valid regular expression/);
    expect(warnings[1]!.message).toMatch(/exponential time/);
    const started = performance.now();
    expect(checkSchema(body, { broken: "x", evil: `${"a".repeat(40)}!` })).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(checkSchema(body, { evil: 1 }).map((i) => i.keyword)).toEqual(["type"]); // the other checks stay
  });

  it("emits each shared schema once and keeps __proto__ an ordinary property", async () => {
    const schema = { $defs: { Member: { type: "object", required: ["email"] } }, properties: { a: { $ref: "#/$defs/Member" }, b: { $ref: "#/$defs/Member" }, ["__proto__"]: { type: "string" } } };
    const { body } = await viaGenerator(schema);
    expect(checkSchema(body, { a: {}, b: { email: "x" } }).map((i) => `${i.instancePath} ${i.keyword}`)).toEqual(["/a required"]);
    expect(checkSchema(body, JSON.parse('{"__proto__": 1}'))).toEqual([
      expect.objectContaining({ instancePath: "/__proto__", keyword: "type" }),
    ]);
  });
});
