/**
 * The published package, as a user gets it: `npm pack` (which runs `prepack` → `npm run build`),
 * the tarball installed into a fresh consumer project, a consumer file that imports the client
 * from "zoomgen" type-checked with TypeScript strict + NodeNext and run against a local HTTP
 * server, the `zoomgen` bin generating a second client into the consumer project, and publint.
 *
 * Slow (a build, an `npm install`, three `tsc` runs), so one `beforeAll` does the work once and
 * the tests read its results. Everything it makes lives in one temp folder, removed afterwards
 * (the build's dist/ in the repository is the only thing left, and .gitignore covers it).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatMessage } from "publint/utils";
import { publint } from "publint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SETUP_TIMEOUT_MS = 240_000;

interface RunResult {
  readonly command: string;
  /** The exit code; -1 if the process could not start or was killed (timeout). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The environment for child processes, less what an outer `npm test` put there about this repository. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_)/i.test(key) || /^(npm_command|npm_config_local_prefix|INIT_CWD)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", ...extra };
}

/** Runs a command without a shell (asynchronously, so the test's HTTP server keeps answering). */
function run(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  const started = performance.now();
  const display = [command, ...args].join(" ");
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32", // npm and npx are .cmd files there
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => {
      stderr += `\n[could not run ${display}: ${error.message}]`;
    });
    child.on("close", (code, signal) => {
      if (signal) stderr += `\n[killed by ${signal}${signal === "SIGTERM" ? " (timeout?)" : ""}]`;
      resolve({ command: display, code: code ?? -1, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

function describeRun(result: RunResult): string {
  return `$ ${result.command}\n(exit ${result.code} after ${result.ms} ms)\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Throws with the whole output unless the command succeeded. */
function ok(result: RunResult): RunResult {
  if (result.code !== 0) throw new Error(`command failed:\n${describeRun(result)}`);
  return result;
}

/** `npm pack --json` prints a JSON array; lifecycle output may come before it. */
interface PackEntry {
  filename: string;
  files: { path: string; mode: number; size: number }[];
}
function parsePackJson(stdout: string): PackEntry {
  const start = stdout.search(/^\[\s*$/m);
  const parsed = JSON.parse(start >= 0 ? stdout.slice(start) : stdout) as PackEntry[];
  const entry = parsed[0];
  if (!entry) throw new Error(`npm pack --json printed no package:\n${stdout}`);
  return entry;
}

async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(REPO, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

// ---------------------------------------------------------------------------------------------
// The consumer project's files.

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"], // a plain Node project: no DOM lib; fetch, Request, Headers... come from @types/node
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    types: ["node"],
    // The shipped .d.ts files must be valid as they are, with no DOM lib (checking @types/node with them
    // costs ~8 s, so only the project that imports the package does it; see tsconfig.pets.json below).
    skipLibCheck: false,
    noEmitOnError: true,
    outDir: "build",
    rootDir: ".",
  },
};

/** Imports the Zoom client from the package by name; run against the test's server. */
const CONSUMER_INDEX_TS = `\
import { ApiError, NotFoundError, createZoomClient, type ClientOptions, type GetUserData, type ZoomClient } from "zoomgen";

const baseUrl = process.env.ZOOM_BASE_URL;
if (baseUrl === undefined) throw new Error("ZOOM_BASE_URL is not set");
const options: ClientOptions = { accessToken: "consumer-token", baseUrl };
const zoom: ZoomClient = createZoomClient(options);

const me: GetUserData = await zoom.users.getUser({ path: { userId: "me" } });
const email: string | undefined = me.email;
console.log(JSON.stringify({ step: "me", email }));

try {
  await zoom.users.getUser({ path: { userId: "nobody" }, query: { login_type: 100 } });
  console.log(JSON.stringify({ step: "missing", error: null }));
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  const apiError: ApiError = error;
  console.log(JSON.stringify({ step: "missing", error: error.name, isApiError: error instanceof ApiError, status: apiError.status, code: apiError.code, message: apiError.zoomMessage }));
}

/** Never called: each line below must be a type error, or tsc reports an unused @ts-expect-error. */
export function wrongCalls(client: ZoomClient, user: GetUserData): void {
  // @ts-expect-error login_type is a number (one of Zoom's login methods), not a string
  void client.users.getUser({ path: { userId: "me" }, query: { login_type: "100" } });
  // @ts-expect-error the path parameter is userId, not userID
  void client.users.getUser({ path: { userID: "me" } });
  // @ts-expect-error getUser needs its path parameters
  void client.users.getUser({});
  // @ts-expect-error the user has no such field (the data is typed, not any)
  void user.no_such_field;
  // @ts-expect-error there is no such operation
  void client.users.getUserz;
}
`;

/** CommonJS consumers: require() of the ESM package (Node >= 20.19 loads ESM synchronously). */
const CONSUMER_CJS = `\
const zoomgen = require("zoomgen");
console.log(JSON.stringify({ step: "cjs", createZoomClient: typeof zoomgen.createZoomClient, NotFoundError: typeof zoomgen.NotFoundError }));
`;

/** A small OpenAPI document for `zoomgen --spec ... --out client`. */
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
      summary: Get a pet
      parameters:
        - name: petId
          in: path
          required: true
          schema: { type: integer, minimum: 1 }
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
        "404":
          description: No such pet.
  /pets:
    post:
      tags: [pets]
      operationId: addPet
      summary: Add a pet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: { type: string, maxLength: 50 }
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: { type: integer }
        name: { type: string }
`;

/** Uses the client that the installed `zoomgen` bin generated into the consumer project. */
const CONSUMER_PETS_TS = `\
import { createPetsClient, type PetsClient } from "./client/index.js";

const baseUrl = process.env.PETS_BASE_URL;
if (baseUrl === undefined) throw new Error("PETS_BASE_URL is not set");
const pets: PetsClient = createPetsClient({ accessToken: "pets-token", baseUrl });
const pet = await pets.pets.getPet({ path: { petId: 7 } });
const name: string = pet.name;
console.log(JSON.stringify({ step: "pet", id: pet.id, name }));

export function wrongCalls(client: PetsClient): void {
  // @ts-expect-error petId is an integer
  void client.pets.getPet({ path: { petId: "7" } });
  // @ts-expect-error the body needs a name
  void client.pets.addPet({ body: {} });
}
`;

// ---------------------------------------------------------------------------------------------
// The local Zoom (and pet store) the consumer talks to.

interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  userAgent: string | undefined;
}

function startServer(seen: SeenRequest[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, userAgent: req.headers["user-agent"] });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/users/me") {
      json(200, { id: "z8dsdsdsdsdCfp8uQ", first_name: "Jane", last_name: "Consumer", email: "jane.consumer@example.com", type: 1, status: "active" });
    } else if (req.method === "GET" && url.pathname === "/users/nobody") {
      json(404, { code: 1001, message: "User does not exist" });
    } else if (req.method === "GET" && url.pathname === "/pets/7") {
      json(200, { id: 7, name: "Rex" });
    } else {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`unexpected request ${req.method} ${req.url}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

let tmp: string | undefined;
let server: Server | undefined;
const seen: SeenRequest[] = [];
const timings: Record<string, number> = {};

let packed: PackEntry;
let consumer: string;
let help: RunResult;
let generateClient: RunResult;
let tscIndex: RunResult;
let tscPets: RunResult;
let runIndex: RunResult | undefined;
let runPets: RunResult | undefined;
let runCjs: RunResult;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "zoomgen-pack-"));
  const packDir = path.join(tmp, "pack");
  consumer = path.join(tmp, "consumer");
  await mkdir(packDir);
  await mkdir(consumer);

  // 1. Pack the repository as `npm publish` would (prepack builds dist/).
  const pack = ok(await run(npm, ["pack", "--json", "--pack-destination", packDir], { cwd: REPO, timeoutMs: 180_000 }));
  timings.pack = pack.ms;
  packed = parsePackJson(pack.stdout);
  const tarball = path.join(packDir, packed.filename);

  // 2. A fresh consumer project with the tarball and the TypeScript the repository uses (the npm cache has them).
  await writeFile(path.join(consumer, "package.json"), `${JSON.stringify({ name: "zoomgen-consumer", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`);
  const install = ok(
    await run(
      npm,
      ["install", tarball, `typescript@${await installedVersion("typescript")}`, `@types/node@${await installedVersion("@types/node")}`, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
      { cwd: consumer, timeoutMs: 180_000 },
    ),
  );
  timings.install = install.ms;

  // 3. The installed bin: help, and a client generated into the consumer project.
  await writeFile(path.join(consumer, "pets.yaml"), PETS_SPEC);
  [help, generateClient] = await Promise.all([
    run(npx, ["--no", "--", "zoomgen", "--help"], { cwd: consumer }),
    run(npx, ["--no", "--", "zoomgen", "--spec", "pets.yaml", "--out", "client", "--name", "Pets"], { cwd: consumer }),
  ]);
  timings.generate = generateClient.ms;

  // 4. Type-check and compile the consumer files (two projects, so a failure names its side).
  await writeFile(path.join(consumer, "index.ts"), CONSUMER_INDEX_TS);
  await writeFile(path.join(consumer, "pets.ts"), CONSUMER_PETS_TS);
  await writeFile(path.join(consumer, "cjs-check.cjs"), CONSUMER_CJS);
  await writeFile(path.join(consumer, "tsconfig.json"), `${JSON.stringify({ ...CONSUMER_TSCONFIG, files: ["index.ts"] }, null, 2)}\n`);
  // The generated client is .ts source, checked in full whatever skipLibCheck says.
  const petsConfig = { compilerOptions: { ...CONSUMER_TSCONFIG.compilerOptions, skipLibCheck: true }, include: ["pets.ts", "client/**/*.ts"] };
  await writeFile(path.join(consumer, "tsconfig.pets.json"), `${JSON.stringify(petsConfig, null, 2)}\n`);
  const tsc = path.join(consumer, "node_modules", "typescript", "bin", "tsc");
  [tscIndex, tscPets] = await Promise.all([
    run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: consumer }),
    run(process.execPath, [tsc, "-p", "tsconfig.pets.json"], { cwd: consumer }),
  ]);
  timings.tsc = Math.max(tscIndex.ms, tscPets.ms);

  // 5. Run them against a real HTTP server on 127.0.0.1.
  const started = await startServer(seen);
  server = started.server;
  if (tscIndex.code === 0) runIndex = await run(process.execPath, ["build/index.js"], { cwd: consumer, env: { ZOOM_BASE_URL: started.url }, timeoutMs: 30_000 });
  if (tscPets.code === 0) runPets = await run(process.execPath, ["build/pets.js"], { cwd: consumer, env: { PETS_BASE_URL: started.url }, timeoutMs: 30_000 });
  runCjs = await run(process.execPath, ["cjs-check.cjs"], { cwd: consumer, timeoutMs: 30_000 });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
  if (Object.keys(timings).length > 0) console.log(`pack test timings (ms): ${JSON.stringify(timings)}`);
});

describe("npm pack", () => {
  it("ships the built client and generator, the templates and the runtime sources, and no tests or sources", () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const required of [
      "package.json",
      "README.md",
      "dist/generated/index.js",
      "dist/generated/index.d.ts",
      "dist/generated/runtime/index.js",
      "dist/generator/cli.js",
      "templates/index.ts.hbs",
      "runtime/index.ts",
    ]) {
      expect(files, `the tarball lacks ${required}`).toContain(required);
    }
    const unexpected = files.filter(
      (f) =>
        /(^|\/)test\//.test(f) ||
        /\.test\.(ts|js)$/.test(f) ||
        /\.map$/.test(f) ||
        /^(spec|generator|generated|scripts|bench|docs|\.tmp|\.ci|node_modules)\//.test(f) ||
        /^(tsconfig.*|vitest\.config\.ts|package-lock\.json|redocly\.yaml)$/.test(f),
    );
    expect(unexpected, "files that should not be published").toEqual([]);
    // every template and runtime module the generator reads at run time
    expect(files.filter((f) => f.startsWith("templates/")).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith("runtime/")).every((f) => f.endsWith(".ts"))).toBe(true);
  });

  it("ships the zoomgen bin executable, and the compiled generator it runs", () => {
    const bin = packed.files.find((f) => f.path === "bin/zoomgen.mjs");
    expect(bin, "bin/zoomgen.mjs is not in the tarball").toBeDefined();
    expect((bin?.mode ?? 0) & 0o111, `mode ${(bin?.mode ?? 0).toString(8)}`).toBe(0o111);
    expect(packed.files.some((f) => f.path === "dist/generator/cli.js"), "dist/generator/cli.js is not in the tarball").toBe(true);
  });
});

describe("a consumer project with the tarball installed", () => {
  it("type-checks a file that imports the client from 'zoomgen' (strict, NodeNext), wrong calls included as errors", () => {
    expect(tscIndex.code, describeRun(tscIndex)).toBe(0);
  });

  it("runs it: GET /users/me resolves to the typed user, a 404 rejects with NotFoundError and Zoom's code", () => {
    expect(runIndex, "not run: the consumer did not compile").toBeDefined();
    if (!runIndex) return;
    expect(runIndex.code, describeRun(runIndex)).toBe(0);
    const lines = jsonLines(runIndex.stdout);
    expect(lines.find((l) => l.step === "me")).toEqual({ step: "me", email: "jane.consumer@example.com" });
    expect(lines.find((l) => l.step === "missing")).toEqual({
      step: "missing",
      error: "NotFoundError",
      isApiError: true,
      status: 404,
      code: 1001,
      message: "User does not exist",
    });
    const zoomRequests = seen.filter((r) => r.url.startsWith("/users/"));
    expect(zoomRequests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /users/me", "GET /users/nobody?login_type=100"]);
    expect(zoomRequests.every((r) => r.authorization === "Bearer consumer-token")).toBe(true);
  });

  it("require()s it from CommonJS too (require(esm), no second build)", () => {
    expect(runCjs.code, describeRun(runCjs)).toBe(0);
    expect(jsonLines(runCjs.stdout)).toContainEqual({ step: "cjs", createZoomClient: "function", NotFoundError: "function" });
  });

  it("has a working `npx zoomgen --help`", () => {
    expect(help.code, describeRun(help)).toBe(0);
    expect(help.stdout).toContain("Usage: zoomgen");
    expect(help.stdout).toContain("--spec FILE");
  });

  it("generates a client with `npx zoomgen --spec ... --out client` that type-checks and runs in the consumer project", async () => {
    expect(generateClient.code, describeRun(generateClient)).toBe(0);
    const generated = (await readdir(path.join(consumer, "client"), { recursive: true })).map(String).sort();
    expect(generated).toEqual(expect.arrayContaining(["index.ts", "client.ts", "runtime/index.ts"]));
    expect(tscPets.code, describeRun(tscPets)).toBe(0);
    expect(runPets, "not run: the generated client did not compile").toBeDefined();
    if (!runPets) return;
    expect(runPets.code, describeRun(runPets)).toBe(0);
    expect(jsonLines(runPets.stdout)).toContainEqual({ step: "pet", id: 7, name: "Rex" });
    expect(seen.filter((r) => r.url.startsWith("/pets")).map((r) => `${r.method} ${r.url} ${r.authorization}`)).toEqual(["GET /pets/7 Bearer pets-token"]);
  });
});

describe("publint", () => {
  it("reports nothing for the repository (no errors, warnings or suggestions)", async () => {
    const { messages, pkg } = await publint({ pkgDir: REPO, level: "suggestion", strict: true, pack: "npm" });
    const text = messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`).join("\n");
    expect(messages, text).toEqual([]);
  }, 60_000);
});
