/**
 * Bundle benchmark: what one call costs an app's bundle. Each entry is a tiny importer that makes one
 * call (`getUser`-like: a GET with a path parameter); esbuild bundles it (ESM, minified, browser
 * platform) and we report minified and gzipped (level 9) bytes. Contenders:
 *
 *   - the five-operation Zoom client (generated/) through `createZoomClient` (everything built in), with a
 *     static token, with `oauth`, with `validate: false`; and through the lean `createZoomClientCore` + one
 *     resource factory with a static token (the goal row: at most 6 kB gzipped), with the schema checker
 *     opted in (`validate: validateInput`) and with OAuth opted in (`oauth: serverToServerOAuth(...)`), and a
 *     POST whose body may be multipart (its operation carries the runtime's `bodyEncodings`);
 *   - a synthetic spec of the same CRUD shape at 5 and at 200 operations (40 resources of 5), generated
 *     into a temp folder by this repository's bin, called the same two ways: the one-call bundle through
 *     the core must not grow with the operation count;
 *   - hey-api (`@hey-api/openapi-ts`, fetch client + sdk) for the same synthetic specs;
 *   - openapi-fetch alone, typed by the generated `paths`.
 *
 * Platform browser: the runtime's `#node-http-fetch` resolves to its stub (runtime/package.json `imports`), so the
 * `createXClient` rows carry no node:http transport, as in an app's browser bundle.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { fmt, ratio, table } from "./stats.js";
import { BenchError, tempDir } from "./support.js";

export interface BundleBenchOptions {
  readonly root: string;
  readonly log: (line: string) => void;
}

interface Entry {
  readonly name: string;
  readonly source: string;
}

/** Issue 8's goal for a one-call bundle of the lean core with a static token, gzipped. */
const GOAL_GZIP = 6_000;

/** Operations per synthetic resource: list, create, get, update, delete. */
const PER_RESOURCE = 5;

