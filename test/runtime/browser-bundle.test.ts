/**
 * The full client (`createZoomClient`) bundled for browsers leaves node-http-fetch.ts out (fetch over node:http,
 * never used there): runtime/package.json's `imports` maps `#node-http-fetch` to a stub under the `browser`
 * condition. Bundled for Node it keeps it. Each bundle, run in Node against a local server, sends through what it
 * carries: the global fetch (undici) for the browser bundle, node:http for the Node one. Here the runtime is
 * bundled from its sources; test/package/packages.test.ts checks the built package (dist/, from its tarball).
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempDir } from "../support/temp-dir.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Strings only node-http-fetch.ts has: they survive minification. */
const NODE_HTTP_FETCH_MARKERS = ["getBuiltinModule", "undici.globalDispatcher.1"];

const IMPORTER = `import { createZoomClient } from "./generated/index.js";
const zoom = createZoomClient({ accessToken: "t", baseUrl: globalThis.process.env.API_BASE_URL });
zoom.users.getUser({ path: { userId: "me" } }).then((user) => console.log(JSON.stringify(user)));`;

async function bundle(platform: "browser" | "node") {
  const result = await build({
    stdin: { contents: IMPORTER, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    // The runtime package's sources, as the bundle benchmark takes them.
    conditions: ["@zoomgen/source"],
  });
  // Every file the bundler resolved (whether or not minification kept code of it: the stub inlines to nothing).
  const resolved = Object.keys(result.metafile.inputs);
  const code = result.outputFiles[0]!.text;
  return { code, resolved, gzipped: gzipSync(code, { level: 9 }).length };
}

const dir = useTempDir("browser-bundle-");
let server: Server;
let baseUrl: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "u1", email: "me@example.com" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs a bundle in a fresh Node process; returns its output and the headers the server saw. */
async function runBundle(code: string, name: string) {
  const file = path.join(dir(), `${name}.mjs`);
  await writeFile(file, code);
  seen.length = 0;
  const env = { ...process.env, API_BASE_URL: baseUrl, NODE_OPTIONS: "" };
  // Asynchronously: a synchronous spawn would block this process's server.
  const ran = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [file], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("close", (exit) => resolve({ code: exit, stdout, stderr }));
  });
  return { ...ran, headers: seen.splice(0) };
}

describe("createZoomClient bundled from the runtime's sources", () => {
  it("for browsers: without node-http-fetch, with its stub, and sending through the global fetch", async () => {
    const { code, resolved, gzipped } = await bundle("browser");
    expect(resolved).toContain("runtime/node-http-fetch.browser.ts");
    expect(resolved).not.toContain("runtime/node-http-fetch.ts");
    for (const marker of NODE_HTTP_FETCH_MARKERS) expect(code).not.toContain(marker);
    expect(code).toContain("/users/{userId}"); // the client itself is there
    const node = await bundle("node");
    expect(node.gzipped - gzipped, "gzipped bytes node-http-fetch adds").toBeGreaterThan(1_500);

    const ran = await runBundle(code, "browser");
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('"email":"me@example.com"');
    // Node's global fetch (undici) sends fetch's `sec-fetch-mode`; node:http does not.
    expect(ran.headers.map((h) => h["sec-fetch-mode"])).toEqual(["cors"]);
  });

  it("for Node: with node-http-fetch, sending through node:http", async () => {
    const { code, resolved } = await bundle("node");
    expect(resolved).toContain("runtime/node-http-fetch.ts");
    expect(resolved).not.toContain("runtime/node-http-fetch.browser.ts");
    for (const marker of NODE_HTTP_FETCH_MARKERS) expect(code).toContain(marker);

    const ran = await runBundle(code, "node");
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('"email":"me@example.com"');
    expect(ran.headers.map((h) => h["sec-fetch-mode"])).toEqual([undefined]);
    expect(ran.headers[0]?.authorization).toBe("Bearer t");
  });
});
