/**
 * Many instances, one account: real processes (test/redis/worker.ts), a real redis-server and a
 * stand-in Zoom on 127.0.0.1 that enforces a per-second limit the way Zoom answers it.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerResponse } from "node:http";
import { createClient } from "redis";
import { beforeEach, describe, expect, it } from "vitest";
import { createZoomClient } from "../../generated/index.js";
import { useFaultServer, type FaultServer } from "../support/fault-server.js";
import type { RecordedRequest } from "../support/replay-server.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";
import { useRedisServer } from "./use-redis-server.js";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts");
const LIGHT_LIMIT = 30; // Zoom Pro, per second, account-wide

let zoom: FaultServer;
let redis: RedisServer;
useFaultServer((started) => (zoom = started));
useRedisServer((started) => (redis = started));
// Each test starts from an empty Redis: no token or bucket left by the one before.
beforeEach(async () => {
  const client = createClient({ url: redis.url });
  await client.connect();
  await client.flushAll();
  await client.close();
});

interface WorkerResult {
  pid: number;
  ok: number;
  failed: number;
  errors: string[];
  warnings: string[];
  exitCode: number | null;
  signal: string | null;
}

/**
 * Starts `count` worker processes, lets them all start calling at once when every one is connected
 * (then calls `onStart`), and resolves when all have exited.
 */
function runFleet(count: number, config: Record<string, unknown>, redisUrl = redis.url, onStart = () => {}): Promise<WorkerResult[]> {
  const env = { ...process.env, ZOOMGEN_WORKER: JSON.stringify({ redisUrl, apiUrl: `${zoom.url}/v2`, tokenUrl: `${zoom.url}/oauth/token`, ...config }) };
  let ready = 0;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ["--import", "tsx", WORKER], { env, stdio: ["pipe", "pipe", "pipe"] }));
  return Promise.all(
    children.map((child) => {
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        if (!stdout.includes("ready") && chunk.toString().includes("ready") && ++ready === count) {
          for (const each of children) each.stdin.end("go\n");
          onStart();
        }
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise<WorkerResult>((resolve) => {
        child.on("exit", (exitCode, signal) => {
          const lines = stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
          const summary = lines.find((line) => "ok" in line) as Partial<WorkerResult> | undefined;
          if (summary === undefined && signal === null) throw new Error(`worker ${child.pid} printed no result (exit ${exitCode}):\n${stdout}\n${stderr}`);
          resolve({ ok: 0, failed: 0, errors: [], warnings: [], ...summary, pid: child.pid!, exitCode, signal });
        });
      });
    }),
  );
}

/** The stand-in's token endpoint: counts requests, answers after `delayMs`. */
function tokenEndpoint(delayMs = 0) {
  return (_request: RecordedRequest, response: ServerResponse) => {
    setTimeout(() => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ access_token: "fleet-token", token_type: "bearer", expires_in: 3600 }));
    }, delayMs);
  };
}

/** The stand-in's API: at most `limit` requests in any 1000 ms (a sliding window, stricter than a per-second one). */
function limitedApi(limit: number) {
  const sent: number[] = [];
  const api = {
    accepted: 0,
    rejected: 0,
    handle: (_request: RecordedRequest, response: ServerResponse) => {
      const now = performance.now();
      while (sent.length > 0 && sent[0]! <= now - 1000) sent.shift();
      if (sent.length >= limit) {
        api.rejected++;
        response.writeHead(429, {
          "content-type": "application/json",
          "x-ratelimit-category": "Light",
          "x-ratelimit-type": "QPS",
          "x-ratelimit-limit": String(limit),
          "x-ratelimit-remaining": "0",
        });
        response.end(JSON.stringify({ code: 429, message: "You have reached the maximum per-second rate limit for this API. Try again later." }));
        return;
      }
      api.accepted++;
      sent.push(now);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: "me", email: "me@example.com" }));
    },
  };
  return api;
}


