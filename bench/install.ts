/**
 * What a service installs for the Zoom client: `npm pack` of @zoomgen/runtime and @zoomgen/zoom, both
 * tarballs installed with `--omit=dev` into an empty project (from the npm cache where it can), then
 * the packages and bytes of its node_modules, beside openapi-fetch alone installed the same way.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { measureNodeModules, npm, ok, pack, run } from "../test/package/support.js";
import { table } from "./stats.js";

export interface InstallBenchResult {
  table: string;
  notes: string[];
}

const FLAGS = ["--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

export async function benchInstall(options: { root: string; log: (line: string) => void }): Promise<InstallBenchResult> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "zoomgen-bench-install-"));
  try {
    const tarballs = path.join(tmp, "tarballs");
    await mkdir(tarballs);
    options.log("install: packing @zoomgen/runtime and @zoomgen/zoom");
    const runtime = await pack(path.join(options.root, "runtime"), tarballs);
    const zoom = await pack(path.join(options.root, "generated"), tarballs);
    const measure = async (name: string, specs: string[]) => {
      const dir = path.join(tmp, name);
      await mkdir(dir);
      await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name, version: "1.0.0", private: true })}\n`);
      options.log(`install: ${name}`);
      ok(await run(npm, ["install", ...specs, ...FLAGS], { cwd: dir }));
      return measureNodeModules(path.join(dir, "node_modules"));
    };
    const client = await measure("zoom-client", [zoom.tarball, runtime.tarball]);
    const openapiFetch = await measure("openapi-fetch-alone", ["openapi-fetch@^0.17.0"]);
    const row = (what: string, m: { packages: string[]; bytes: number }) => [what, String(m.packages.length), `${Math.round(m.bytes / 1024)} KB`, m.packages.join(", ")];
    return {
      table: table(["Installed", "Packages", "node_modules", "Which"], [row("@zoomgen/zoom (production)", client), row("openapi-fetch alone", openapiFetch)]),
      notes: ["Goal: the runtime and openapi-fetch, nothing else. Bytes are of every file in node_modules (npm's .package-lock.json included)."],
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
