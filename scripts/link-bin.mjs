#!/usr/bin/env node
/**
 * `prepare` (runs after `npm ci` / `npm install` in this checkout): links the package's own `bin`
 * entries into node_modules/.bin. npm links the bins of dependencies only, so without this
 * `npx zoomgen` in a fresh clone finds the package but no command ("zoomgen: not found").
 * Idempotent; a link that cannot be made is reported and skipped (it only affects `npx` here).
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const binDir = path.join(root, "node_modules", ".bin");
const bins = typeof pkg.bin === "string" ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
for (const [name, file] of Object.entries(bins)) {
  const target = path.join(root, file);
  const link = path.join(binDir, name);
  try {
    mkdirSync(binDir, { recursive: true });
    chmodSync(target, 0o755);
    rmSync(link, { force: true });
    symlinkSync(path.relative(binDir, target), link);
  } catch (error) {
    console.warn(`link-bin: could not link ${name} into node_modules/.bin (${error.message}); use \`npm run generate\` instead.`);
  }
}