export async function benchBundle(options: BundleBenchOptions): Promise<{ tables: string[]; notes: string[] }> {
  const { root, log } = options;
  const esbuild = await import("esbuild").catch(() => {
    throw new BenchError("cannot load esbuild (run `npm ci`)");
  });
  const temp = tempDir("bundle");
  try {
    const generated = path.join(root, "generated");
    const entries: Entry[] = [
      {
        name: "openapi-fetch alone, one GET",
        source: `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://api.zoom.us/v2", headers: { Authorization: "Bearer t" } });
client.GET("/users/{userId}", { params: { path: { userId: "me" } } }).then((r) => console.log(r.data));`,
      },
      zoomEntry("zoom (5 ops): createZoomClient, static token", generated, "createZoomClient", `{ accessToken: "t" }`),
      zoomEntry("zoom (5 ops): createZoomClient, oauth", generated, "createZoomClient", `{ oauth: { accountId: "a", clientId: "c", clientSecret: "s" } }`),
      zoomEntry("zoom (5 ops): createZoomClient, validate: false", generated, "createZoomClient", `{ accessToken: "t", validate: false }`),
      coreEntry(`zoom (5 ops): createZoomClientCore + users, static token (goal: ≤ ${fmt(GOAL_GZIP)} B gz)`, generated, "createZoomClientCore", "createUsersResource", "users", "getUser", `{ accessToken: "t" }`, "userId"),
      coreEntry("zoom (5 ops): createZoomClientCore + users, validate: validateInput", generated, "createZoomClientCore", "createUsersResource", "users", "getUser", `{ accessToken: "t", validate: validateInput }`, "userId", ["validateInput"]),
      coreEntry("zoom (5 ops): createZoomClientCore + users, oauth: serverToServerOAuth(...)", generated, "createZoomClientCore", "createUsersResource", "users", "getUser", `{ oauth: serverToServerOAuth({ accountId: "a", clientId: "c", clientSecret: "s" }) }`, "userId", ["serverToServerOAuth"]),
      // An operation whose body may be multipart carries the runtime's bodyEncodings with it.
      coreEntry("zoom (5 ops): createZoomClientCore + imGroups, createImGroup (JSON or multipart body)", generated, "createZoomClientCore", "createImGroupsResource", "imGroups", "createImGroup", `{ accessToken: "t" }`, "", [], `{ body: { name: "g" } }`),
    ];
    for (const count of [PER_RESOURCE, 200]) {
      const dir = path.join(temp.dir, `synthetic-${count}`);
      mkdirSync(dir, { recursive: true });
      const spec = path.join(dir, "spec.json");
      writeFileSync(spec, JSON.stringify(syntheticSpec(count)));
      log(`bundle: generating the ${count}-operation synthetic client (zoomgen, hey-api)`);
      const out = path.join(dir, "zoomgen");
      try {
        execFileSync(process.execPath, [path.join(root, "bin/zoomgen.mjs"), "--spec", spec, "--out", out, "--name", "Synth", "--quiet", "--no-cache"], {
          stdio: ["ignore", "ignore", "pipe"],
          env: { ...process.env, CI: "1" },
        });
      } catch (error) {
        throw new BenchError(`zoomgen could not generate the ${count}-operation synthetic spec: ${String((error as { stderr?: unknown }).stderr ?? error).split("\n")[0]}`);
      }
      entries.push(
        zoomEntry(`synthetic (${count} ops): createSynthClient`, out, "createSynthClient", `{ accessToken: "t" }`, "r0", "getR0", "id"),
        coreEntry(`synthetic (${count} ops): createSynthClientCore + r0`, out, "createSynthClientCore", "createR0Resource", "r0", "getR0", `{ accessToken: "t" }`, "id"),
      );
      const hey = path.join(dir, "hey-api");
      await generateHeyApi(spec, hey);
      entries.push({
        name: `synthetic (${count} ops): hey-api sdk getR0`,
        source: `import { client } from ${JSON.stringify(path.join(hey, "client.gen.ts"))};
import { getR0 } from ${JSON.stringify(path.join(hey, "sdk.gen.ts"))};
client.setConfig({ baseUrl: "https://api.example.com", auth: "t" });
getR0({ path: { id: "me" } }).then((r) => console.log(r.data));`,
      });
    }

    const rows: string[][] = [];
    let openapiFetchGzip = Number.NaN;
    for (const entry of entries) {
      const file = path.join(temp.dir, `${rows.length}.ts`);
      writeFileSync(file, entry.source);
      const result = await esbuild.build({
        entryPoints: [file],
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        write: false,
        logLevel: "silent",
        nodePaths: [path.join(root, "node_modules")],
        // @zoomgen/runtime from its sources in this checkout (the same code its dist/ is built from).
        conditions: ["@zoomgen/source"],
      });
      const code = result.outputFiles[0]?.contents ?? new Uint8Array();
      const gzip = gzipSync(code, { level: 9 }).length;
      if (rows.length === 0) openapiFetchGzip = gzip;
      rows.push([entry.name, fmt(code.length), fmt(gzip), ratio(gzip, openapiFetchGzip)]);
    }
    return {
      tables: [table(["one-call importer", "minified B", "gzipped B", "gzip vs openapi-fetch"], rows)],
      notes: [
        "esbuild, ESM, minified, platform browser, target es2022; gzip level 9. The runtime is this checkout's @zoomgen/runtime, bundled from its sources; the `browser` condition maps its `#node-http-fetch` (the full client's node:http transport in Node) to a stub, so no row carries that code, as a browser bundle of the built package does not either.",
        `The synthetic spec has resources of ${PER_RESOURCE} operations each (list, create, get, update, delete; a JSON body with a $ref schema on create/update): 1 resource at 5 operations, 40 at 200.`,
        "`createXClient` builds every resource (a client object's properties cannot be tree-shaken) and carries the schema checker and OAuth; `createXClientCore` + one `createXResource` keeps that resource's operations, specs and input schemas only, leaves openapi-fetch (`raw`) out, and carries the checker (`validate: validateInput`) and OAuth (`oauth: serverToServerOAuth(...)`) only when the importer passes them.",
      ],
    };
  } finally {
    temp.remove();
  }
}

