/**
 * What the real-world corpus (scripts/corpus.ts) found, each as a small spec: documents that real APIs publish and
 * that the generator must generate (with a warning where the author made a mistake), type-checked under strict
 * TypeScript, and whose client behaves as the author meant.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCliAsync, type CliResult } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckUse } from "../support/type-check.js";

const SPECS = "test/fixtures/specs";
const NAMES = ["interior-refs", "discriminator-mapping", "exclusive-bounds-31", "operation-id-characters", "redoc-extensions", "object-enum", "schema-examples-map", "tag-case", "swagger2-places"] as const;
type Name = (typeof NAMES)[number];

// Inside the repo so the output resolves openapi-fetch and @zoomgen/runtime from node_modules, as a user's project would.
let work: string;
const workDir = useRepoTempDir("quirks-");
const results = new Map<Name, CliResult>();
beforeAll(async () => {
  work = workDir();
  for (const name of NAMES) results.set(name, await runCliAsync(["--spec", `${SPECS}/${name}.yaml`, "--out", path.join(work, name, "client"), "--no-cache"]));
}, 360_000); // nine fixtures, one CLI run each (about 10 s each on a loaded 2-core machine)

function generated(name: Name): CliResult {
  const result = results.get(name)!;
  expect(result.status, result.stderr).toBe(0);
  return result;
}

/** Strict tsc over the client and `use.ts`, a user's code that must compile (and whose `@ts-expect-error`s must fail). */
async function typeCheckWith(name: Name, use: string): Promise<void> {
  const tsc = await typeCheckUse(path.join(work, name), use);
  expect(tsc.output).toBe("");
  expect(tsc.status).toBe(0);
}

