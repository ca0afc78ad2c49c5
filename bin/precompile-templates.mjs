/**
 * The built-in templates, precompiled into dist/generator/templates/ once dist/generator/ is built (by
 * scripts/build.mjs, and by bin/zoomgen.mjs in a checkout): generator/template-cache.ts looks there first, so a run
 * with an empty node_modules/.cache (after `npm ci`, as in CI) does not compile them. Returns how many.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

export async function precompileBuiltInTemplates(root) {
  const { precompileTemplates } = await import(pathToFileURL(path.join(root, "dist", "generator", "template-cache.js")).href);
  const { default: Handlebars } = await import("handlebars");
  return precompileTemplates(Handlebars.create(), path.join(root, "templates"), path.join(root, "dist", "generator", "templates"));
}
