/** Type-checks a generated client in `work/client` under strict TypeScript, as a user's project would. */
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./cli.js";

export async function typecheckClient(work: string): Promise<{ status: number | null; output: string }> {
  await writeFile(
    path.join(work, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM"], skipLibCheck: true, types: [] }, include: ["client/**/*.ts"] }),
  );
  const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", work], { encoding: "utf8" });
  return { status: tsc.status, output: tsc.stdout + tsc.stderr };
}
