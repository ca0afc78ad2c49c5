import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";

// The runtime (core and Zoom profile; not the Node-only `/redis` entry) must run in browsers and edge runtimes too.
// Node's modules are reached only through `process.getBuiltinModule` (node-http-fetch.ts), which is undefined
// there: those lines are left out of the scan.
it("imports nothing but openapi-fetch and its own modules, and uses no Node-only globals or `any`", async () => {
  const dir = path.resolve("runtime");
  const problems: string[] = [];
  const sources = (await readdir(dir, { recursive: true }))
    .map(String)
    .filter((file) => file.endsWith(".ts") && !file.startsWith("redis") && !file.startsWith("dist") && !file.startsWith("node_modules") && file !== "tsup.config.ts");
  expect(sources).toContain("zoom/index.ts");
  for (const file of sources) {
    const code = (await readFile(path.join(dir, file), "utf8"))
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "") // comments out
      .replace(/^.*\bprocess\?\.getBuiltinModule\b.*$|\bget\("node:\w+"\)/gm, "");
    for (const [, specifier] of code.matchAll(/\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"/g)) {
      if (!/^(openapi-fetch|\.\.?\/[\w-]+\.js|#node-http-fetch)$/.test(specifier ?? "")) problems.push(`${file} imports ${specifier}`);
    }
    for (const [found] of code.matchAll(/\b(process|Buffer|require|__dirname|setImmediate)\b|node:|[:<|,(]\s*any\b|\bas any\b/g)) {
      problems.push(`${file} uses ${found}`);
    }
  }
  expect(problems).toEqual([]);
});
