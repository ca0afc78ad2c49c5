/**
 * The commands .github/workflows/regenerate.yml runs, run as the workflow runs them (bash, the
 * step's env), against a real git repository: the report lands in the job summary, a breaking
 * change fails the step unless the pull request is labelled "major change".
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("zoomgen-workflow-");

interface Step { name?: string; run?: string; env?: Record<string, string> }

async function steps(file: string): Promise<Step[]> {
  const workflow = parse(await readFile(path.join(REPO_ROOT, file), "utf8")) as { jobs: { regenerate: { steps: Step[] } } };
  return workflow.jobs.regenerate.steps;
}

describe("regenerate workflow", { timeout: 180_000 }, () => {
  it("checks the committed client with --check (the command the CLI tests cover)", async () => {
    expect((await steps(".github/workflows/regenerate.yml")).map((s) => s.run)).toContain("npx tsx generator/cli.ts --check");
  });

  it("the docs template is the same workflow with the published command", async () => {
    const [ours, template] = await Promise.all([readFile(path.join(REPO_ROOT, ".github/workflows/regenerate.yml"), "utf8"), readFile(path.join(REPO_ROOT, "docs/regenerate.yml"), "utf8")]);
    expect(template.split("\n").slice(4)).toEqual(ours.replaceAll("npx tsx generator/cli.ts", "npx zoomgen").split("\n").slice(4));
  });

  it("the report step writes the job summary and fails on a breaking change unless labelled major", async () => {
    const step = (await steps(".github/workflows/regenerate.yml")).find((s) => s.name === "API change report")!;
    const repo = path.join(tempDir(), "repo");
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
    git("init", "-q");
    const pet = (props: Record<string, unknown>) =>
      JSON.stringify({ openapi: "3.1.0", info: { title: "P", version: "1" }, paths: { "/p": { get: { operationId: "getP", responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: props } } } } } } } } });
    await writeFile(path.join(repo, "api.json"), pet({ a: { type: "string" }, b: { type: "string" } }));
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
    await writeFile(path.join(repo, "api.json"), pet({ a: { type: "string" } })); // b removed: breaking

    const run = async (majorChange: boolean) => {
      const summary = path.join(tempDir(), "summary.md");
      await rm(summary, { force: true });
      const result = spawnSync("bash", ["-e", "-c", step.run!], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, BASE_REF: "HEAD", SPEC: path.join(repo, "api.json"), MAJOR_CHANGE: String(majorChange), RUNNER_TEMP: tempDir(), GITHUB_STEP_SUMMARY: summary },
      });
      return { status: result.status, stdout: result.stdout, summary: await readFile(summary, "utf8") };
    };
    const unlabelled = await run(false);
    expect(unlabelled.status).toBe(3);
    expect(unlabelled.stdout).toContain("::error::Breaking API change");
    expect(unlabelled.summary).toContain("**Semver: major**");
    expect(unlabelled.summary).toContain("response 200 .b: field removed");

    const labelled = await run(true);
    expect(labelled.status).toBe(0);
    expect(labelled.summary).toContain("### Breaking changes");
  });
});
