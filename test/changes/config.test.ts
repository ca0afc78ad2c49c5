/** zoomgen.config.*: several clients from one file, flags override it, unknown keys are refused. Real CLI process. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTree } from "../../generator/write.js";
import { runCli } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("zoomgen-config-");

const spec = (title: string) =>
  JSON.stringify({
    openapi: "3.1.0",
    info: { title, version: "1.0.0" },
    paths: { "/ping": { get: { operationId: "ping", tags: ["Health"], responses: { "204": { description: "ok" } } } } },
  });

describe("config file", { timeout: 180_000 }, () => {
  it("generates several clients from zoomgen.config.json in the current folder; flags override it", async () => {
    const dir = tempDir();
    await mkdir(path.join(dir, "specs"));
    await writeFile(path.join(dir, "specs/a.json"), spec("Alpha API"));
    await writeFile(path.join(dir, "specs/b.json"), spec("Beta API"));
    await writeFile(
      path.join(dir, "zoomgen.config.json"),
      JSON.stringify({ noCache: true, clients: [{ spec: "specs/a.json", out: "out/a" }, { spec: "specs/b.json", out: "out/b", name: "Bee" }] }),
    );
    const result = runCli([], dir);
    expect(result.status, result.stderr).toBe(0);
    expect((await readTree(path.join(dir, "out/a"))).get("index.ts")).toContain("createAlphaClient");
    expect((await readTree(path.join(dir, "out/b"))).get("index.ts")).toContain("createBeeClient");

    // --check from the command line overrides the file: out/b is in sync, so exit 0 and nothing written.
    const check = runCli(["--check"], dir);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain("is in sync");
  });

  it("names the unknown key and the file", async () => {
    const dir = path.join(tempDir(), "bad");
    await mkdir(dir);
    await writeFile(path.join(dir, "my.config.json"), JSON.stringify({ clients: [{ spec: "a.json", outDir: "x" }] }));
    const result = runCli(["-c", "my.config.json"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('config my.config.json: unknown key "clients[0].outDir"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
