/** Type-checks generated code the way a user's strict project would. */
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./cli.js";

/**
 * Writes a strict tsconfig into `work` that includes `include` (default `client/**`) and runs tsc
 * on it; returns its output. `types` are the @types packages to load (none by default).
 */
export async function typeCheckStrict(work: string, include = ["client/**/*.ts"], types: string[] = []): Promise<{ status: number | null; output: string }> {
  await writeFile(
    path.join(work, "tsconfig.json"),
    // customConditions: in this repository @zoomgen/runtime resolves to its .ts sources, no build needed (tsconfig.json).
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", customConditions: ["@zoomgen/source"], target: "ES2022", lib: ["ES2022", "DOM"], skipLibCheck: true, types }, include }),
  );
  const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", work], { encoding: "utf8" });
  return { status: tsc.status, output: tsc.stdout + tsc.stderr };
}

/**
 * Writes `use.ts` into `work` (a user's code: what must compile, and `@ts-expect-error` lines that must
 * fail) and type-checks it strictly with the generated clients under `clients`.
 */
export async function typeCheckUse(work: string, use: string, clients = ["client/**/*.ts"]): Promise<{ status: number | null; output: string }> {
  await writeFile(path.join(work, "use.ts"), use);
  return typeCheckStrict(work, [...clients, "use.ts"]);
}
