/**
 * The `zoomgen` bin as npm runs it: bin/zoomgen.mjs compiles generator/ into dist/generator/ when it is
 * stale, then runs it with no TypeScript loader. This is the path where openapi-typescript runs in a
 * worker thread (types.ts), so its output must equal the committed generated/ byte for byte.
 */
import { spawnSync } from "node:child_process";
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
