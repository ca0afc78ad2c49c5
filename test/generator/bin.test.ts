/**
 * The `zoomgen` bin as npm runs it: bin/zoomgen.mjs compiles generator/ into dist/generator/ when it is
 * stale, then runs it with no TypeScript loader. This is the path where openapi-typescript runs in a
 * worker thread (types.ts), so its output must equal the committed generated/ byte for byte.
 */
import { spawn, spawnSync } from "node:child_process";
import { cp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTree } from "../../generator/write.js";
import { REPO_ROOT } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const BIN = path.join(REPO_ROOT, "bin/zoomgen.mjs");
const run = (args: readonly string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, CI: "true" } });

describe("the zoomgen bin", () => {
  const temp = useTempDir("zoomgen-bin-");

  it("prints its help", () => {
    const result = run(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("--quiet");
  });

  it("generates the same bytes as the committed generated/, types from the worker thread", async () => {
    // Named like the committed folder: the generated README imports the client from where --out put it.
    const out = path.join(temp(), "generated");
    const result = run(["--out", out, "--no-cache"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const [fresh, committed] = await Promise.all([readTree(out), readTree(path.join(REPO_ROOT, "generated"))]);
    expect([...fresh.keys()]).toEqual([...committed.keys()]);
    for (const [name, content] of committed) expect(fresh.get(name), name).toBe(content);
  });
});

describe("the zoomgen bin's checks that run after the types worker has started typing", () => {
  const temp = useTempDir("zoomgen-bin-checks-");
  const spec = (paths: string, extra = "") =>
    `{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}${extra}, "paths": ${paths}, "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}}`;
  const ok = `{"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}}}}}`;

  it.each([
    ["a key repeated in an object", spec(ok, `, "info": {"title": "again", "version": "1"}`), /Map keys must be unique: "info" appears twice/],
    ["a $ref cycle with no way out", spec(ok), /\$ref cycle with no way out/],
  ])("still refuses %s, and exits", async (_, text, message) => {
    const file = path.join(temp(), `${message.source.length}.json`);
    await writeFile(file, text);
    const result = run(["--spec", file, "--out", path.join(temp(), "out"), "--no-cache"]);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(1);
  });
});

describe("the zoomgen bin in a checkout whose dist/generator/ is missing", () => {
  // A copy of the bin and generator/ (package.json, templates/ and runtime/ linked), inside the repository so that
  // node_modules resolves: the repository's own dist/generator/ is in use by other tests.
  const checkout = useTempDir("zoomgen-bin-build-", path.join(REPO_ROOT, "node_modules/.cache"));

  it("runs in several processes started at once, each building dist/generator/ without reading a file another is writing", async () => {
    const root = checkout();
    await cp(path.join(REPO_ROOT, "bin"), path.join(root, "bin"), { recursive: true });
    await cp(path.join(REPO_ROOT, "generator"), path.join(root, "generator"), { recursive: true });
    for (const name of ["package.json", "templates", "runtime"]) await symlink(path.join(REPO_ROOT, name), path.join(root, name));
    const start = () =>
      new Promise<{ status: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(root, "bin/zoomgen.mjs"), "--help"], { cwd: root });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("close", (status) => resolve({ status, output }));
      });
    for (let round = 0; round < 3; round++) {
      await rm(path.join(root, "dist"), { recursive: true, force: true });
      const results = await Promise.all([start(), start(), start(), start()]);
      for (const { status, output } of results) {
        expect(output).toContain("--quiet");
        expect(status, output).toBe(0);
      }
      expect((await readdir(path.join(root, "dist"))).sort()).toEqual(["generator"]); // no build folder left behind
    }
  }, 120_000);
});
