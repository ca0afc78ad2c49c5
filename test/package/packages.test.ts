/**
 * The three packages as users get them: `npm pack` of @zoomgen/runtime, @zoomgen/zoom (the Zoom client) and
 * zoomgen (the generator), installed from those tarballs into fresh projects (from the npm cache, offline
 * where it has everything), compiled with strict TypeScript and run against a real server on 127.0.0.1:
 * - the Zoom client in an ESM project and in a CommonJS one, with its production install measured;
 * - the generator in a third project: `npx zoomgen` generates a Petstore client, only what the generated
 *   README says is installed (the runtime), and the client compiles, runs, and says nothing of Zoom;
 * - attw and publint on each tarball/package, and no packed README that links a file the tarball lacks;
 * - the installed Zoom client bundled by esbuild: for browsers without node-http-fetch (the runtime's `imports`
 *   map gives them a stub), for Node with it, from ESM and from CommonJS.
 * Slow (builds, installs, tsc), so one `beforeAll` does the work and the tests read its results.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { formatMessage } from "publint/utils";
import { publint } from "publint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRun, installedVersion, measureNodeModules, npm, npx, ok, pack, relativeLinks, REPO, run, type PackEntry, type RunResult } from "./support.js";

const SETUP_TIMEOUT_MS = 600_000;
const INSTALL_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"], // a plain Node project: no DOM lib; fetch, Request, Headers... come from @types/node
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    types: ["node"],
    skipLibCheck: false, // the shipped .d.ts/.d.cts files must be valid as they are
    noEmitOnError: true,
    outDir: "build",
    rootDir: ".",
  },
  include: ["*.ts"],
};

/** The Zoom client from its package, in an ES module: typed data, typed errors with Zoom's code, wrong calls rejected. */
const ZOOM_ESM = `\
import { ApiError, NotFoundError, createZoomClient, type ClientOptions, type GetUserData, type ZoomClient } from "@zoomgen/zoom";

const baseUrl = process.env.API_BASE_URL;
if (baseUrl === undefined) throw new Error("API_BASE_URL is not set");
const options: ClientOptions = { accessToken: "consumer-token", baseUrl };
const zoom: ZoomClient = createZoomClient(options);

const me: GetUserData = await zoom.users.getUser({ path: { userId: "me" } });
console.log(JSON.stringify({ step: "me", email: me.email }));
try {
  await zoom.users.getUser({ path: { userId: "nobody" } });
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  const apiError: ApiError = error;
  console.log(JSON.stringify({ step: "missing", name: error.name, status: apiError.status, code: apiError.code, message: apiError.message }));
}

/** Never called: each line must be a type error, or tsc reports an unused @ts-expect-error. */
export function wrongCalls(client: ZoomClient, user: GetUserData): void {
  // @ts-expect-error the path parameter is userId, not userID
  void client.users.getUser({ path: { userID: "me" } });
  // @ts-expect-error the user has no such field (the data is typed, not any)
  void user.no_such_field;
}
`;

/** The same from CommonJS (compiled by tsc to require()), inside a function since CommonJS has no top-level await. */
const ZOOM_CJS = `\
import { NotFoundError, createZoomClient, type GetUserData } from "@zoomgen/zoom";

async function main(): Promise<void> {
  const zoom = createZoomClient({ accessToken: "consumer-token", baseUrl: process.env.API_BASE_URL ?? "" });
  const me: GetUserData = await zoom.users.getUser({ path: { userId: "me" } });
  const missing = await zoom.users.getUser({ path: { userId: "nobody" } }).catch((error: unknown) => error);
  console.log(JSON.stringify({ step: "cjs", email: me.email, notFound: missing instanceof NotFoundError }));
}
void main();
`;

const PETS_SPEC = `\
openapi: 3.1.0
info:
  title: Pet Store
  version: 1.0.0
servers:
  - url: https://pets.example.com/v1
tags:
  - name: pets
paths:
  /pets/{petId}:
    get:
      tags: [pets]
      operationId: getPet
      parameters:
        - name: petId
          in: path
          required: true
          schema: { type: string }
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
        "404":
          description: No such pet.
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: { type: string }
        name: { type: string }
`;

/**
 * The generated Petstore client: a call, a 404 with a JSON error body, a path value that Zoom's rule would
 * double-encode, OAuth-like options without a token URL (refused) and with a local one; every URL the client
 * fetches is recorded, and every message printed, so the test can look for Zoom in them.
 */
