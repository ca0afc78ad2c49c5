/** The Redis token store and rate budget, in one process against a real redis-server. */
import { createClient, type RedisClientType } from "redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisRateBudget, createRedisTokenStore } from "@zoomgen/runtime/redis";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";
import { useRedisServer } from "./use-redis-server.js";

let server: RedisServer;
useRedisServer((started) => (server = started));
const clients: RedisClientType[] = [];
let redis: RedisClientType;

async function connectClient(url = server.url): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
  client.on("error", () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}
beforeAll(async () => {
  redis = await connectClient();
});
beforeEach(async () => {
  await redis.flushAll();
});
afterAll(() => {
  for (const client of clients) client.destroy();
});

const hour = 3_600_000;

describe("createRedisTokenStore", () => {
  it("stores a token with its expiry and gives it to another process's store", async () => {
    const expiresAt = Date.now() + hour;
    await createRedisTokenStore(redis).set("zoom-s2s:a:c", { accessToken: "tok", expiresAt });
    expect(await createRedisTokenStore(await connectClient()).get("zoom-s2s:a:c")).toEqual({ accessToken: "tok", expiresAt });
    const ttl = await redis.pTTL("zoomgen:token:zoom-s2s:a:c");
    expect(ttl).toBeGreaterThan(hour - 5_000);
    expect(ttl).toBeLessThanOrEqual(hour);
  });

  it("keeps a token with a refresh token beyond the access token's expiry (the refresh token outlives it)", async () => {
    await createRedisTokenStore(redis, { refreshTokenTtlMs: 10 * hour }).set("user", { accessToken: "a", refreshToken: "r", expiresAt: Date.now() + hour });
    expect(await redis.pTTL("zoomgen:token:user")).toBeGreaterThan(9 * hour);
  });

  it("never lets a stale writer overwrite a newer token pair (compare-and-set on expiry)", async () => {
    const store = createRedisTokenStore(redis);
    const newer = { accessToken: "new", refreshToken: "r2", expiresAt: Date.now() + 2 * hour };
    await store.set("user", newer);
    await createRedisTokenStore(await connectClient()).set("user", { accessToken: "old", refreshToken: "r1", expiresAt: Date.now() + hour });
    expect(await store.get("user")).toEqual(newer);
  });

  it("lets one holder at a time run under the lock, across stores on different connections", async () => {
    const stores = [createRedisTokenStore(redis), createRedisTokenStore(await connectClient()), createRedisTokenStore(await connectClient())];
    let inside = 0;
    let most = 0;
    await Promise.all(
      stores.map((store) =>
        store.withLock!("k", 5_000, async () => {
          most = Math.max(most, ++inside);
          await new Promise((resolve) => setTimeout(resolve, 50));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await redis.exists("zoomgen:lock:k")).toBe(0); // released
  });

  it("gives a holder that outlives its lease no power over the next holder's lock", async () => {
    const store = createRedisTokenStore(redis);
    const slow = store.withLock!("k", 100, () => new Promise((resolve) => setTimeout(resolve, 300)));
    await new Promise((resolve) => setTimeout(resolve, 150)); // the lease has run out
    let released = false;
    const next = store.withLock!("k", 5_000, async () => {
      await slow; // the first holder finishes and "releases" while we hold the lock
      released = (await redis.exists("zoomgen:lock:k")) === 0;
    });
    await next;
    expect(released).toBe(false);
  });
});

describe("createRedisRateBudget", () => {
  it("paces one label across budgets on different connections at the configured rate", async () => {
    const options = { limits: { Light: 10 }, utilization: 1, burstSeconds: 0.1 };
    const budgets = [createRedisRateBudget(redis, options), createRedisRateBudget(await connectClient(), options)];
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 8 }, (_, i) => budgets[i % 2]!.acquire("Light", undefined).then(() => times.push(Date.now() - started))));
    times.sort((a, b) => a - b);
    // 10/s and a burst of one: 100 ms apart, so the 8th goes after about 700 ms.
    expect(times[7]).toBeGreaterThanOrEqual(650);
    expect(times[7]).toBeLessThan(1_500);
    // Another label has its own bucket.
    const other = Date.now();
    await budgets[0]!.acquire("Medium", undefined);
    expect(Date.now() - other).toBeLessThan(100);
  });

  it("shares a daily block with every budget of the account, Heavy and Resource-intensive together, until it lifts", async () => {
    const resumeAt = new Date(Date.now() + hour);
    await createRedisRateBudget(redis, { account: "a1" }).blockUntil("Heavy", resumeAt);
    const elsewhere = createRedisRateBudget(await connectClient(), { account: "a1" });
    expect(await elsewhere.acquire("Resource-intensive", undefined)).toEqual({ resumeAt });
    expect(await elsewhere.acquire("Light", undefined)).toBeUndefined();
    expect(await createRedisRateBudget(redis, { account: "another" }).acquire("Heavy", undefined)).toBeUndefined();
    const ttl = await redis.pTTL("zoomgen:daily:{a1}:Heavy+Resource-intensive");
    expect(ttl).toBeGreaterThan(hour - 5_000);
  });

  it("rejects wrong options at once", () => {
    expect(() => createRedisRateBudget(redis, { utilization: 2 })).toThrow(/utilization/);
    expect(() => createRedisRateBudget({} as never)).toThrow(/node-redis client/);
  });
});

describe("when Redis goes away", () => {
  it("answers per process within the command time-box and warns once per outage", async () => {
    const own = await startRedisServer();
    const client = await connectClient(own.url);
    const warnings: string[] = [];
    const logger = { warn: (message: string) => void warnings.push(message) };
    const budget = createRedisRateBudget(client, { logger, limits: { Light: 1000 }, retryAfterMs: 100 });
    const store = createRedisTokenStore(client, { logger, retryAfterMs: 100 });
    const token = { accessToken: "kept", expiresAt: Date.now() + hour };
    await store.set("k", token);
    await own.stop();

    const started = Date.now();
    for (let i = 0; i < 5; i++) await budget.acquire("Light", undefined);
    expect(await store.get("k")).toEqual(token); // this process's copy
    expect(await store.withLock!("k", 1_000, async () => "ran")).toBe("ran");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(warnings.filter((w) => w.includes("rate budget: Redis is unavailable"))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes("token store: Redis is unavailable"))).toHaveLength(1);
  });
});
