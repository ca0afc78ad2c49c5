/**
 * One instance of a fleet, run as its own process by the Redis tests: it builds the generated Zoom
 * client with the Redis token store and rate budget, makes CALLS concurrent `users.getUser` calls
 * against the stand-in server, and prints one JSON line: { ok, failed, errors, warnings }.
 * Configuration comes from the environment (ZOOMGEN_WORKER, JSON). It prints `{ ready }` once connected
 * and starts calling when a line arrives on stdin, so that a whole fleet starts at the same moment.
 */
import { once } from "node:events";
import { createClient } from "redis";
import { createZoomClient } from "../../generated/index.js";
import { createRedisRateBudget, createRedisTokenStore } from "@zoomgen/runtime/redis";

interface WorkerConfig {
  redisUrl: string;
  apiUrl: string;
  tokenUrl: string;
  calls: number;
  /** Spread the calls over this many ms instead of starting them all at once. */
  spreadMs?: number;
  tokenLockTtlMs?: number;
  limits?: Record<string, number>;
  /** Use the Redis store without its lock, to show what the lock is for. */
  noLock?: boolean;
}

const config = JSON.parse(process.env.ZOOMGEN_WORKER ?? "{}") as WorkerConfig;
const warnings: string[] = [];
const logger = { warn: (message: string) => void warnings.push(message) };

const redis = createClient({ url: config.redisUrl, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100, connectTimeout: 500 } });
redis.on("error", () => undefined); // reported through the store's and budget's warnings
await redis.connect();

const tokenStore = createRedisTokenStore(redis, { logger });
if (config.noLock) delete tokenStore.withLock;
const zoom = createZoomClient({
  oauth: { accountId: "acct-1", clientId: "client-1", clientSecret: "secret-1", tokenUrl: config.tokenUrl },
  baseUrl: config.apiUrl,
  tokenStore,
  rateBudget: createRedisRateBudget(redis, { account: "acct-1", logger, ...(config.limits ? { limits: config.limits } : {}) }),
  ...(config.tokenLockTtlMs ? { tokenLockTtlMs: config.tokenLockTtlMs } : {}),
  // Tells the stand-in server which process sent a request (the tests kill the token fetcher by pid).
  fetch: (url, init) => {
    const headers = new Headers(init.headers);
    headers.set("x-worker-pid", String(process.pid));
    return fetch(url, { ...init, headers });
  },
});

process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
await once(process.stdin, "data");
process.stdin.destroy();
const errors: string[] = [];
let ok = 0;
await Promise.all(
  Array.from({ length: config.calls }, async (_, index) => {
    if (config.spreadMs) await new Promise((resolve) => setTimeout(resolve, (index * config.spreadMs!) / config.calls));
    try {
      await zoom.users.getUser({ path: { userId: "me" } });
      ok++;
    } catch (error) {
      errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }),
);
process.stdout.write(`${JSON.stringify({ ok, failed: errors.length, errors: errors.slice(0, 5), warnings })}\n`);
await redis.close().catch(() => redis.destroy());