describe("many instances, one account, through a real redis-server", () => {
  it("N processes × M concurrent calls make exactly one token request", async () => {
    zoom.otherwise("/oauth/token", tokenEndpoint(200));
    zoom.otherwise("/v2", limitedApi(10_000).handle);
    const results = await runFleet(4, { calls: 25, limits: { Light: 5_000 } });
    expect(results.map((r) => [r.ok, r.failed, r.errors])).toEqual(Array(4).fill([25, 0, []]));
    expect(zoom.count("/oauth/token")).toBe(1);
    const bearers = new Set(zoom.requests.filter((r) => r.route === "/v2").map((r) => r.headers["authorization"]));
    expect(bearers).toEqual(new Set(["Bearer fleet-token"]));
  }, 60_000);

  it("without the lock the same fleet makes several token requests (the test above can fail)", async () => {
    zoom.otherwise("/oauth/token", tokenEndpoint(200));
    zoom.otherwise("/v2", limitedApi(10_000).handle);
    const results = await runFleet(4, { calls: 5, limits: { Light: 5_000 }, noLock: true });
    expect(results.map((r) => r.failed)).toEqual([0, 0, 0, 0]);
    expect(zoom.count("/oauth/token")).toBeGreaterThan(1);
  }, 60_000);

  it("a fleet sharing the rate budget gets no 429 from a server that enforces the per-second limit", async () => {
    zoom.otherwise("/oauth/token", tokenEndpoint());
    const api = limitedApi(LIGHT_LIMIT);
    zoom.otherwise("/v2", api.handle);
    const results = await runFleet(3, { calls: 25 }); // 75 Light calls at Zoom Pro's 30/s
    expect(results.map((r) => [r.ok, r.failed])).toEqual([[25, 0], [25, 0], [25, 0]]);
    expect(api.rejected).toBe(0);
    expect(api.accepted).toBe(75);
  }, 60_000);

  it("the stand-in does answer 429 to the same load without a shared budget (the test above can fail)", async () => {
    zoom.otherwise("/oauth/token", tokenEndpoint());
    const api = limitedApi(LIGHT_LIMIT);
    zoom.otherwise("/v2", api.handle);
    const client = createZoomClient({ accessToken: "t", baseUrl: `${zoom.url}/v2`, retry: false });
    const outcomes = await Promise.allSettled(Array.from({ length: 75 }, () => client.users.getUser({ path: { userId: "me" } })));
    expect(outcomes.filter((o) => o.status === "rejected").length).toBeGreaterThan(0);
    expect(api.rejected).toBeGreaterThan(0);
  });

  it("killing the lock holder mid-fetch delays the others by at most the lock's lease", async () => {
    const leaseMs = 1_000;
    const tokenRequests: { at: number; pid: string }[] = [];
    zoom.otherwise("/oauth/token", (request, response) => {
      const pid = String(request.headers["x-worker-pid"]);
      tokenRequests.push({ at: performance.now(), pid });
      // The first fetcher hangs and is killed (SIGKILL) while it holds the lock; later ones are answered.
      if (tokenRequests.length === 1) process.kill(Number(pid), "SIGKILL");
      else tokenEndpoint()(request, response);
    });
    zoom.otherwise("/v2", limitedApi(10_000).handle);
    const results = await runFleet(3, { calls: 5, tokenLockTtlMs: leaseMs, limits: { Light: 5_000 } });

    const [first, second] = tokenRequests;
    const killed = results.find((r) => String(r.pid) === first!.pid)!;
    expect(killed.signal).toBe("SIGKILL");
    const survivors = results.filter((r) => r !== killed);
    expect(survivors.map((r) => [r.ok, r.failed])).toEqual([[5, 0], [5, 0]]);
    // The next fetch came once the dead holder's lease ran out: not before (the lock held), not much after.
    const gap = second!.at - first!.at;
    expect(gap).toBeGreaterThan(leaseMs - 300);
    expect(gap).toBeLessThan(leaseMs + 750);
    expect(tokenRequests).toHaveLength(2);
  }, 60_000);

  it("redis-server stopping mid-run degrades to per-process behaviour with a warning, and no call fails", async () => {
    const own = await startRedisServer();
    zoom.otherwise("/oauth/token", tokenEndpoint());
    zoom.otherwise("/v2", limitedApi(10_000).handle);
    let started = false;
    const fleet = runFleet(3, { calls: 40, spreadMs: 3_000, limits: { Light: 5_000 } }, own.url, () => (started = true));
    // Stop Redis once every process is connected and calling.
    while (!started) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await own.stop();
    const results = await fleet;
    expect(results.map((r) => [r.ok, r.failed, r.errors])).toEqual(Array(3).fill([40, 0, []]));
    for (const result of results) expect(result.warnings.join("\n")).toMatch(/Redis is unavailable \(.*\); .*(per process|on its own)/);
  }, 60_000);
});