async function withServer(test: (baseUrl: string, seen: string[]) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("real-world quirks", { timeout: 120_000 }, () => {
  it("a $ref into a schema's interior (definitions, items, allOf, a path's schema) is typed as its target", async () => {
    generated("interior-refs");
    const types = await readFile(path.join(work, "interior-refs", "client", "openapi.ts"), "utf8");
    // Indexed access into the interior (components["schemas"]["Account"]["definitions"]) is what failed with TS2339.
    expect(types).not.toMatch(/\["(definitions|items|allOf)"\]/);
    expect(types).toContain('identifiers?: components["schemas"]["Account/definitions/identifiers"];');
    expect(types).toContain('echo?: components["schemas"]["paths/~1accounts~1{accountId}/get/responses/200/content/application~1json/schema"];');
    await typeCheckWith(
      "interior-refs",
      [
        'import type { components, paths } from "./client/index.js";',
        'type Account = components["schemas"]["Account"];',
        'export const account: Account = { id: "a", owner: null, identifiers: { iban: "DE00", kind: "sortcode" } };',
        "// @ts-expect-error kind is one of the enum's values",
        'export const wrongKind: Account = { id: "a", identifiers: { iban: "DE00", kind: "swift" } };',
        'type Replaced = paths["/accounts/{accountId}/identifiers"]["put"]["responses"]["200"]["content"]["application/json"];',
        'export const replaced: Replaced = { tags: { label: "x" }, owner: null, echo: account };',
        "// @ts-expect-error tags is one item of Tags, an object with a label",
        "export const wrongTags: Replaced = { tags: [] };",
        "",
      ].join("\n"),
    );
  });

  it("a discriminator mapping to a schema that does not exist is a warning naming the place; the rest of the mapping applies", async () => {
    const { stderr } = generated("discriminator-mapping");
    const spec = `${SPECS}/discriminator-mapping.yaml`.replaceAll(".", "\\.");
    expect(stderr).toMatch(/^2 warnings \(generation went on\):$/m);
    expect(stderr).toMatch(
      new RegExp(`warning: ${spec}:29:\\d+: discriminator mapping "fish" points to "#/components/schemas/Fish", which does not exist: the mapping entry is left out \\(#/components/schemas/Pet/discriminator/mapping/fish\\)`),
    );
    expect(stderr).toMatch(
      new RegExp(`warning: ${spec}:30:\\d+: discriminator mapping "bird" names the schema "Bird", which components.schemas does not define: the mapping entry is left out \\(#/components/schemas/Pet/discriminator/mapping/bird\\)`),
    );
    // `cat: Cat` (a schema name, valid OpenAPI) is followed: the Cat member's discriminator is "cat".
    await typeCheckWith(
      "discriminator-mapping",
      [
        'import type { components } from "./client/index.js";',
        'export const cat: components["schemas"]["Pet"] = { petType: "cat", name: "Tom", meows: true };',
        'export const dog: components["schemas"]["Pet"] = { petType: "dog", name: "Rex" };',
        "// @ts-expect-error fish was left out of the mapping, and no member has that discriminator",
        'export const fish: components["schemas"]["Pet"] = { petType: "fish", name: "Nemo" };',
        "",
      ].join("\n"),
    );
  });

  it("OpenAPI 3.0's boolean exclusiveMinimum in a 3.1 document is read as 3.0 means it, with a warning", async () => {
    const { stderr } = generated("exclusive-bounds-31");
    expect(stderr).toMatch(/^2 warnings \(generation went on\):$/m);
    expect(stderr).toMatch(
      /warning: test\/fixtures\/specs\/exclusive-bounds-31\.yaml:17:\d+: exclusiveMinimum: true, exclusiveMaximum: false is OpenAPI 3\.0's \(JSON Schema draft 4\) form, not 3\.1's: read as 3\.0 means it .*\(#\/paths\/~1readings\/get\/parameters\/0\/schema\/exclusiveMinimum\)/,
    );
    expect(stderr).toMatch(/exclusive-bounds-31\.yaml:29:\d+: exclusiveMinimum: true is OpenAPI 3\.0's .*\(#\/paths\/~1readings\/get\/responses\/200\/content\/application~1json\/schema\/properties\/default\/exclusiveMinimum\)/);
    await typeCheckWith("exclusive-bounds-31", 'import { createExclusiveBoundsClient } from "./client/index.js";\nexport const client = createExclusiveBoundsClient({ baseUrl: "http://127.0.0.1" });\n');
    type Module = {
      createExclusiveBoundsClient(options: { baseUrl: string }): { default: { listReadings(input: object): Promise<unknown> } };
      ValidationError: new (...args: never[]) => Error;
    };
    const module = (await import(path.join(work, "exclusive-bounds-31", "client", "index.ts"))) as Module;
    await withServer(async (baseUrl, seen) => {
      const client = module.createExclusiveBoundsClient({ baseUrl });
      // 10 < above <= 20: the bound 10 itself is refused before anything is sent; 20 (exclusiveMaximum: false) is not.
      const atTheBound = client.default.listReadings({ query: { above: 10 } });
      await expect(atTheBound).rejects.toBeInstanceOf(module.ValidationError);
      await expect(atTheBound).rejects.toThrow(/query\.above \(exclusiveMinimum/);
      await client.default.listReadings({ query: { above: 10.5 } });
      await client.default.listReadings({ query: { above: 20 } });
      expect(seen).toEqual(["GET /readings?above=10.5", "GET /readings?above=20"]);
    });
  });

  it("operationIds with #, ~ or / are typed: openapi-typescript's own key is not always the operationId as written", async () => {
    generated("operation-id-characters");
    await typeCheckWith(
      "operation-id-characters",
      [
        'import { createOperationIdCharactersClient } from "./client/index.js";',
        'const client = createOperationIdCharactersClient({ baseUrl: "http://127.0.0.1" });',
        'export const tags: Promise<string[]> = client.marks.marksHashtags({ query: { tag: "moon" } });',
        "export const marks: Promise<number[]> = client.marks.marksIndex();",
        'export const repo: Promise<{ name: string }> = client.marks.reposGet({ path: { owner: "zoom" } });',
        "// @ts-expect-error the query's tag is a string",
        "export const wrong = client.marks.marksHashtags({ query: { tag: 1 } });",
        "",
      ].join("\n"),
    );
  });

  it("Redoc's extensions (x-webhooks, x-tagGroups, x-codeSamples) are the author's own: their shape does not stop generation", async () => {
    const { stderr } = generated("redoc-extensions");
    expect(stderr).not.toMatch(/x-webhooks|x-tagGroups|x-codeSamples/);
    // Names that merely start with x- (a header, a property) are still read and typed.
    await typeCheckWith(
      "redoc-extensions",
      [
        'import { createRedocExtensionsClient, type components } from "./client/index.js";',
        'const client = createRedocExtensionsClient({ baseUrl: "http://127.0.0.1" });',
        'export const invoices: Promise<components["schemas"]["Invoice"][]> = client.invoices.listInvoices();',
        'export const invoice: components["schemas"]["Invoice"] = { id: "a", "x-total": 1 };',
        "// @ts-expect-error x-total is a number",
        'export const wrong: components["schemas"]["Invoice"] = { id: "a", "x-total": "1" };',
        "",
      ].join("\n"),
    );
  });

  it("an enum of non-objects on a type: object schema is left out (no value could match it), with a warning", async () => {
    const { stderr } = generated("object-enum");
    expect(stderr).toMatch(/^3 warnings \(generation went on\):$/m);
    expect(stderr).toMatch(
      /warning: test\/fixtures\/specs\/object-enum\.yaml:28:\d+: enum of a schema of type "object" lists no object \("PKW", "VAN", "SMART"\): .* left out .*\(#\/components\/schemas\/ProductGroup\/enum\)/,
    );
    expect(stderr).toMatch(/object-enum\.yaml:35:\d+: enum of a schema of type "object" lists values that are not objects \("VAN", 3\): .*\(#\/components\/schemas\/Selection\/enum\)/);
    await typeCheckWith(
      "object-enum",
      [
        'import { createObjectEnumClient, type components } from "./client/index.js";',
        'const client = createObjectEnumClient({ baseUrl: "http://127.0.0.1" });',
        'export const group: Promise<components["schemas"]["ProductGroup"]> = client.groups.addGroup({ body: { name: "PKW" } });',
        "// @ts-expect-error a product group is an object with a name",
        'export const wrong: components["schemas"]["ProductGroup"] = "PKW";',
        "",
      ].join("\n"),
    );
    type Module = {
      createObjectEnumClient(options: { baseUrl: string }): { groups: { addGroup(input: object): Promise<unknown> } };
      ValidationError: new (...args: never[]) => Error;
    };
    const module = (await import(path.join(work, "object-enum", "client", "index.ts"))) as Module;
    await withServer(async (baseUrl, seen) => {
      const client = module.createObjectEnumClient({ baseUrl });
      // The enum's object member still applies: { name: "VAN" } is refused before anything is sent.
      await expect(client.groups.addGroup({ body: { name: "VAN" } })).rejects.toBeInstanceOf(module.ValidationError);
      await client.groups.addGroup({ body: { name: "PKW" } });
      await client.groups.addGroup({ body: null });
      expect(seen).toEqual(["POST /groups", "POST /groups"]);
    });
  });

  it("a 3.1 schema's examples written as 3.0's map is a warning (examples are documentation); a property called examples is still a schema", async () => {
    const { stderr } = generated("schema-examples-map");
    expect(stderr).toMatch(
      /warning: test\/fixtures\/specs\/schema-examples-map\.yaml:25:\d+: Expected type `array` but got `object`: examples of this shape are ignored \(#\/components\/schemas\/ExcelStatus\/examples\)/,
    );
    await typeCheckWith(
      "schema-examples-map",
      [
        'import type { components } from "./client/index.js";',
        'export const status: components["schemas"]["ExcelStatus"] = { inProgress: true, examples: ["a"] };',
        "// @ts-expect-error the property examples is a list of strings",
        'export const wrong: components["schemas"]["ExcelStatus"] = { examples: "a" };',
        "",
      ].join("\n"),
    );
    const spec = path.join(work, "property-examples.yaml");
    const text = await readFile(`${SPECS}/schema-examples-map.yaml`, "utf8");
    await writeFile(spec, text.replace("        examples:\n          type: array\n          items: { type: string }\n", "        examples: 5\n"));
    const broken = await runCliAsync(["--spec", spec, "--out", path.join(work, "property-examples"), "--no-cache"]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/is not a valid OpenAPI document: Expected type `Schema` \(object\) but got `integer`.* \(#\/components\/schemas\/ExcelStatus\/properties\/examples\)/);
  });

  it("tags that become one client property (CRUD, crud, Crud) are one group, with a warning naming each", async () => {
    const { stderr } = generated("tag-case");
    expect(stderr).toMatch(/warning: test\/fixtures\/specs\/tag-case\.yaml:21:\d+: tags "CRUD" and "crud" both become the client property "crud": their operations are one group, crud \(#\/paths\/~1apps~1\{appId\}\/delete\/tags\/0\)/);
    expect(stderr).toMatch(/tag-case\.yaml:21:\d+: tags "CRUD" and "Crud" both become .*\(#\/paths\/~1apps~1\{appId\}\/delete\/tags\/1\)/);
    await typeCheckWith(
      "tag-case",
      [
        'import { createTagCaseClient } from "./client/index.js";',
        'const client = createTagCaseClient({ baseUrl: "http://127.0.0.1" });',
        "export const apps: Promise<string[]> = client.crud.listApps();",
        'export const deleted: Promise<unknown> = client.crud.deleteApp({ path: { appId: "a" } });',
        "",
      ].join("\n"),
    );
  });

  it("a Swagger 2.0 document is converted, and its warnings name the lines of the file as written", async () => {
    const { stderr } = generated("swagger2-places");
    expect(stderr).toMatch(/^note: test\/fixtures\/specs\/swagger2-places\.yaml is Swagger 2\.0; converted to OpenAPI 3\.0\.0 with swagger2openapi before generating\.$/m);
    // #/components/schemas/Pet is the conversion's; the file has it at #/definitions/Pet, line 24.
    expect(stderr).toMatch(/warning: test\/fixtures\/specs\/swagger2-places\.yaml:24:\d+: unknown format "snowflake": not checked by the client \(#\/components\/schemas\/Pet\/properties\/id\/format\)/);
    await typeCheckWith(
      "swagger2-places",
      [
        'import { createSwaggerPlacesClient } from "./client/index.js";',
        'const client = createSwaggerPlacesClient({ baseUrl: "http://127.0.0.1" });',
        'export const pet: Promise<{ id?: string }> = client.pets.showPet({ path: { petId: "a" } });',
        "",
      ].join("\n"),
    );
  });
});
