/**
 * redocly.ts: the loader's redocly comes from dist/vendor/redocly-openapi-core-<version>.cjs (one CommonJS file
 * that scripts/vendor-redocly.mjs bundles) when the build made it for the installed version, else from the package.
 * Here with a generator root of its own (inside the repository, so that node_modules resolves), a real esbuild
 * bundle, and the same lint run through both.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { loadRedocly, type RedoclyApi } from "../../generator/redocly.js";
import { REPO_ROOT } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";
// @ts-expect-error: a build script in plain JavaScript, without types
import { buildRedoclyBundle, REDOCLY_EXPORTS } from "../../scripts/vendor-redocly.mjs";

const temp = useTempDir("zoomgen-redocly-", path.join(REPO_ROOT, "node_modules/.cache"));

/** A spec with one error (an operationId used twice) and one warning (no summary). */
const SPEC = `openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /a:
    get: { operationId: same, summary: A, responses: { "200": { description: ok } } }
  /b:
    get: { operationId: same, responses: { "200": { description: ok } } }
`;

async function lint(redocly: RedoclyApi, file: string) {
  const { parse } = await import("yaml");
  const config = await redocly.createConfig({ rules: { "operation-operationId-unique": "error", "operation-summary": "warn" } });
  const problems = await redocly.lintDocument({ document: { source: new redocly.Source(file, SPEC), parsed: parse(SPEC) as unknown }, config, externalRefResolver: new redocly.BaseResolver() });
  return problems.map((p) => ({ ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location[0]?.pointer }));
}

describe("redocly for the loader", { timeout: 120_000 }, () => {
  it("is the package itself without a bundle, the bundle once built, and both lint alike", async () => {
    const root = path.join(temp(), "generator");
    await mkdir(root, { recursive: true });
    await writeFile(path.join(root, "package.json"), "{}");
    const spec = path.join(root, "spec.yaml");
    const packageApi = await import("@redocly/openapi-core");

    expect((await loadRedocly(root)).api).toBe(packageApi);

    const file = (await buildRedoclyBundle(root, esbuild)) as string;
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules/@redocly/openapi-core/package.json"), "utf8")) as { version: string };
    expect(path.relative(root, file)).toBe(path.join("dist", "vendor", `redocly-openapi-core-${version}.cjs`));
    const bundled = (await loadRedocly(root)).api;
    expect(bundled).not.toBe(packageApi);
    expect(Object.keys(bundled).sort()).toEqual([...(REDOCLY_EXPORTS as string[])].sort());

    const viaPackage = await lint(packageApi, spec);
    expect(viaPackage.map((p) => p.severity).sort()).toEqual(["error", "warn"]);
    expect(await lint(bundled, spec)).toEqual(viaPackage);
  });

  it("falls back to the package when the bundle is not a module", async () => {
    const root = path.join(temp(), "broken");
    await mkdir(root, { recursive: true });
    await writeFile(path.join(root, "package.json"), "{}");
    const file = (await buildRedoclyBundle(root, esbuild)) as string;
    writeFileSync(file, "this is not JavaScript {");
    expect((await loadRedocly(root)).api).toBe(await import("@redocly/openapi-core"));
  });
});
