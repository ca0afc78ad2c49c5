/**
 * types.ts calls openapi-typescript's transform itself instead of `openapiTS()`, to skip its second lint and
 * bundle pass on a document the loader already validated and bundled. The text must stay what `openapiTS()` gives.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { hoistInteriorRefs } from "../../generator/interior-refs.js";
import { loadSpec } from "../../generator/load.js";
import { generateTypes, loadTypeGenerator, typesOptions } from "../../generator/types.js";
import { REPO_ROOT } from "../support/cli.js";

const fixtures = readdirSync(path.join(REPO_ROOT, "test/fixtures/specs")).map((name) => `test/fixtures/specs/${name}`);
const specs = ["spec/zoom.yaml", "test/fixtures/swagger2/petstore.yaml", ...fixtures];

/**
 * What types.ts made before: openapiTS() with the same options, its lint and bundle pass included, on the
 * document with its interior `$ref`s hoisted (interior-refs.ts, which generateTypes applies first).
 */
async function throughOpenapiTS(document: Record<string, unknown>): Promise<string> {
  hoistInteriorRefs(document);
  const { options, declarations } = typesOptions(document, loadTypeGenerator().ts);
  const nodes = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], options);
  return astToString(nodes) + declarations();
}

describe("the types of openapi.ts", () => {
  it.each(specs)("are the text openapiTS() gives for %s", async (file) => {
    const { document } = await loadSpec(path.join(REPO_ROOT, file));
    const expected = await throughOpenapiTS(structuredClone(document));
    expect(expected.length).toBeGreaterThan(500);
    expect(generateTypes(structuredClone(document))).toBe(expected);
  });
});

describe("openapi-typescript's createRef, memoized while typing (types.ts)", () => {
  it("gives the pointers the original gives, for parts that are pointers, keys, numbers and odd text", async () => {
    const { createRequire } = await import("node:module");
    const utils = createRequire(import.meta.url)("openapi-typescript/dist/lib/utils.cjs") as { createRef(parts: unknown[]): string };
    const { withMemoizedCreateRef } = await import("../../generator/types.js");
    const cases: unknown[][] = [
      ["paths", "/users/{id}"],
      ["#/paths/~1users~1{id}/get", "responses", "200"],
      ["#/components/schemas/A", "properties", "a/b~c", 0, 1, "", undefined, null],
      ["#/components/schemas/%41%2F", "%7E", "x%zz"], // decodeURIComponent on pointers, and a malformed escape
      ["#/a//b#/c", "#/", "#", "~2"],
    ];
    const original = cases.map((parts) => utils.createRef(parts));
    // Twice inside: the second call of each comes from the memo.
    const memoized = withMemoizedCreateRef(() => [...cases, ...cases].map((parts) => utils.createRef(parts)));
    expect(memoized).toEqual([...original, ...original]);
    expect(() => withMemoizedCreateRef(() => utils.createRef([true]))).toThrow(TypeError); // as the original: escapePointer(true)
    expect(() => utils.createRef([true])).toThrow(TypeError);
  });
});

describe("the discriminator scan (skipped for a document without one)", () => {
  it("finds a discriminator with a propertyName anywhere, and only that", async () => {
    const { hasDiscriminator } = await import("../../generator/types.js");
    const nested = { oneOf: [{ allOf: [{ discriminator: { propertyName: "kind" } }] }] };
    expect(hasDiscriminator({ paths: { "/a": { get: { responses: { 200: { content: { "application/json": { schema: nested } } } } } } } })).toBe(true);
    expect(hasDiscriminator({ components: { schemas: { A: { discriminator: { mapping: {} } }, B: { properties: { discriminator: { type: "string" } } } } } })).toBe(false);
    const { document } = await loadSpec(path.join(REPO_ROOT, "test/fixtures/specs/discriminator-mapping.yaml"));
    expect(hasDiscriminator(document)).toBe(true);
    expect(hasDiscriminator((await loadSpec(path.join(REPO_ROOT, "spec/zoom.yaml"))).document)).toBe(false);
  });
});

describe("the printer's writer (types.ts printNodes: pieces instead of one growing string)", () => {
  it("prints what astToString prints, with every kind of line break in the comments and strings", async () => {
    const { printNodes } = await import("../../generator/types.js");
    const { ts } = loadTypeGenerator();
    const breaks = ["a\nb", "c\r\nd", "e\rf", "g\u2028h", "i\u2029j", "trailing\n", "\n", "  spaced  ", "*/ end"];
    const document = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {},
      components: {
        schemas: Object.fromEntries(
          breaks.map((text, i) => [`S${i}`, { type: "object", description: text, properties: { [`p${text}`]: { type: "string", enum: [text, `x${i}`], example: { text } } } }]),
        ),
      },
    };
    const nodes = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { silent: true });
    const expected = astToString(nodes);
    expect(expected).toContain("\u2028");
    expect(printNodes(ts, nodes, astToString)).toBe(expected);
  });
});
