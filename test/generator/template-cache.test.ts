/**
 * template-cache.ts: each Handlebars template is precompiled once and kept in node_modules/.cache/zoomgen/templates/;
 * a later run evaluates the kept JavaScript. Whatever the cache holds, the text rendered is what compile() renders.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { templateHelpers } from "../../generator/emit-helpers.js";
import { compileTemplate, precompileTemplates } from "../../generator/template-cache.js";
import { useTempDir } from "../support/temp-dir.js";

const root = useTempDir("zoomgen-template-cache-");
let count = 0;
/** An empty cache folder of its own for each test. */
function temp(): string {
  const dir = path.join(root(), `cache${++count}`);
  mkdirSync(dir);
  return dir;
}
const options = { noEscape: true, strict: true };
const source = "{{#each items}}<{{name}}>{{#if @last}}.{{else}}, {{/if}}{{/each}} {{shout title}} {{{raw}}} {{lookup map key}}";
const context = { items: [{ name: "a&b" }, { name: '"c"' }], title: "t", raw: "<x>", map: { k: "v" }, key: "k" };

function environment() {
  const handlebars = Handlebars.create();
  handlebars.registerHelper({ ...templateHelpers, shout: (text: string) => `${text.toUpperCase()}!` });
  return handlebars;
}

const expected = environment().compile(source, options)(context);

describe("a template compiled through the cache", () => {
  it("renders what compile() renders, first compiled, then from the cached file alone", () => {
    const dir = temp();
    expect(compileTemplate(environment(), source, options, dir)(context)).toBe(expected);
    const [file, ...others] = readdirSync(dir);
    expect(others).toEqual([]);
    expect(file).toMatch(/^[0-9a-f]{64}\.js$/);
    expect(readFileSync(path.join(dir, file!), "utf8")).toContain('"compiler":[8,');
    // The cached file is what the second run uses: a marked copy of it shows.
    writeFileSync(path.join(dir, file!), readFileSync(path.join(dir, file!), "utf8").replace("<", "[cached]<"));
    expect(compileTemplate(environment(), source, options, dir)(context)).toBe(expected.replaceAll("<", "[cached]<").replace("[cached]<x>", "<x>"));
  });

  it("is keyed by the template and its options: another text or other options are compiled on their own", () => {
    const dir = temp();
    compileTemplate(environment(), source, options, dir);
    expect(compileTemplate(environment(), `${source}!`, options, dir)(context)).toBe(`${expected}!`);
    expect(compileTemplate(environment(), "{{raw}}", { strict: true }, dir)(context)).toBe("&lt;x&gt;");
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it("compiles as usual when the cached file is damaged or the folder cannot be written", () => {
    const dir = temp();
    compileTemplate(environment(), source, options, dir);
    const [file] = readdirSync(dir);
    writeFileSync(path.join(dir, file!), "{ not javascript");
    expect(compileTemplate(environment(), source, options, dir)(context)).toBe(expected);
    // A folder that cannot be made (its parent is a file; a read-only folder would not stop root).
    const blocker = path.join(root(), "a-file");
    writeFileSync(blocker, "");
    expect(compileTemplate(environment(), source, options, path.join(blocker, "templates"))(context)).toBe(expected);
  });

  it("uses the shipped precompiled templates first (precompileTemplates, as npm run build writes them), and caches nothing then", () => {
    const templates = temp();
    writeFileSync(path.join(templates, "one.ts.hbs"), source);
    writeFileSync(path.join(templates, "notes.txt"), "not a template");
    const shipped = temp();
    expect(precompileTemplates(environment(), templates, shipped, options)).toBe(1);
    const [file, ...others] = readdirSync(shipped);
    expect(others).toEqual([]);
    // A marked copy shows that the shipped file is what renders.
    writeFileSync(path.join(shipped, file!), readFileSync(path.join(shipped, file!), "utf8").replace("<", "[shipped]<"));
    const cache = temp();
    expect(compileTemplate(environment(), source, options, cache, shipped)(context)).toBe(expected.replaceAll("<", "[shipped]<").replace("[shipped]<x>", "<x>"));
    expect(readdirSync(cache)).toEqual([]);
    // Another text (a user's --templates) misses the shipped ones: compiled and cached as before.
    expect(compileTemplate(environment(), `${source}?`, options, cache, shipped)(context)).toBe(`${expected}?`);
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it("throws what compile() throws for a broken template, and caches nothing", () => {
    const dir = temp();
    const broken = "{{#each items}}{{name}}";
    let message = "";
    try {
      environment().compile(broken, options)(context);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("each");
    expect(() => compileTemplate(environment(), broken, options, dir)).toThrow(message);
    expect(readdirSync(dir)).toEqual([]);
    // Strict mode's missing field, at render time, as compile()'s.
    expect(() => compileTemplate(environment(), "{{missing}}", options, dir)(context)).toThrow(/"missing" not defined/);
  });
});
