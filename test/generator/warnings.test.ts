/**
 * Only what makes generation impossible is an error: lint findings and features the client does not
 * implement are warnings on stderr, each naming file:line:column and the JSON pointer, and the
 * client is generated all the same.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("zoomgen-warnings-");
const SPEC = "test/fixtures/specs/lint-findings.yaml";

describe("warnings, not errors", { timeout: 120_000 }, () => {
  it("generates a spec with identical paths, a missing summary, an unknown format, links and callbacks", () => {
    const { status, stdout, stderr } = runCli(["--spec", SPEC, "--out", path.join(tempDir(), "client"), "--no-cache"]);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/Wrote .* 2 operations/);
    expect(stderr).toMatch(/^6 warnings \(generation went on\):$/m);
    const at = (line: number) => new RegExp(`warning: ${SPEC.replaceAll(".", "\\.")}:${line}:\\d+: `);
    expect(stderr).toMatch(at(16));
    expect(stderr).toMatch(/Paths should resolve unambiguously/);
    expect(stderr).toMatch(/differs only by path parameter name.*\(#\/paths\/~1items~1\{slug\}\)/);
    expect(stderr).toMatch(/Operation object should contain `summary` field.*\(#\/paths\/~1items~1\{itemId\}\/get\/summary\)/);
    expect(stderr).toMatch(/:21:\d+: unknown format "slug-v2": not checked by the client \(#\/paths\/~1items~1\{slug\}\/put\/parameters\/0\/schema\/format\)/);
    expect(stderr).toMatch(/:15:\d+: links are not supported: the client ignores them \(#\/paths\/~1items~1\{itemId\}\/get\/responses\/200\/links\)/);
    expect(stderr).toMatch(/:23:\d+: callbacks are not supported: the client ignores them \(#\/paths\/~1items~1\{slug\}\/put\/callbacks\)/);
  });

  it("shows a count and the first ten, and every one with --verbose", async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`/r${i}`, { get: { operationId: `get${i}`, responses: { "200": { description: "ok" } } } }]),
    );
    const spec = path.join(tempDir(), "no-summaries.json");
    await writeFile(spec, JSON.stringify({ openapi: "3.1.0", info: { title: "Many", version: "1" }, paths }, null, 2));
    const quiet = runCli(["--spec", spec, "--out", path.join(tempDir(), "q"), "--no-cache"]);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).toMatch(/^12 warnings/m);
    expect(quiet.stderr.match(/warning: /g)).toHaveLength(10);
    expect(quiet.stderr).toContain("... and 2 more (--verbose shows all)");
    const verbose = runCli(["--spec", spec, "--out", path.join(tempDir(), "v"), "--no-cache", "--verbose"]);
    expect(verbose.status).toBe(0);
    expect(verbose.stderr.match(/warning: /g)).toHaveLength(12);
  });

  it("names each check the validators skip, with file:line:column and the pointer", async () => {
    const spec = path.join(tempDir(), "patterns.yaml");
    await writeFile(
      spec,
      [
        "openapi: 3.1.0",
        "info: { title: Patterns, version: '1' }",
        "paths:",
        "  /items/{code}:",
        "    get:",
        "      operationId: getItem",
        "      summary: One item",
        "      parameters:",
        "        - name: code",
        "          in: path",
        "          required: true",
        "          schema:",
        "            type: string",
        "            pattern: '^(a+)+$'",
        "      responses:",
        "        '200': { description: ok }",
        "",
      ].join("\n"),
    );
    const { status, stderr } = runCli(["--spec", spec, "--out", path.join(tempDir(), "p"), "--no-cache"]);
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/^1 warning \(generation went on\):$/m);
    expect(stderr).toMatch(/warning: \S*patterns\.yaml:14:\d+: pattern "\^\(a\+\)\+\$" can take exponential time .*its check is skipped \(#\/paths\/~1items~1\{code\}\/get\/parameters\/0\/schema\/pattern\)/);
  });

  it("a key the structure does not define (nullable in OpenAPI 3.1) is a warning, and the client is generated", async () => {
    const spec = path.join(tempDir(), "nullable.json");
    const schema = { type: "object", properties: { next: { type: "string", nullable: true } } };
    const paths = { "/page": { get: { operationId: "getPage", summary: "A page", responses: { "200": { description: "ok", content: { "application/json": { schema } } } } } } };
    await writeFile(spec, JSON.stringify({ openapi: "3.1.0", info: { title: "Nullable", version: "1" }, paths }, null, 2));
    const { status, stderr } = runCli(["--spec", spec, "--out", path.join(tempDir(), "n"), "--no-cache"]);
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/warning: \S*nullable\.json:\d+:\d+: Property `nullable` is not expected here\.? \(#\/paths\/~1page\/get\/responses\/200\/content\/application~1json\/schema\/properties\/next\/nullable\)/);
  });
});
