/**
 * code-cache.ts: the TypeScript compiler is loaded with a V8 code cache kept in node_modules/.cache/zoomgen/. Here
 * with a module of our own, the real files and V8, each load in a process of its own (V8 also keeps compiled
 * scripts in memory, which would hide whether the file was used).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeCacheFile, readSource, requireWithCodeCache } from "../../generator/code-cache.js";
import { REPO_ROOT, TSX } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const temp = useTempDir("zoomgen-code-cache-");

let count = 0;
/** A CommonJS module in a node_modules of its own, large enough for V8 to cache real code. */
async function moduleFile(): Promise<string> {
  const dir = path.join(temp(), `project${++count}`, "node_modules", "lib");
  await mkdir(dir, { recursive: true });
  const functions = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join("\n");
  const file = path.join(dir, "index.js");
  await writeFile(file, `${functions}\nmodule.exports = { answer: f2(20), dirname: __dirname, path: require("node:path").sep };\n`);
  return file;
}

/** requireWithCodeCache(file, cacheFile) and then save(), in a new node process: what became of the cache, and the exports. */
function loadInNewProcess(file: string, cacheFile: string): { cache: string; exports: unknown } {
  const script = `import { requireWithCodeCache } from ${JSON.stringify(path.join(REPO_ROOT, "generator/code-cache.ts"))};
const loaded = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)});
loaded.save();
console.log(JSON.stringify({ cache: loaded.cache, exports: loaded.exports }));`;
  const result = spawnSync(process.execPath, [TSX, "--eval", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { cache: string; exports: unknown };
}

describe("a module loaded with a code cache", { timeout: 60_000 }, () => {
  it("writes the cache in its node_modules/.cache/zoomgen/, then uses it, with the same exports", async () => {
    const file = await moduleFile();
    const cacheFile = codeCacheFile(file)!;
    expect(path.relative(path.dirname(path.dirname(file)), cacheFile)).toMatch(/^\.cache\/zoomgen\/code-cache\/lib\+index\.js-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8$/);

    const first = requireWithCodeCache(file, cacheFile);
    expect(first.cache).toBe("missing");
    expect(first.exports).toEqual({ answer: 42, dirname: path.dirname(file), path: path.sep });
    first.save();
    expect(readFileSync(cacheFile).length).toBeGreaterThan(500);
    expect(readdirSync(path.dirname(cacheFile)).filter((name) => name.endsWith(".tmp"))).toEqual([]);

    expect(loadInNewProcess(file, cacheFile)).toEqual({ cache: "used", exports: first.exports });
  });

  it("compiles as usual when the cache is corrupt, and replaces it", async () => {
    const file = await moduleFile();
    const cacheFile = codeCacheFile(file)!;
    expect(loadInNewProcess(file, cacheFile).cache).toBe("missing");
    const good = readFileSync(cacheFile);
    writeFileSync(cacheFile, Buffer.from("not a code cache at all, but long enough to be read as one".repeat(40)));
    expect(loadInNewProcess(file, cacheFile)).toEqual({ cache: "rejected", exports: expect.objectContaining({ answer: 42 }) });
    expect(readFileSync(cacheFile).length).toBe(good.length); // written anew
    expect(loadInNewProcess(file, cacheFile).cache).toBe("used");
  });

  it("is named anew when the module's file changes", async () => {
    const file = await moduleFile();
    const before = codeCacheFile(file);
    writeFileSync(file, `${readFileSync(file, "utf8")}// one more line\n`);
    expect(codeCacheFile(file)).not.toBe(before);
  });

  it("goes into a node_modules given for a file outside any (the generator's dist/vendor/)", async () => {
    const file = await moduleFile();
    const project = path.dirname(path.dirname(path.dirname(file)));
    const outside = path.join(project, "dist", "vendor", "lib.cjs");
    await mkdir(path.dirname(outside), { recursive: true });
    await writeFile(outside, "module.exports = 1;\n");
    expect(codeCacheFile(outside)).toBeUndefined();
    const cacheFile = codeCacheFile(outside, path.join(project, "node_modules"))!;
    expect(path.relative(project, cacheFile)).toMatch(/^node_modules\/\.cache\/zoomgen\/code-cache\/dist\+vendor\+lib\.cjs-\d+-\d+-v[\d.]+-\w+\.v8$/);
  });

  it("loads without a cache when it cannot be written", async () => {
    const file = await moduleFile();
    const blocked = path.join(temp(), `blocked${count}`);
    writeFileSync(blocked, "a file where the cache folder would go");
    const loaded = requireWithCodeCache(file, path.join(blocked, "cache.v8"));
    expect(loaded.exports).toMatchObject({ answer: 42 });
    loaded.save();
    expect(existsSync(path.join(blocked, "cache.v8"))).toBe(false);
  });
});

describe("a module's source text (readSource)", () => {
  it("is what readFileSync(file, 'utf8') gives: ASCII, UTF-8 beyond it, a byte-order mark, bytes that are not UTF-8", async () => {
    const texts = [
      Buffer.from("module.exports = 'plain ASCII';\n"),
      Buffer.from("module.exports = 'caf\u00e9 \u2028 \u{1F600}';\n"),
      Buffer.from("\ufeffmodule.exports = 1;\n"),
      Buffer.from([0x61, 0xe9, 0x62, 0xff, 0x0a]), // Latin-1 bytes, not UTF-8: replacement characters, as Node decodes them
      Buffer.alloc(0),
    ];
    for (const [i, bytes] of texts.entries()) {
      const file = path.join(temp(), `source${i}.js`);
      await writeFile(file, bytes);
      expect(readSource(file)).toBe(readFileSync(file, "utf8"));
    }
  });
});
