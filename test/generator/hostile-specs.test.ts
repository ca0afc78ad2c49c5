/**
 * Odd but valid specs of issue 7 in one document: a schema nested 160 levels (it once overflowed the
 * formatter's stack), a 1 MB tag description (once 77 s and 984 MiB), and a recursive "any JSON value"
 * (`anyOf` of a string and an array of itself, once TS2502 in openapi.ts). The client must be generated
 * and type-check under strict TypeScript, and the recursive type must mean what the schema says.
 * How long and how much memory they take is measured in the benchmarks, not here.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckUse } from "../support/type-check.js";

const DEPTH = 160;
const DESCRIPTION_BYTES = 1024 * 1024;

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string", enum: ["innermost"] };
  for (let i = 0; i < depth; i++) schema = { type: "object", required: ["next"], properties: { next: schema } };
  return schema;
}

const json = (schema: unknown) => ({ content: { "application/json": { schema } } });

let work: string;
const workDir = useRepoTempDir("hostile-specs-");
let out: string;
let stderr: string;
beforeAll(async () => {
  work = workDir();
  out = path.join(work, "client");
  const spec = {
    openapi: "3.1.0",
    info: { title: "Hostile", version: "1" },
    tags: [{ name: "big", description: "word ".repeat(DESCRIPTION_BYTES / 5) }],
    paths: {
      "/deep": { post: { operationId: "deep", tags: ["big"], summary: "Deep", requestBody: json(nested(DEPTH)), responses: { "200": { description: "ok", ...json(nested(DEPTH)) } } } },
      "/json": { post: { operationId: "anyJson", tags: ["big"], summary: "Any JSON", requestBody: json({ $ref: "#/components/schemas/Json" }), responses: { "200": { description: "ok", ...json({ $ref: "#/components/schemas/Json" }) } } } },
    },
    components: { schemas: { Json: { anyOf: [{ type: "string" }, { type: "array", items: { $ref: "#/components/schemas/Json" } }] } } },
  };
  const file = path.join(work, "hostile.json");
  await writeFile(file, JSON.stringify(spec));
  const result = runCli(["--spec", file, "--out", out, "--no-cache"]);
  stderr = result.stderr;
  expect(result.status, result.stderr).toBe(0);
}, 180_000);

describe("hostile but valid specs", { timeout: 180_000 }, () => {
  it("are generated, with no crash on the way", () => {
    expect(stderr).not.toMatch(/internal error|RangeError|Maximum call stack/);
  });

  it("keep the recursive schema's array as a lazily resolved interface", async () => {
    const types = await readFile(path.join(out, "openapi.ts"), "utf8");
    expect(types).toContain('Json: string | JsonArray;');
    expect(types).toContain('export interface JsonArray extends Array<components["schemas"]["Json"]> {}');
  });

  it("type-check under strict TypeScript, with types that mean what the schemas say", async () => {
    const tsc = await typeCheckUse(
      work,
      [
        'import type { components, operations } from "./client/openapi.js";',
        'type Json = components["schemas"]["Json"];',
        'export const tree: Json = ["a", ["b", ["c"]], []];',
        "// @ts-expect-error a number is not a string or an array of Json",
        "export const notJson: Json = [1];",
        'type Deep = operations["deep"]["requestBody"] extends { content: { "application/json": infer B } } | undefined ? B : never;',
        `type Walk<T, N extends unknown[]> = N["length"] extends ${DEPTH} ? T : T extends { next: infer U } ? Walk<U, [...N, 0]> : never;`,
        'export const innermost: Walk<Deep, []> = "innermost";',
        "// @ts-expect-error the innermost value is an enum of one string",
        'export const other: Walk<Deep, []> = "other";',
        "",
      ].join("\n"),
    );
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("carry the 1 MB tag description into the README's group section", async () => {
    const readme = await readFile(path.join(out, "README.md"), "utf8");
    expect(readme.length).toBeGreaterThan(DESCRIPTION_BYTES);
  });
});
