/**
 * The runtime bench's sequential loop over HTTP alone, for a CPU profile or a quick CPU-per-call figure:
 * `node --conditions=@zoomgen/source --import tsx [--cpu-prof] bench/profile-http.ts [calls] [zoomgen|notimeout|novalidate|nosignal|bare|bare-timeout|openapi-fetch] [inflight]`.
 * The replay server runs in a process of its own (bench/runtime-server.ts), as in the runtime bench.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import createClient from "openapi-fetch";
import { createZoomClient, type paths } from "../generated/index.js";

const [countText = "20000", variant = "zoomgen", inFlightText = "1"] = process.argv.slice(2);
const count = Number(countText);
const inFlight = Number(inFlightText);
const server = spawn(process.execPath, ["--import", "tsx", new URL("./runtime-server.ts", import.meta.url).pathname], { stdio: ["pipe", "pipe", "inherit"] });
const line = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once("line", resolve));
const url = (JSON.parse(line) as { url: string }).url;

const zoom = createZoomClient({ accessToken: "t", baseUrl: url, ...(variant === "notimeout" ? { timeoutMs: Infinity } : {}), ...(variant === "novalidate" ? { validate: false } : {}), ...(variant === "nosignal" ? { fetch: (u: string, i: RequestInit) => fetch(u, { method: i.method!, headers: i.headers!, body: i.body ?? null, redirect: i.redirect! }) } : {}) });
const plain = createClient<paths>({ baseUrl: url, headers: { Authorization: "Bearer t" } });
const call =
  variant === "bare"
    ? async () => (await fetch(`${url}/users/me`, { headers: { Authorization: "Bearer t" } })).json()
    : variant === "bare-timeout"
      ? async () => {
          // What the client's default 60 s timeout costs bare fetch: a controller, a timer, the signal.
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 60_000);
          try {
            return await (await fetch(`${url}/users/me`, { headers: { Authorization: "Bearer t" }, signal: controller.signal })).json();
          } finally {
            clearTimeout(timer);
          }
        }
    : variant === "openapi-fetch"
      ? () => plain.GET("/users/{userId}", { params: { path: { userId: "me" } } })
      : () => zoom.users.getUser({ path: { userId: "me" } });

async function run(n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < n) await call();
    }),
  );
}
await run(2000);
const start = process.cpuUsage();
const wall = performance.now();
await run(count);
const { user, system } = process.cpuUsage(start);
const seconds = (performance.now() - wall) / 1000;
console.log(`${variant} x${inFlight}: ${((user + system) / count).toFixed(1)} µs/call, ${(count / seconds).toFixed(0)} calls/s`);
server.stdin!.end();
