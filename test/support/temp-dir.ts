/** A temporary folder for one test file: made before its tests, removed after them. */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { REPO_ROOT } from "./cli.js";

export function useTempDir(prefix: string, parent = os.tmpdir()): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    await mkdir(parent, { recursive: true });
    dir = await mkdtemp(path.join(parent, prefix));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error("useTempDir: the folder exists only inside tests");
    return dir;
  };
}

/**
 * A temporary folder inside the repository (`.tmp/`), for generated clients: there they resolve
 * `@zoomgen/runtime` and openapi-fetch from node_modules, as in a user's project.
 */
export function useRepoTempDir(prefix: string): () => string {
  return useTempDir(prefix, path.join(REPO_ROOT, ".tmp"));
}
