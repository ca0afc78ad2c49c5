/** --watch with a real process and real file changes: survives a broken save, reports changes, stops cleanly on SIGINT. */
import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, TSX } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("zoomgen-watch-");

const spec = (paths: Record<string, unknown>) =>
  JSON.stringify({ openapi: "3.1.0", info: { title: "Watch API", version: "1" }, paths }, null, 2);
const ping = { "/ping": { get: { operationId: "ping", tags: ["Health"], responses: { "204": { description: "ok" } } } } };
const pong = { "/pong": { get: { operationId: "pong", tags: ["Health"], responses: { "204": { description: "ok" } } } } };

describe("--watch", { timeout: 180_000 }, () => {
  it("regenerates on change, keeps the last good output on a broken save, recovers, and stops cleanly", async () => {
    const dir = tempDir();
    const specFile = path.join(dir, "api.json");
    const out = path.join(dir, "out");
    await writeFile(specFile, spec(ping));
    const child = spawn(process.execPath, [TSX, path.join(REPO_ROOT, "generator/cli.ts"), specFile, "-o", out, "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const waitFor = async (pattern: RegExp, from: number) => {
      for (let i = 0; i < 1200 && !pattern.test(output.slice(from)); i++) await new Promise((r) => setTimeout(r, 100));
      const match = pattern.exec(output.slice(from));
      expect(match, `waited for ${pattern} in:\n${output.slice(from)}`).not.toBeNull();
      return from + match!.index + match![0].length; // just past the match
    };
    try {
      let mark = await waitFor(/Watching \d+ file/, 0);
      const goodIndex = await readFile(path.join(out, "operations.ts"), "utf8");

      await writeFile(specFile, `${spec(ping).slice(0, 40)}\n  "broken": [`);
      mark = await waitFor(/api\.json:\d+:\d+/, mark);
      await waitFor(/Watching/, mark);
      expect(await readFile(path.join(out, "operations.ts"), "utf8")).toBe(goodIndex); // last good output kept

      await writeFile(specFile, spec({ ...ping, ...pong }));
      mark = await waitFor(/new operation[\s\S]*Watching/, mark);
      expect(output).toContain("GET /pong (health: pong): new operation");
      expect(await readFile(path.join(out, "operations.ts"), "utf8")).toContain("pong");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(output).toContain("Stopped watching.");
    expect((await readdir(dir)).filter((name) => name.startsWith(".out."))).toEqual([]); // no staging folder left
  });
});
