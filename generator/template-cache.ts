/**
 * Handlebars templates compiled once per template text, not once per run. `handlebars.compile` parses a template
 * and writes its JavaScript on every run (about 0.15 s of the main thread's CPU for the built-in templates);
 * `handlebars.precompile` writes the same JavaScript as text, kept here in `<node_modules>/.cache/zoomgen/templates/`
 * (beside the handlebars that made it, as code-cache.ts keeps V8's code) under the sha256 of the template, the
 * options and handlebars' version. A later run evaluates that text and hands it to `handlebars.template`, which is
 * what `compile` does with the JavaScript it writes. Anything wrong with the cache (missing, unreadable, not
 * JavaScript, unwritable) only means compiling as usual.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { threadId } from "node:worker_threads";
import type Handlebars from "handlebars";
import { holdingNodeModules } from "./code-cache.js";

type HandlebarsEnvironment = ReturnType<typeof Handlebars.create>;
type CompileOptions = Parameters<typeof Handlebars.precompile>[1];

/** `handlebars.compile(source, options)`, from the cache when it holds this template; throws what compile throws. */
export function compileTemplate(handlebars: HandlebarsEnvironment, source: string, options: CompileOptions, cacheDir = templateCacheDir()): HandlebarsTemplateDelegate {
  const file = cacheDir === undefined ? undefined : path.join(cacheDir, `${createHash("sha256").update(JSON.stringify([handlebars.VERSION, options, source])).digest("hex")}.js`);
  if (file !== undefined) {
    try {
      return handlebars.template(evaluate(readFileSync(file, "utf8")));
    } catch {
      // not cached yet (or damaged): compiled below
    }
  }
  // precompile fills in the options it is given (data: true): a copy, so the caller's stay as they were.
  const spec = handlebars.precompile(source, { ...options }) as unknown as string; // text, unless asked for an object
  const template = handlebars.template(evaluate(spec));
  if (file !== undefined) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      // Written aside and renamed: another run reads the whole file or none.
      const temporary = `${file}.${process.pid}-${threadId}.tmp`;
      writeFileSync(temporary, spec);
      renameSync(temporary, file);
    } catch {
      // An unwritable node_modules: the next run compiles as this one did.
    }
  }
  return template;
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
