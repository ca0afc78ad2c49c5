/**
 * Handlebars templates compiled once per template text, not once per run. `handlebars.compile` parses a template
 * and writes its JavaScript on every run (about 0.15 s of the main thread's CPU for the built-in templates);
 * `handlebars.precompile` writes the same JavaScript as text, kept here in `<node_modules>/.cache/zoomgen/templates/`
 * (beside the handlebars that made it, as code-cache.ts keeps V8's code) under the sha256 of the template, the
 * options and handlebars' version. A later run evaluates that text and hands it to `handlebars.template`, which is
 * what `compile` does with the JavaScript it writes. Anything wrong with the cache (missing, unreadable, not
 * JavaScript, unwritable) only means compiling as usual.
 *
 * The built-in templates also ship precompiled, under the same names, in `dist/generator/templates/` (written by
 * `npm run build` and by bin/zoomgen.mjs's build in a checkout: `precompileTemplates`). A run after `npm ci`, as in
 * CI, starts with an empty node_modules/.cache and would otherwise compile them all.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Handlebars from "handlebars";
import { sha256 } from "./cache.js";
import { holdingNodeModules, writeCacheFile } from "./code-cache.js";

type HandlebarsEnvironment = ReturnType<typeof Handlebars.create>;
type CompileOptions = Parameters<typeof Handlebars.precompile>[1];

/** How render.ts compiles every template (and so how the built-in ones are precompiled). */
export const TEMPLATE_OPTIONS: CompileOptions = { noEscape: true, strict: true };

/** Beside this module once compiled: dist/generator/templates/ (absent when the generator runs from its sources). */
const SHIPPED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "templates");

/**
 * `handlebars.compile(source, options)`, from the precompiled built-in templates or the cache when either holds this
 * template; throws what compile throws.
 */
export function compileTemplate(
  handlebars: HandlebarsEnvironment,
  source: string,
  options: CompileOptions,
  cacheDir = templateCacheDir(),
  shippedDir: string | undefined = SHIPPED_DIR,
): HandlebarsTemplateDelegate {
  const name = templateFileName(handlebars, source, options);
  for (const dir of [shippedDir, cacheDir]) {
    if (dir === undefined) continue;
    try {
      return handlebars.template(evaluate(readFileSync(path.join(dir, name), "utf8")));
    } catch {
      // not there (or damaged): the next place, else compiled below
    }
  }
  const spec = precompile(handlebars, source, options);
  const template = handlebars.template(evaluate(spec));
  if (cacheDir !== undefined) writeCacheFile(path.join(cacheDir, name), spec);
  return template;
}

/**
 * Writes every `*.hbs` of `templatesDir` precompiled into `outDir`, named as `compileTemplate` looks them up.
 * Returns how many; throws what precompile throws for a broken template.
 */
export function precompileTemplates(handlebars: HandlebarsEnvironment, templatesDir: string, outDir: string, options: CompileOptions = TEMPLATE_OPTIONS): number {
  mkdirSync(outDir, { recursive: true });
  const names = readdirSync(templatesDir).filter((name) => name.endsWith(".hbs"));
  for (const name of names) {
    const source = readFileSync(path.join(templatesDir, name), "utf8");
    writeCacheFile(path.join(outDir, templateFileName(handlebars, source, options)), precompile(handlebars, source, options));
  }
  return names.length;
}

function templateFileName(handlebars: HandlebarsEnvironment, source: string, options: CompileOptions): string {
  return `${sha256(JSON.stringify([handlebars.VERSION, options, source]))}.js`;
}

/** The JavaScript text `handlebars.precompile` writes; it fills in the options it is given (data: true), so a copy. */
function precompile(handlebars: HandlebarsEnvironment, source: string, options: CompileOptions): string {
  return handlebars.precompile(source, { ...options }) as unknown as string; // text, unless asked for an object
}

/** The object literal precompile writes (`{"compiler":[...],"main":function(...){...},...}`), as a value. */
function evaluate(spec: string): TemplateSpecification {
  return new Function(`return ${spec};`)() as TemplateSpecification;
}

function templateCacheDir(): string | undefined {
  try {
    const nodeModules = holdingNodeModules(createRequire(import.meta.url).resolve("handlebars"));
    return nodeModules === undefined ? undefined : path.join(nodeModules, ".cache", "zoomgen", "templates");
  } catch {
    return undefined;
  }
}
