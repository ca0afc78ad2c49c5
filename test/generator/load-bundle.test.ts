/**
 * load.ts skips redocly's bundle for a document with no external `$ref` (it walked all of Zoom's published spec a
 * second time for nothing): the document must be the one bundling gives, and one with external `$ref`s is still bundled.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { bundle, createConfig, Source } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadSpec } from "../../generator/load.js";
import { REPO_ROOT } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const temp = useTempDir("zoomgen-load-bundle-");

/** The document redocly's bundle makes of `file`. */
async function bundledByRedocly(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  const config = await createConfig({});
  const result = await bundle({ config, dereference: false, doc: { source: new Source(file, text), parsed: parse(text) as unknown } });
  return result.bundle.parsed;
}

describe("a spec without external $refs", () => {
  it.each(["spec/zoom.yaml", "test/fixtures/specs/lint-findings.yaml", "test/fixtures/specs/media-types.yaml", "test/fixtures/specs/security.yaml", "test/fixtures/specs/styles.yaml", "test/fixtures/specs/tasks.yaml"])(
    "loads as the document redocly's bundle makes of it (%s)",
    async (name) => {
      const file = path.join(REPO_ROOT, name);
      const spec = await loadSpec(file);
      expect(spec.document).toEqual(await bundledByRedocly(file));
      expect(spec.inputFiles).toEqual([file]);
    },
  );
});

describe("a spec with an external $ref", () => {
  it("is bundled: the schema it names is copied in, and its file is an input", async () => {
    const dir = temp();
    await writeFile(path.join(dir, "item.yaml"), "type: object\nproperties:\n  id: { type: string }\n");
    await writeFile(
      path.join(dir, "api.yaml"),
      'openapi: 3.1.0\ninfo: { title: x, version: "1" }\npaths:\n  /items:\n    get:\n      operationId: listItems\n      summary: List\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: "./item.yaml" }\n',
    );
    const spec = await loadSpec(path.join(dir, "api.yaml"));
    expect(spec.inputFiles).toEqual([path.join(dir, "api.yaml"), path.join(dir, "item.yaml")]);
    expect(JSON.stringify(spec.document)).not.toContain("item.yaml");
    expect(spec.document).toEqual(await bundledByRedocly(path.join(dir, "api.yaml")));
  });
});
