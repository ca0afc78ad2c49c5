/**
 * The generated data files (operations.ts, validators.ts, error-guards.ts) and the resources' types
 * (resources/<group>.ts) start with `// @ts-nocheck`: the data files' exports are typed by annotation, so a
 * user's tsc does not infer or check thousands of literals, and it resolves only the resource types a program uses
 * (docs/ARCHITECTURE.md, "Generated files"). That line must not hide a generator bug: here the whole
 * output, those files included, is type-checked strictly without it, for the committed Zoom client and
 * for a spec with every kind of body and error.
 */
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckStrict } from "../support/type-check.js";

const workDir = useRepoTempDir("data-files-");

/** Removes the `// @ts-nocheck` line of every .ts file under `dir`; returns the files that had one. */
async function dropNoCheck(dir: string): Promise<string[]> {
  const changed: string[] = [];
  for (const name of (await readdir(dir, { recursive: true })) as string[]) {
    if (!name.endsWith(".ts")) continue;
    const file = path.join(dir, name);
    const text = await readFile(file, "utf8");
    const kept = text.split("\n").filter((line) => !line.startsWith("// @ts-nocheck"));
    if (kept.length === text.split("\n").length) continue;
    await writeFile(file, kept.join("\n"));
    changed.push(name);
  }
  return changed.sort();
}

describe("generated data files without @ts-nocheck", () => {
  it("the committed Zoom client type-checks in full", async () => {
    const client = path.join(workDir(), "zoom");
    await cp(path.join(REPO_ROOT, "generated"), client, { recursive: true, filter: (source) => !source.includes(`${path.sep}dist`) });
    const resources = (await readdir(path.join(client, "resources"))).filter((name) => name.endsWith(".ts")).map((name) => path.join("resources", name));
    expect(resources.length).toBeGreaterThan(0);
    expect(await dropNoCheck(client)).toEqual(["error-guards.ts", "operations.ts", ...resources, "validators.ts", "webhook-validators.ts"].sort());
    const { output } = await typeCheckStrict(workDir(), ["zoom/**/*.ts"]);
    expect(output).toBe("");
  }, 120_000);

  it("a spec with every body kind and error guard type-checks in full", async () => {
    const client = path.join(workDir(), "media");
    const generation = runCli(["--spec", "test/fixtures/specs/media-types.yaml", "--out", client, "--no-cache"]);
    expect(generation.status, generation.stderr).toBe(0);
    expect(await dropNoCheck(client)).toEqual(expect.arrayContaining(["error-guards.ts", "operations.ts", path.join("resources", "default.ts")]));
    const { output } = await typeCheckStrict(workDir(), ["media/**/*.ts"]);
    expect(output).toBe("");
  }, 120_000);
});
