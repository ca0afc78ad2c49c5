/**
 * The fast path (cache.ts, fast-path.ts): an unchanged spec is recognised without rendering, from the stat of each
 * input and output file when it is settled (unchanged for RACY_MS), from its content's hash otherwise; any changed
 * input or output means a full run. Real files, real generate() runs, the real cache record in node_modules/.cache.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheFileFor, RACY_MS, type CacheRecord } from "../../generator/cache.js";
import { generate } from "../../generator/generate.js";
import { REPO_ROOT, TSX } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const temp = useTempDir("zoomgen-cache-", path.join(REPO_ROOT, ".tmp"));
let count = 0;
const OLD_TIME = 1_700_000_000;

/** A project folder with its own copy of a small spec and an output folder for it. */
async function project(): Promise<{ spec: string; out: string; templates: string }> {
  const dir = path.join(temp(), `p${++count}`);
  await mkdir(path.join(dir, "templates"), { recursive: true });
  const spec = path.join(dir, "tasks.yaml");
  await copyFile(path.join(REPO_ROOT, "test/fixtures/specs/tasks.yaml"), spec);
  // A whole second, which utimes can put back exactly (it takes seconds as a double).
  utimesSync(spec, OLD_TIME, OLD_TIME);
  await copyFile(path.join(REPO_ROOT, "templates/README.md.hbs"), path.join(dir, "templates", "README.md.hbs"));
  return { spec, out: path.join(dir, "out"), templates: path.join(dir, "templates") };
}

const record = (out: string): CacheRecord => JSON.parse(readFileSync(cacheFileFor(out)!, "utf8")) as CacheRecord;
const settle = () => new Promise((resolve) => setTimeout(resolve, RACY_MS + 300));

/** Changes a file's content but not its size, then puts its mtime back (as `touch -r` or a careless tool would). */
function rewriteKeepingSizeAndMtime(file: string, from: string, to: string): void {
  expect(to.length).toBe(from.length);
  utimesSync(file, OLD_TIME, OLD_TIME);
  const before = statSync(file);
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  utimesSync(file, OLD_TIME, OLD_TIME);
  expect(statSync(file).size).toBe(before.size);
  expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
}