function zoomEntry(name: string, dir: string, factory: string, options: string, resource = "users", method = "getUser", param = "userId"): Entry {
  return {
    name,
    source: `import { ${factory} } from ${JSON.stringify(path.join(dir, "client.ts"))};
const client = ${factory}(${options});
client.${resource}.${method}({ path: { ${param}: "me" } }).then((data) => console.log(data));`,
  };
}

function coreEntry(
  name: string,
  dir: string,
  core: string,
  factory: string,
  resource: string,
  method: string,
  options: string,
  param: string,
  optIns: string[] = [],
  input = `{ path: { ${param}: "me" } }`,
): Entry {
  // Everything from the client's package entry (index.ts), as an app imports it.
  return {
    name,
    source: `import { ${[core, factory, ...optIns].join(", ")} } from ${JSON.stringify(path.join(dir, "index.ts"))};
const ${resource} = ${factory}(${core}(${options}));
${resource}.${method}(${input}).then((data) => console.log(data));`,
  };
}

/** Runs hey-api (fetch client + sdk) on `spec` into `out`, quietly. */
export async function generateHeyApi(spec: string, out: string): Promise<void> {
  const heyApi = await import("@hey-api/openapi-ts").catch(() => {
    throw new BenchError("cannot load @hey-api/openapi-ts (run `npm ci`)");
  });
  const quiet = console.log;
  console.log = () => undefined; // hey-api prints its progress on stdout, where our results go
  try {
    await heyApi.createClient({ input: spec, output: { path: out }, plugins: ["@hey-api/client-fetch", "@hey-api/sdk"], logs: { level: "silent" } });
  } catch (error) {
    throw new BenchError(`hey-api could not generate ${spec}: ${(error as Error).message}`);
  } finally {
    console.log = quiet;
  }
}

/** A CRUD API of `count` operations: resources r0, r1, ... of five operations each. */
export function syntheticSpec(count: number): object {
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (let r = 0; r * PER_RESOURCE < count; r++) {
    const tag = `R${r}`;
    const item = { $ref: `#/components/schemas/${tag}` };
    schemas[tag] = {
      type: "object",
      required: ["name", "email"],
      properties: {
        id: { type: "string", readOnly: true },
        name: { type: "string", minLength: 1, maxLength: 64 },
        email: { type: "string", format: "email" },
        kind: { type: "string", enum: ["a", "b", "c"] },
        size: { type: "integer", minimum: 0, maximum: 1000 },
      },
    };
    const json = (schema: object) => ({ content: { "application/json": { schema } } });
    const idParam = { name: "id", in: "path", required: true, schema: { type: "string", minLength: 1 } };
    paths[`/r${r}`] = {
      get: {
        operationId: `listR${r}`,
        tags: [tag],
        parameters: [{ name: "page_size", in: "query", schema: { type: "integer", minimum: 1, maximum: 300 } }],
        responses: { "200": { description: "A page", ...json({ type: "object", properties: { items: { type: "array", items: item } } }) } },
      },
      post: { operationId: `createR${r}`, tags: [tag], requestBody: { required: true, ...json(item) }, responses: { "201": { description: "Created", ...json(item) } } },
    };
    paths[`/r${r}/{id}`] = {
      get: { operationId: `getR${r}`, tags: [tag], parameters: [idParam], responses: { "200": { description: "One", ...json(item) } } },
      patch: { operationId: `updateR${r}`, tags: [tag], parameters: [idParam], requestBody: { required: true, ...json(item) }, responses: { "204": { description: "Updated" } } },
      delete: { operationId: `deleteR${r}`, tags: [tag], parameters: [idParam], responses: { "204": { description: "Deleted" } } },
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: "Synth", version: "1.0.0" },
    servers: [{ url: "https://api.example.com" }],
    tags: Object.keys(schemas).map((name) => ({ name, description: `The ${name} resource.` })),
    paths,
    components: { schemas },
  };
}
