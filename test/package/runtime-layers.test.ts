/**
 * The runtime package's shape: no import cycle between its modules (type-only imports count: a cycle of
 * types still ties the layers together), and it compiles under `erasableSyntaxOnly` (Node's type
 * stripping can run it) and `exactOptionalPropertyTypes` (runtime/tsconfig.json).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUNTIME = path.join(REPO, "runtime");

/** The sources a subpath import (`#node-http-fetch`) may be, by runtime/package.json's `imports` (every condition). */
function subpathTargets(specifier: string): string[] {
  const { imports } = JSON.parse(readFileSync(path.join(RUNTIME, "package.json"), "utf8")) as { imports?: Record<string, unknown> };
  const targets: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      if (value.endsWith(".ts")) targets.push(path.posix.normalize(value));
    } else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(imports?.[specifier]);
  if (targets.length === 0) throw new Error(`runtime/package.json maps no source for ${specifier}`);
  return targets;
}

/** Every runtime module (tests, build config and output aside) → the runtime modules it imports. */
function importGraph(): Map<string, string[]> {
  const modules = readdirSync(RUNTIME, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !/^(dist|node_modules)\b/.test(file) && file !== "tsup.config.ts")
    .map((file) => file.split(path.sep).join("/"));
  const graph = new Map<string, string[]>();
  for (const file of modules) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(RUNTIME, file), "utf8"), true, true);
    const local = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith(".") || specifier.startsWith("#"))
      .flatMap((specifier) =>
        specifier.startsWith("#") ? subpathTargets(specifier) : [path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, ".ts")],
      );
    graph.set(file, local);
  }
  return graph;
}

/** One cycle per strongly connected part of the graph, as `a → b → a`; none when the graph is layered. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

describe("the runtime's layers", () => {
  it("finds the cycle in a graph that has one (the check can fail)", () => {
    expect(findCycles(new Map([["auth.ts", ["send.ts"]], ["send.ts", ["options.ts"]], ["options.ts", ["auth.ts"]]]))).toEqual([
      "auth.ts → send.ts → options.ts → auth.ts",
    ]);
  });

  it("has no import cycle among runtime/ modules, type-only imports included", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(20);
    expect([...graph.keys()]).toEqual(expect.arrayContaining(["index.ts", "types.ts", "zoom/index.ts", "redis/index.ts"]));
    expect(findCycles(graph)).toEqual([]);
  });

  it("follows subpath imports: client.ts reaches node-http-fetch.ts and its browser stub through `#node-http-fetch`", () => {
    expect(importGraph().get("client.ts")).toEqual(expect.arrayContaining(["node-http-fetch.ts", "node-http-fetch.browser.ts"]));
  });

  it("has a bottom layer: types.ts imports no other runtime module", () => {
    expect(importGraph().get("types.ts")).toEqual([]);
  });

  it("compiles under erasableSyntaxOnly and exactOptionalPropertyTypes (runtime/tsconfig.json)", () => {
    const config = JSON.parse(readFileSync(path.join(RUNTIME, "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")) as { compilerOptions: Record<string, unknown> };
    expect(config.compilerOptions).toMatchObject({ erasableSyntaxOnly: true, exactOptionalPropertyTypes: true });
    const tsc = spawnSync(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", RUNTIME], { encoding: "utf8" });
    expect(tsc.status, `${tsc.stdout}${tsc.stderr}`).toBe(0);
  }, 120_000);
});