const PETS_TS = `\
import { ApiError, createPetStoreClient, type Pet, type PetStoreClient } from "./client/index.js";

const baseUrl = process.env.API_BASE_URL ?? "";
const fetched: string[] = [];
const recording = (url: string, init: RequestInit): Promise<Response> => {
  fetched.push(url);
  return fetch(url, init);
};
const pets: PetStoreClient = createPetStoreClient({ accessToken: "pets-token", baseUrl, fetch: recording });
const pet: Pet = await pets.pets.getPet({ path: { petId: "7" } });
console.log(JSON.stringify({ step: "pet", id: pet.id, name: pet.name }));
const missing = await pets.pets.getPet({ path: { petId: "404" } }).catch((error: unknown) => error);
if (!(missing instanceof ApiError)) throw new Error("expected an ApiError");
console.log(JSON.stringify({ step: "missing", name: missing.name, status: missing.status, message: missing.message }));
await pets.pets.getPet({ path: { petId: "/etc//x" } }).catch(() => undefined);

const credentials = { accountId: "acct", clientId: "pets-client-id", clientSecret: "pets-client-secret" };
try {
  createPetStoreClient({ oauth: credentials, baseUrl, fetch: recording });
  console.log(JSON.stringify({ step: "oauth-without-url", error: null }));
} catch (error) {
  console.log(JSON.stringify({ step: "oauth-without-url", name: (error as Error).name, message: (error as Error).message }));
}
const viaOAuth = createPetStoreClient({ oauth: { ...credentials, tokenUrl: \`\${baseUrl}/oauth/token\` }, baseUrl, fetch: recording });
const again = await viaOAuth.pets.getPet({ path: { petId: "7" } });
console.log(JSON.stringify({ step: "oauth", name: again.name }));
console.log(JSON.stringify({ step: "fetched", urls: fetched }));
`;

interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  userAgent: string | undefined;
  /** Sent by Node's global fetch (undici), not by node:http: which transport the client used. */
  secFetchMode: string | undefined;
}

function startServer(seen: SeenRequest[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, userAgent: req.headers["user-agent"], secFetchMode: req.headers["sec-fetch-mode"] as string | undefined });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/users/me") json(200, { id: "u1", email: "jane.consumer@example.com", type: 1 });
    else if (req.method === "GET" && url.pathname === "/users/nobody") json(404, { code: 1001, message: "User does not exist" });
    else if (req.method === "GET" && url.pathname === "/pets/7") json(200, { id: "7", name: "Rex" });
    else if (req.method === "GET" && url.pathname.startsWith("/pets/")) json(404, { message: "no such pet" });
    else if (req.method === "POST" && url.pathname === "/oauth/token") json(200, { access_token: "pets-oauth-token", expires_in: 3600 });
    else json(500, { message: `unexpected request ${req.method} ${req.url}` });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** "zoom" anywhere, except inside the tool's own name "zoomgen" (its command and its @zoomgen/* packages). */
const ZOOM = /zoom(?!gen)/i;

let tmp: string;
let server: Server | undefined;
let baseUrl: string;
const seen: SeenRequest[] = [];
const packed: Record<"runtime" | "zoom" | "generator", PackEntry & { tarball: string }> = {} as never;
const results: Record<string, RunResult> = {};
let production: { packages: string[]; bytes: number };

