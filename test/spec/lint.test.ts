/**
 * Lints spec/zoom.yaml with the real Redocly CLI (2.x, `recommended` rules via redocly.yaml)
 * and requires zero errors and zero warnings. A second run on a deliberately broken copy
 * proves the linter, its config and the JSON report parsing can fail.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));
const specPath = join(root, "spec", "zoom.yaml");
const configPath = join(root, "redocly.yaml");
const cliPath = join(root, "node_modules", "@redocly", "cli", "bin", "cli.js");

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { pointer?: string; start?: { line: number; col: number } }[];
}

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: LintProblem[];
}

function lint(file: string): { status: number | null; report: LintReport } {
  const run = spawnSync(process.execPath, [cliPath, "lint", file, "--format=json", `--config=${configPath}`], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    // No telemetry and no update check: the test must not depend on the network.
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
  });
  if (run.error) throw run.error;
  try {
    return { status: run.status, report: JSON.parse(run.stdout) as LintReport };
  } catch {
    throw new Error(`redocly lint printed no JSON report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

function describeProblem(problem: LintProblem): string {
  const where = problem.location?.[0];
  const line = where?.start ? `:${where.start.line}:${where.start.col}` : "";
  return `${problem.severity} ${problem.ruleId} ${where?.pointer ?? ""}${line}: ${problem.message}`;
}

describe("redocly lint", () => {
  it("uses a config that extends the recommended rules", () => {
    const config = parse(readFileSync(configPath, "utf8")) as { extends?: unknown };
    expect(config.extends).toContain("recommended");
  });

  it("reports zero errors and zero warnings on spec/zoom.yaml", () => {
    const { status, report } = lint(specPath);
    expect(report.problems.map(describeProblem)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(status).toBe(0);
  });

  it("fails on a broken copy of the spec (the check can fail)", () => {
    const doc = parse(readFileSync(specPath, "utf8"));
    const getUser = doc.paths["/users/{userId}"].get;
    delete getUser.summary; // operation-summary: error
    getUser.responses["200"].content["application/json"].examples.recorded.value.account_number = "20212021"; // invalid example: warning
    const dir = mkdtempSync(join(tmpdir(), "zoom-spec-lint-"));
    try {
      const broken = join(dir, "zoom.yaml");
      writeFileSync(broken, stringify(doc));
      const { status, report } = lint(broken);
      expect(status).not.toBe(0);
      expect(report.totals.errors).toBeGreaterThan(0);
      expect(report.totals.warnings).toBeGreaterThan(0);
      expect(report.problems.map((p) => p.ruleId)).toEqual(
        expect.arrayContaining(["operation-summary", "no-invalid-media-type-examples"]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