describe("the cache's fast path", { timeout: 120_000 }, () => {
  it("answers an unchanged spec from settled stats, and regenerates when content changes behind the same size and mtime", async () => {
    const { spec, out } = await project();
    expect((await generate({ spec, out })).wrote).toBe(true);
    // Just written: every stat is racy, so the hashes decide.
    expect(Object.values(record(out).outputs).every((stamp) => stamp.racy)).toBe(true);
    expect((await generate({ spec, out })).cached).toBe(true);

    await settle();
    expect((await generate({ spec, out })).cached).toBe(true);
    // Hashed once more, then recorded with settled stats: the next run reads no file.
    expect(Object.values(record(out).inputs).some((stamp) => stamp.racy)).toBe(false);
    expect((await generate({ spec, out })).cached).toBe(true);

    rewriteKeepingSizeAndMtime(spec, "List the tasks of a list", "List the tasks in a list");
    const changed = await generate({ spec, out });
    expect(changed.cached).toBe(false);
    expect(changed.wrote).toBe(true);
    expect(readFileSync(path.join(out, "resources/taskLists.ts"), "utf8")).toContain("List the tasks in a list");
  });

  it("regenerates when an output file was edited behind the same size and mtime, or when a template is added", async () => {
    const { spec, out, templates } = await project();
    await generate({ spec, out, templates });
    const resources = await readdir(path.join(out, "resources"));
    const edited = path.join(out, "resources", resources[0]!);
    const original = readFileSync(edited, "utf8");
    // The output file's mtime moved (content unchanged): hashed, still a hit; once settled, recorded with that mtime.
    utimesSync(edited, OLD_TIME, OLD_TIME);
    expect((await generate({ spec, out, templates })).cached).toBe(true);
    await settle();
    expect((await generate({ spec, out, templates })).cached).toBe(true);
    expect(record(out).outputs[`resources/${resources[0]}`]).toMatchObject({ mtimeMs: OLD_TIME * 1000 });
    expect(record(out).outputs[`resources/${resources[0]}`]?.racy).toBeUndefined();

    rewriteKeepingSizeAndMtime(edited, "export", "EXPORT");
    const repaired = await generate({ spec, out, templates });
    expect(repaired.cached).toBe(false);
    expect(readFileSync(edited, "utf8")).toBe(original);

    expect((await generate({ spec, out, templates })).cached).toBe(true);
    // The built-in one's twin: the same output, but one more input.
    await copyFile(path.join(REPO_ROOT, "templates/schemas.ts.hbs"), path.join(templates, "schemas.ts.hbs"));
    expect((await generate({ spec, out, templates })).cached).toBe(false);
  });

  it("trusts a settled stat without reading, and never a racy one", async () => {
    const { spec, out } = await project();
    await generate({ spec, out });
    await settle();
    await generate({ spec, out }); // recorded with settled stats
    const file = cacheFileFor(out)!;
    const settled = record(out);
    const forged = (racy: boolean): CacheRecord => ({ ...settled, inputs: { ...settled.inputs, [spec]: { ...settled.inputs[spec]!, hash: "0".repeat(64), ...(racy ? { racy: true as const } : {}) } } });

    // A recorded hash that the content does not have, behind an exact stat: not read, so not noticed. This is the
    // stat shortcut's one blind spot (content changed with size, mtime, ctime and inode all as recorded), which a
    // change through the file system cannot make: every write moves the ctime.
    writeFileSync(file, JSON.stringify(forged(false)));
    expect((await generate({ spec, out })).cached).toBe(true);
    // The same stat marked racy: the content is read and its hash compared.
    writeFileSync(file, JSON.stringify(forged(true)));
    expect((await generate({ spec, out })).cached).toBe(false);
  });

  it("is a miss for a record of another format, another output folder or other options", async () => {
    const { spec, out } = await project();
    await generate({ spec, out });
    const file = cacheFileFor(out)!;
    const good = record(out);
    writeFileSync(file, JSON.stringify({ ...good, format: 1 }));
    expect((await generate({ spec, out })).cached).toBe(false);
    writeFileSync(file, JSON.stringify({ ...good, out: `${good.out}-elsewhere` }));
    expect((await generate({ spec, out })).cached).toBe(false);
    expect((await generate({ spec, out, name: "Other" })).cached).toBe(false);
    writeFileSync(file, "{ not json");
    expect((await generate({ spec, out, name: "Other" })).cached).toBe(false);
    expect((await generate({ spec, out, name: "Other" })).cached).toBe(true);
  });

  it("answers the plain command lines before the CLI loads, and leaves every other to it", async () => {
    const { spec, out } = await project();
    await generate({ spec, out });
    const plain = [["--spec", spec, "-o", out, "--quiet"], [spec, "--out", out, "--verbose"]];
    const others = [["--spec", spec, "--out", out, "--check"], ["--spec", spec, "--out", out, "--name", "Other"], ["--spec", spec, spec, "--out", out], ["--out", out, "--out", out, spec], ["diff", spec], ["--spec", spec, "--out", out, "--profile", "nope"], ["--spec", spec]];
    // In a process of its own: the fast path writes to file descriptor 1 itself. Exit codes go to stderr.
    const script = `import { fastPath } from ${JSON.stringify(path.join(REPO_ROOT, "generator/fast-path.ts"))};
process.stderr.write(JSON.stringify(${JSON.stringify([...plain, ...others])}.map((argv) => fastPath(argv) ?? null)));`;
    const result = spawnSync(process.execPath, [TSX, "--eval", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(result.stderr)).toEqual([0, 0, ...others.map(() => null)]);
    const line = `${path.relative(REPO_ROOT, out)} is up to date (${Object.keys(record(out).outputs).length} files, 3 operations, unchanged inputs).\nAPI changes: none.\n`;
    expect(result.stdout).toBe(line.repeat(2));
  });
});
