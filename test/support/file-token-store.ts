/**
 * A `TokenStore` on files in one folder, with a cross-process lock (an exclusive `mkdir`, taken over
 * once older than its ttl): enough for tests that run several real processes against one store.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StoredToken, TokenStore } from "@zoomgen/runtime/zoom";

export function fileTokenStore(dir: string, { lock = true } = {}): TokenStore {
  const file = (key: string) => path.join(dir, encodeURIComponent(key));
  const store: TokenStore = {
    async get(key) {
      const text = await readFile(`${file(key)}.json`, "utf8").catch(() => undefined);
      return text === undefined ? undefined : (JSON.parse(text) as StoredToken);
    },
    async set(key, token) {
      const temp = `${file(key)}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(token));
      await rename(temp, `${file(key)}.json`); // readers never see half a file
    },
  };
  if (!lock) return store;
  store.withLock = async (key, ttlMs, fn) => {
    const lockDir = `${file(key)}.lock`;
    for (;;) {
      try {
        await mkdir(lockDir);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const held = await stat(lockDir).catch(() => undefined);
        if (held && Date.now() - held.mtimeMs > ttlMs) await rm(lockDir, { recursive: true, force: true });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lockDir, { recursive: true, force: true });
    }
  };
  return store;
}
