/**
 * JSON specs are read with JSON.parse and placed by JsonPositions (json-positions.ts) instead of the YAML parser:
 * every place must be the one the YAML parser gives for the same text, and a key repeated in one object (which
 * JSON.parse silently merges) must stay an error with its place.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit } from "yaml";
import { GeneratorError } from "../../generator/errors.js";
import { JsonPositions } from "../../generator/json-positions.js";
import { loadSpec } from "../../generator/load.js";
import { REPO_ROOT } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const temp = useTempDir("zoomgen-json-load-");

/** Every node of `text` parsed as YAML, with its keys, where its value starts and where its key starts. */
function yamlPlaces(text: string) {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const places: { keys: string[]; value: { line: number; col: number }; key: { line: number; col: number } | undefined }[] = [];
  visit(document, {
    Node(_key, node, ancestors) {
      const keys: string[] = [];
      let key: { line: number; col: number } | undefined;
      for (let i = 0; i < ancestors.length; i++) {
        const ancestor = ancestors[i]!;
        if (isPair(ancestor) && isScalar(ancestor.key)) {
          if (ancestor.key === node) return; // keys themselves are not values
          keys.push(String(ancestor.key.value));
          key = lineCounter.linePos(ancestor.key.range![0]);
        } else if (!isMap(ancestor) && "items" in ancestor && Array.isArray(ancestor.items)) {
          const child = ancestors[i + 1] ?? node;
          keys.push(String(ancestor.items.indexOf(child as never)));
          key = undefined;
        }
      }
      places.push({ keys, value: lineCounter.linePos(node.range![0]), key });
    },
  });
  return places;
}

const tricky = {
  openapi: "3.1.0",
  info: { title: "Tricky \"keys\" {and} [brackets]", version: "1", "x-\u00e9t\u00e9": "caf\u00e9 \\ / \u65e5\u672c" },
  paths: { "/a/{id}": { get: { responses: { "200": { description: "ok \\\"", content: { "application/json": { schema: { type: "array", items: [1, true, null, -2.5e3, { "a\"b": [] }] } } } } } } } },
  components: { schemas: { "~odd/name": { type: "object", properties: {} } } },
};

describe("a JSON spec's places", () => {
  it.each([
    ["pretty", JSON.stringify(tricky, null, 2)],
    ["minified", JSON.stringify(tricky)],
    ["escaped keys, CRLF, tabs", JSON.stringify(tricky, null, "\t").replace(/\n/g, "\r\n").replace('"openapi"', '"\\u006fpenapi"')],
  ])("are the YAML parser's for every value and key (%s)", (_name, text) => {
    const positions = new JsonPositions(text);
    expect(positions.duplicateKey).toBeUndefined();
    const places = yamlPlaces(text);
    expect(places.length).toBeGreaterThan(25);
    for (const { keys, value, key } of places) {
      const found = positions.locate(keys);
      expect({ keys, line: found.line, col: found.column }).toEqual({ keys, ...value });
      if (key) {
        const onKey = positions.locate(keys, { onKey: true });
        expect({ keys, line: onKey.line, col: onKey.column }).toEqual({ keys, ...key });
      }
    }
  });

  it("of a path that does not exist are its nearest ancestor's", () => {
    const text = JSON.stringify(tricky, null, 2);
    const positions = new JsonPositions(text);
    expect(positions.locate(["paths", "/a/{id}", "get", "summary"])).toEqual(positions.locate(["paths", "/a/{id}", "get"]));
    expect(positions.locate(["paths", "/a/{id}", "get", "summary"], { onKey: true }).line).toBe(text.split("\n").findIndex((line) => line.includes('"get"')) + 1);
  });

  it("name the line and column of a warning in a JSON spec file", async () => {
    const file = path.join(temp(), "format.json");
    const spec = { ...tricky, paths: { "/a": { get: { operationId: "getA", summary: "A", responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "string", format: "colour" } } } } } } } } };
    const text = JSON.stringify(spec, null, 2);
    await writeFile(file, text);
    const { warnings } = await loadSpec(file);
    const line = text.split("\n").findIndex((l) => l.includes('"format": "colour"')) + 1;
    const column = text.split("\n")[line - 1]!.indexOf('"colour"') + 1;
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`format\\.json:${line}:${column}: unknown format "colour".*\\(#/paths/~1a/get/responses/200/content/application~1json/schema/format\\)$`)));
  });
});

describe("a key repeated in one object of a JSON spec", () => {
  it.each([
    ["at the top", '{\n  "openapi": "3.1.0",\n  "info": {"title": "x", "version": "1"},\n  "openapi": "3.0.0",\n  "paths": {}\n}', "openapi", 4, 3],
    ["nested, written with an escape", '{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": {}, "g\\u0065t": {}}}}', "get", 1, 90],
  ])("is an error naming the key and its place (%s)", async (_name, text, key, line, column) => {
    const file = path.join(temp(), "duplicate.json");
    await writeFile(file, text);
    const error = await loadSpec(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as GeneratorError).message).toContain(`invalid JSON: Map keys must be unique: ${JSON.stringify(key)} appears twice in one object`);
    expect((error as GeneratorError).location).toEqual({ file: path.relative(process.cwd(), file), line, column });
  });

  it("is not confused by the same key in sibling objects or inside strings", () => {
    expect(new JsonPositions('{"a": {"x": 1}, "b": {"x": "\\"x\\": 2, \\"x\\""}, "c": [{"x": 1}, {"x": 2}]}').duplicateKey).toBeUndefined();
  });
});

describe("a JSON spec JSON.parse refuses", () => {
  it("is read by the YAML parser, which accepts a trailing comma", async () => {
    const file = path.join(temp(), "trailing-comma.json");
    await writeFile(file, '{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {},}');
    const { document } = await loadSpec(file);
    expect(document.openapi).toBe("3.1.0");
  });

  it("loads spec/zoom.yaml's document from its JSON form, the same value", async () => {
    const yamlSpec = await loadSpec(path.join(REPO_ROOT, "spec/zoom.yaml"));
    const file = path.join(temp(), "zoom.json");
    await writeFile(file, JSON.stringify(yamlSpec.document, null, 2));
    expect((await loadSpec(file)).document).toEqual(yamlSpec.document);
  });
});