async function project(name: string, manifest: Record<string, unknown>): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name, version: "1.0.0", private: true, ...manifest }, null, 2)}\n`);
  return dir;
}

async function compileAndRun(dir: string, key: string, main: string): Promise<void> {
  const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
  results[`${key}:tsc`] = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir });
  if (results[`${key}:tsc`]!.code === 0) {
    results[`${key}:run`] = await run(process.execPath, [path.join("build", main)], { cwd: dir, env: { API_BASE_URL: baseUrl }, timeoutMs: 60_000 });
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "zoomgen-packages-"));
  const tarballs = path.join(tmp, "tarballs");
  await mkdir(tarballs);
  // 1. Pack each package as `npm publish` would (their prepack builds them).
  packed.runtime = await pack(path.join(REPO, "runtime"), tarballs);
  packed.zoom = await pack(path.join(REPO, "generated"), tarballs);
  packed.generator = await pack(REPO, tarballs);
  const started = await startServer(seen);
  server = started.server;
  baseUrl = started.url;
  const tools = [`typescript@${await installedVersion("typescript")}`, `@types/node@${await installedVersion("@types/node")}`];

  // 2. What a service installs for the Zoom client: production dependencies only.
  const service = await project("service", { type: "module" });
  ok(await run(npm, ["install", "--omit=dev", packed.zoom.tarball, packed.runtime.tarball, ...INSTALL_FLAGS], { cwd: service }));
  production = await measureNodeModules(path.join(service, "node_modules"));

  // 3. The Zoom client in a strict ESM project and a CommonJS one.
  for (const [name, type, source] of [["zoom-esm", "module", ZOOM_ESM], ["zoom-cjs", "commonjs", ZOOM_CJS]] as const) {
    const dir = await project(name, { type });
    ok(await run(npm, ["install", packed.zoom.tarball, packed.runtime.tarball, ...tools, ...INSTALL_FLAGS], { cwd: dir }));
    await writeFile(path.join(dir, "index.ts"), source);
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    await compileAndRun(dir, name, "index.js");
  }

  // 4. The generator: install it, generate a Petstore client, install what its README says, compile, run.
  const petsDir = await project("pets", { type: "module" });
  ok(await run(npm, ["install", packed.generator.tarball, ...tools, ...INSTALL_FLAGS], { cwd: petsDir }));
  await writeFile(path.join(petsDir, "pets.yaml"), PETS_SPEC);
  results.help = await run(npx, ["--no", "--", "zoomgen", "--help"], { cwd: petsDir });
  results.generate = await run(npx, ["--no", "--", "zoomgen", "--spec", "pets.yaml", "--out", "client"], { cwd: petsDir });
  if (results.generate.code === 0) {
    const readme = await readFile(path.join(petsDir, "client", "README.md"), "utf8");
    results.readmeInstall = { command: "README", code: 0, stdout: readme, stderr: "", ms: 0 };
    // The README names @zoomgen/runtime; this test installs it from its tarball (it is not published).
    if (readme.includes("npm install @zoomgen/runtime")) ok(await run(npm, ["install", packed.runtime.tarball, ...INSTALL_FLAGS], { cwd: petsDir }));
    await writeFile(path.join(petsDir, "index.ts"), PETS_TS);
    await writeFile(path.join(petsDir, "tsconfig.json"), JSON.stringify({ ...TSCONFIG, include: ["*.ts", "client/**/*.ts"] }, null, 2));
    await compileAndRun(petsDir, "pets", "index.js");
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the tarballs", () => {
  it("hold what each package needs and nothing of the repository's internals", () => {
    const files = (name: keyof typeof packed) => packed[name].files.map((f) => f.path);
    expect(files("runtime")).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/zoom/index.js", "dist/redis/index.cjs", "dist/node-http-fetch.js", "dist/node-http-fetch.cjs", "dist/node-http-fetch.browser.js", "dist/node-http-fetch.browser.cjs"]));
    expect(files("zoom")).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts"]));
    expect(files("generator")).toEqual(expect.arrayContaining(["package.json", "README.md", "bin/zoomgen.mjs", "dist/generator/cli.js", "dist/runtime-package.json", "templates/client.ts.hbs", "runtime/index.ts", "runtime/zoom/index.ts"]));
    for (const name of ["runtime", "zoom", "generator"] as const) {
      const internal = files(name).filter((f) => /(^|\/)test\/|\.test\.[jt]s$|^(spec|generated|scripts|bench|\.ci|\.tmp|node_modules)\/|^(tsconfig.*|vitest\.config\.ts|package-lock\.json|tsup\.config\.ts)$/.test(f));
      expect(internal, `${name}: files that should not be published`).toEqual([]);
    }
  });

  it("link no file from a packed README that the tarball lacks", async () => {
    const readmes: Record<string, string> = {
      generator: await readFile(path.join(REPO, "README.md"), "utf8"),
      runtime: await readFile(path.join(REPO, "runtime", "README.md"), "utf8"),
      zoom: await readFile(path.join(REPO, "generated", "README.md"), "utf8"),
    };
    for (const name of ["runtime", "zoom", "generator"] as const) {
      const files = new Set(packed[name].files.map((f) => f.path));
      const missing = relativeLinks(readmes[name]!).filter((target) => !files.has(path.posix.normalize(target)));
      expect(missing, `${name}'s README links files its tarball lacks`).toEqual([]);
    }
    expect(relativeLinks("see [a](docs/A.md#x) and [b](https://x.y) and [c](#here)")).toEqual(["docs/A.md"]); // the check can fail
  });

  it("are clean for attw (types resolve right in node10, node16 CJS and ESM, bundlers)", async () => {
    for (const name of ["runtime", "zoom"] as const) {
      const attw = await run(process.execPath, [path.join(REPO, "node_modules/@arethetypeswrong/cli/dist/index.js"), packed[name].tarball, "--format", "json"], { cwd: tmp });
      const report = JSON.parse(attw.stdout) as { analysis: { problems: unknown[] } };
      expect(report.analysis.problems, `${name}: ${attw.stdout.slice(0, 2000)}`).toEqual([]);
      expect(attw.code, describeRun(attw)).toBe(0);
    }
  }, 120_000);

  it("are clean for publint (no errors, warnings or suggestions)", async () => {
    for (const dir of [REPO, path.join(REPO, "runtime"), path.join(REPO, "generated")]) {
      const { messages, pkg } = await publint({ pkgDir: dir, level: "suggestion", strict: true, pack: "npm" });
      expect(messages, `${dir}: ${messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`).join("\n")}`).toEqual([]);
    }
  }, 180_000);
});

describe("the Zoom client's package", () => {
  it("installs for production as itself, the runtime and openapi-fetch (with its type helpers), nothing else", () => {
    expect(production.packages).toEqual(["@zoomgen/runtime", "@zoomgen/zoom", "openapi-fetch", "openapi-typescript-helpers"]);
    console.log(`Zoom client production install: ${production.packages.length} packages, ${production.bytes} bytes of node_modules`);
  });

  for (const kind of ["esm", "cjs"] as const) {
    it(`compiles in a strict ${kind === "esm" ? "ESM" : "CommonJS"} project and calls a local server`, () => {
      const tsc = results[`zoom-${kind}:tsc`]!;
      expect(tsc.code, describeRun(tsc)).toBe(0);
      const ran = results[`zoom-${kind}:run`]!;
      expect(ran.code, describeRun(ran)).toBe(0);
      const lines = jsonLines(ran.stdout);
      if (kind === "esm") {
        expect(lines).toContainEqual({ step: "me", email: "jane.consumer@example.com" });
        const missing = lines.find((l) => l.step === "missing");
        expect(missing).toMatchObject({ name: "NotFoundError", status: 404, code: 1001 });
        expect(missing?.message).toContain("Zoom code 1001: User does not exist");
      } else {
        expect(lines).toContainEqual({ step: "cjs", email: "jane.consumer@example.com", notFound: true });
      }
    });
  }

  it("sends its own name and version as User-Agent, not the generator's", () => {
    const agents = new Set(seen.filter((r) => r.url.startsWith("/users/")).map((r) => r.userAgent));
    expect([...agents]).toEqual(["@zoomgen/zoom/0.1.0"]);
  });

  it("sends through node:http in Node, from ESM and CommonJS (the runtime's `imports` map picks node-http-fetch)", () => {
    const calls = seen.filter((r) => r.url.startsWith("/users/"));
    expect(calls.length).toBe(4); // me and nobody, from each project
    expect(calls.map((r) => r.secFetchMode)).toEqual([undefined, undefined, undefined, undefined]);
    // The check can fail: the Petstore client sends through the global fetch it is given.
    expect(seen.filter((r) => r.url.startsWith("/pets/")).every((r) => r.secFetchMode === "cors")).toBe(true);
  });

  for (const style of ["import", "require"] as const) {
    it(`bundled by esbuild from ${style === "import" ? "ESM" : "CommonJS"}: without node-http-fetch for browsers, with it for Node`, async () => {
      const contents =
        style === "import"
          ? `import { createZoomClient } from "@zoomgen/zoom";\ncreateZoomClient({ accessToken: "t" }).users.getUser({ path: { userId: "me" } }).then(console.log);`
          : `const { createZoomClient } = require("@zoomgen/zoom");\ncreateZoomClient({ accessToken: "t" }).users.getUser({ path: { userId: "me" } }).then(console.log);`;
      const extension = style === "import" ? "js" : "cjs";
      for (const platform of ["browser", "node"] as const) {
        const project = path.join(tmp, `zoom-${style === "import" ? "esm" : "cjs"}`);
        const result = await build({
          absWorkingDir: project, // the metafile's paths are relative to it
          stdin: { contents, resolveDir: project },
          bundle: true,
          minify: true,
          format: style === "import" ? "esm" : "cjs",
          platform,
          target: "es2022",
          write: false,
          metafile: true,
          logLevel: "silent",
        });
        const resolved = Object.keys(result.metafile.inputs).filter((file) => file.includes("node-http-fetch"));
        const code = result.outputFiles[0]!.text;
        const kept = ["getBuiltinModule", "undici.globalDispatcher.1"].filter((marker) => code.includes(marker)); // strings only node-http-fetch has
        expect(code, platform).toContain("/users/{userId}");
        if (platform === "browser") {
          expect(resolved).toEqual([`node_modules/@zoomgen/runtime/dist/node-http-fetch.browser.${extension}`]);
          expect(kept).toEqual([]);
        } else {
          expect(resolved).toEqual([`node_modules/@zoomgen/runtime/dist/node-http-fetch.${extension}`]);
          expect(kept).toEqual(["getBuiltinModule", "undici.globalDispatcher.1"]);
        }
      }
    });
  }
});

describe("a Petstore client generated by the installed zoomgen", () => {
  it("runs `npx zoomgen --help` and generates the client", () => {
    expect(results.help?.code, results.help && describeRun(results.help)).toBe(0);
    expect(results.help?.stdout).toContain("--profile");
    expect(results.generate?.code, results.generate && describeRun(results.generate)).toBe(0);
  });

  it("needs only the runtime, as its README says, and compiles and runs with it", () => {
    expect(results.readmeInstall?.stdout).toContain("npm install @zoomgen/runtime");
    const tsc = results["pets:tsc"]!;
    expect(tsc.code, describeRun(tsc)).toBe(0);
    const ran = results["pets:run"]!;
    expect(ran.code, describeRun(ran)).toBe(0);
    const lines = jsonLines(ran.stdout);
    expect(lines).toContainEqual({ step: "pet", id: "7", name: "Rex" });
    expect(lines.find((l) => l.step === "missing")).toMatchObject({ name: "NotFoundError", status: 404 });
    expect(lines.find((l) => l.step === "missing")?.message).toContain("no such pet");
    expect(lines.find((l) => l.step === "oauth-without-url")).toMatchObject({ name: "ConfigError" });
    expect(lines).toContainEqual({ step: "oauth", name: "Rex" });
  });

  it("has no Zoom in its files, its errors, its User-Agent or its token handling", async () => {
    const dir = path.join(tmp, "pets", "client");
    for (const file of (await readdir(dir, { recursive: true })).map(String).filter((f) => /\.(ts|md|json)$/.test(f))) {
      const text = await readFile(path.join(dir, file), "utf8");
      expect(text.split("\n").filter((line) => ZOOM.test(line)), file).toEqual([]);
    }
    const ran = results["pets:run"]!;
    expect(ran.stdout).not.toMatch(ZOOM);
    expect(ran.stderr).not.toMatch(ZOOM);
    const fetched = jsonLines(ran.stdout).find((l) => l.step === "fetched")?.urls as string[];
    expect(fetched.length).toBeGreaterThan(3);
    expect(fetched.every((url) => url.startsWith(`${baseUrl}/`)), fetched.join("\n")).toBe(true);
    const petRequests = seen.filter((r) => r.url.startsWith("/pets/") || r.url.startsWith("/oauth/"));
    expect(petRequests.every((r) => !ZOOM.test(r.userAgent ?? "") && r.userAgent === "pet-store/1.0.0")).toBe(true);
    // The generic rule: a path value is encoded once, whatever it holds.
    expect(petRequests.map((r) => r.url)).toContain("/pets/%2Fetc%2F%2Fx");
    expect(petRequests.filter((r) => r.url.startsWith("/oauth/token?")).length).toBe(1);
    expect(petRequests.filter((r) => r.authorization === "Bearer pets-oauth-token").length).toBe(1);
    expect(ZOOM.test("a Zoom code") && !ZOOM.test("@zoomgen/runtime")).toBe(true); // the check can fail
  });
});
