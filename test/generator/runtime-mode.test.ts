/**
 * Where generated code gets its runtime: by default it imports the package @zoomgen/runtime (the Zoom
 * profile's entry for a Zoom client) and the output holds no runtime; `--runtime bundle` puts a copy in
 * `<out>/runtime/` (with `zoom/` only for the Zoom profile), imported relatively, and the client compiles
 * from that copy alone. Wrong flag values are usage errors.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckStrict } from "../support/type-check.js";

let work: string;
const workDir = useRepoTempDir("runtime-mode-");
beforeAll(async () => {
  work = workDir();
});

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe("--runtime and --profile", { timeout: 180_000 }, () => {
  it("imports @zoomgen/runtime by default and copies nothing", async () => {
    const out = path.join(work, "package-mode");
    const result = runCli(["--spec", "test/fixtures/specs/tasks.yaml", "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    expect((await files(out)).filter((f) => f.startsWith("runtime"))).toEqual([]);
    expect(await readFile(path.join(out, "client.ts"), "utf8")).toContain('from "@zoomgen/runtime";');
    expect(await readFile(path.join(out, "index.ts"), "utf8")).toContain('export * from "@zoomgen/runtime";');
  });

  it("--runtime bundle: a self-contained copy of the core, imported relatively, that compiles", async () => {
    const out = path.join(work, "bundle", "client");
    const result = runCli(["--spec", "test/fixtures/specs/tasks.yaml", "--out", out, "--runtime", "bundle"]);
    expect(result.status, result.stderr).toBe(0);
    const all = await files(out);
    expect(all).toEqual(expect.arrayContaining(["runtime/index.ts", "runtime/client.ts", "runtime/profile.ts"]));
    expect(all.filter((f) => f.startsWith("runtime/zoom") || f.startsWith("runtime/redis") || f === "runtime/tsup.config.ts")).toEqual([]);
    for (const file of all.filter((f) => f.endsWith(".ts") && !f.startsWith("runtime/"))) {
      expect(await readFile(path.join(out, file), "utf8"), file).not.toContain("@zoomgen/runtime");
    }
    expect(await readFile(path.join(out, "client.ts"), "utf8")).toContain('from "./runtime/index.js";');
    // The package's `#node-http-fetch` (its `imports` map picks a browser stub) is the module itself in a copy.
    expect(all.filter((f) => f.endsWith(".browser.ts"))).toEqual([]);
    expect(await readFile(path.join(out, "runtime", "client.ts"), "utf8")).toContain('import { createNodeHttpFetch } from "./node-http-fetch.js";');
    for (const file of all.filter((f) => f.startsWith("runtime/"))) {
      expect(await readFile(path.join(out, file), "utf8"), file).not.toMatch(/from "#/);
    }
    const check = await typeCheckStrict(path.join(work, "bundle"));
    expect(check.status, check.output).toBe(0);
  });

  it("--profile zoom with --runtime bundle: the Zoom profile's folder too, and the client built on it", async () => {
    const out = path.join(work, "zoom-bundle");
    const result = runCli(["--spec", "test/fixtures/specs/tasks.yaml", "--out", out, "--runtime", "bundle", "--profile", "zoom"]);
    expect(result.status, result.stderr).toBe(0);
    expect(await files(out)).toEqual(expect.arrayContaining(["runtime/zoom/index.ts", "runtime/zoom/profile.ts"]));
    expect(await readFile(path.join(out, "client.ts"), "utf8")).toContain('from "./runtime/zoom/index.js";');
  });

  it("refuses an unknown profile or runtime mode, naming the choices", () => {
    const profile = runCli(["--spec", "test/fixtures/specs/tasks.yaml", "--out", path.join(work, "never"), "--profile", "slack"]);
    expect(profile.status).not.toBe(0);
    expect(profile.stderr).toContain('--profile must be zoom or generic (got "slack")');
    const runtime = runCli(["--spec", "test/fixtures/specs/tasks.yaml", "--out", path.join(work, "never"), "--runtime", "copy"]);
    expect(runtime.status).not.toBe(0);
    expect(runtime.stderr).toContain('--runtime must be package or bundle (got "copy")');
  });
});
