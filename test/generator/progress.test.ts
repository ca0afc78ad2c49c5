/**
 * Progress lines: on a terminal they name each stage with counts; a pipe, CI and --quiet get none.
 * The TTY case runs the real CLI under `script`, which gives it a pseudo-terminal.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createProgress, progressEnabled } from "../../generator/progress.js";
import { REPO_ROOT, TSX } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

describe("progress", () => {
  it("is on only for a terminal, outside CI, without --quiet", () => {
    expect(progressEnabled({ quiet: false, isTTY: true, ci: undefined })).toBe(true);
    expect(progressEnabled({ quiet: false, isTTY: true, ci: "false" })).toBe(true);
    expect(progressEnabled({ quiet: true, isTTY: true, ci: undefined })).toBe(false);
    expect(progressEnabled({ quiet: false, isTTY: false, ci: undefined })).toBe(false);
    expect(progressEnabled({ quiet: false, isTTY: true, ci: "true" })).toBe(false);
    expect(progressEnabled({ quiet: false, isTTY: true, ci: "1" })).toBe(false);
  });

  it("writes one line per stage with the elapsed time, or nothing when off", () => {
    const lines: string[] = [];
    createProgress(true, (line) => lines.push(line))("rendering 5 operations");
    createProgress(false, (line) => lines.push(line))("never shown");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^zoomgen: rendering 5 operations \(\d+\.\d s\)\n$/);
  });

  const temp = useTempDir("zoomgen-progress-");

  it("shows stages and counts on a terminal, and none with --quiet or in CI", () => {
    const run = (extra: string, env: Record<string, string | undefined>) => {
      const out = path.join(temp(), `out-${Math.random().toString(36).slice(2)}`);
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(TSX)} generator/cli.ts --no-cache --out ${JSON.stringify(out)} ${extra}`;
      const result = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } });
      expect(result.status).toBe(0);
      return result.stdout;
    };
    const shown = run("", { CI: undefined });
    expect(shown).toMatch(/zoomgen: reading and validating zoom\.yaml \(\d+\.\d s\)/);
    expect(shown).toMatch(/zoomgen: rendering \d+ operations in \d+ groups, \d+ schemas/);
    expect(shown).toMatch(/zoomgen: writing \d+ files/);
    expect(run("--quiet", { CI: undefined })).not.toContain("zoomgen: rendering");
    expect(run("", { CI: "true" })).not.toContain("zoomgen: rendering");
  });
});
