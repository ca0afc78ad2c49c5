/** The rate-budget hook (`rateBudget` option) and the token store's lock, in one process over real HTTP. */
import { describe, expect, it } from "vitest";
import { AbortError, createMemoryTokenStore, createRuntime, RateLimitError, type RateBudget } from "@zoomgen/runtime/zoom";
import { dailyLimit, json, token, useFaultServer, type FaultServer } from "../support/fault-server.js";
import { addBatchRegistrants, getUser, meta, runtimeFor } from "./fixtures.js";

let server: FaultServer;
useFaultServer((started) => (server = started));

const light = { ...getUser, rateLimitLabel: "Light" };
const heavy = { ...addBatchRegistrants, rateLimitLabel: "Heavy" };

/** A budget that records what it is asked and blocks labels in memory, the way a shared one would. */
function recordingBudget(waitMs = 0) {
  const acquired: string[] = [];
  const blocks = new Map<string, Date>();
  const budget: RateBudget = {
    async acquire(label) {
      acquired.push(label);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      const until = blocks.get(label);
      return until === undefined ? undefined : { resumeAt: until };
    },
    blockUntil: (label, resumeAt) => void blocks.set(label, resumeAt),
  };
  return { budget, acquired, blocks };
}

describe("rateBudget", () => {
  it("is asked once per attempt, with the operation's rate-limit label, before anything is sent", async () => {
    const { budget, acquired } = recordingBudget();
    server.script("/v2", json(503, {}), json(200, { id: "me" }));
    const zoom = runtimeFor(server, { rateBudget: budget, retry: { maxRetries: 1, initialDelayMs: 1 } });
    await expect(zoom.call(light, { path: { userId: "me" } })).resolves.toEqual({ id: "me" });
    expect(acquired).toEqual(["Light", "Light"]);
    expect(server.count("/v2")).toBe(2);
  });

  it("is not asked for operations without a label", async () => {
    const { budget, acquired } = recordingBudget();
    server.otherwise("/v2", json(200, { id: "me" }));
    await runtimeFor(server, { rateBudget: budget }).call(getUser, { path: { userId: "me" } });
    expect(acquired).toEqual([]);
  });

  it("shares a daily-limit 429 with blockUntil, and a blocked label fails at once without sending", async () => {
    const { budget, blocks } = recordingBudget();
    server.script("/v2", dailyLimit("2099-01-02T00:00:00Z"));
    const zoom = runtimeFor(server, { rateBudget: budget });
    const first = await zoom.call(heavy, { path: { meetingId: 1 }, body: {} }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RateLimitError);
    expect(blocks.get("Heavy")?.toISOString()).toBe("2099-01-02T00:00:00.000Z");

    // Another client of the same budget (another process, say) does not send at all.
    const other = runtimeFor(server, { rateBudget: budget });
    const second = await other.call(heavy, { path: { meetingId: 1 }, body: {} }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(RateLimitError);
    expect((second as RateLimitError).resumeAt?.toISOString()).toBe("2099-01-02T00:00:00.000Z");
    expect((second as RateLimitError).limitType).toBe("Daily-limit");
    expect((second as RateLimitError).message).toMatch(/Not sent: the daily rate limit of Heavy requests was reached/);
    expect(server.count("/v2")).toBe(1);
  });

  it("does not share a 429 that is daily by its message only (a per-user cap)", async () => {
    const { budget, blocks } = recordingBudget();
    server.script("/v2", json(429, { code: 429, message: "You have exceeded the daily rate limit (100) ... for this particular user." }, { "x-ratelimit-category": "Light" }));
    await runtimeFor(server, { rateBudget: budget }).call(light, { path: { userId: "me" } }).catch(() => undefined);
    expect(blocks.size).toBe(0);
  });

  it("stops waiting for the budget when the call's signal aborts", async () => {
    const controller = new AbortController();
    // A budget that would wait long, but settles when the signal aborts (as the interface asks).
    const slow: RateBudget = {
      acquire: (_label, signal) => new Promise((resolve) => signal?.addEventListener("abort", () => resolve(undefined))),
      blockUntil: () => undefined,
    };
    const call = runtimeFor(server, { rateBudget: slow }).call(light, { path: { userId: "me" }, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toBeInstanceOf(AbortError);
    expect(server.count("/v2")).toBe(0);
  });

  it("treats a budget that throws as permission to send", async () => {
    server.otherwise("/v2", json(200, { id: "me" }));
    const broken: RateBudget = { acquire: () => Promise.reject(new Error("backend down")), blockUntil: () => undefined };
    await expect(runtimeFor(server, { rateBudget: broken }).call(light, { path: { userId: "me" } })).resolves.toEqual({ id: "me" });
  });

  it("is checked when the client is made", () => {
    expect(() => runtimeFor(server, { rateBudget: {} as RateBudget })).toThrow(/rateBudget/);
  });
});

describe("the token store's lock", () => {
  const credentials = { accountId: "acct-1", clientId: "client-1", clientSecret: "secret-1" };
  const oauthClient = (store: ReturnType<typeof createMemoryTokenStore>) =>
    createRuntime({ oauth: { ...credentials, tokenUrl: `${server.url}/oauth/token` }, baseUrl: `${server.url}/v2`, tokenStore: store }, meta);

  it("makes clients sharing a store wait for one token request instead of each making their own", async () => {
    server.script("/oauth/token", token("shared", 3600, 100), token("second", 3600));
    server.otherwise("/v2", json(200, { id: "me" }));
    const store = createMemoryTokenStore();
    const clients = [oauthClient(store), oauthClient(store), oauthClient(store)];
    await Promise.all(clients.flatMap((client) => [1, 2, 3].map(() => client.call(getUser, { path: { userId: "me" } }))));
    expect(server.count("/oauth/token")).toBe(1);
    expect(new Set(server.requests.filter((r) => r.rawPath.startsWith("/v2")).map((r) => r.headers["authorization"]))).toEqual(new Set(["Bearer shared"]));
  });

  it("runs the token request unlocked when the lock cannot be had", async () => {
    server.script("/oauth/token", token("tok"));
    server.otherwise("/v2", json(200, { id: "me" }));
    const store = createMemoryTokenStore();
    store.withLock = () => Promise.reject(new Error("lock service down"));
    await expect(oauthClient(store).call(getUser, { path: { userId: "me" } })).resolves.toEqual({ id: "me" });
  });

  it("gives a lock holder that hangs only its lease", async () => {
    const store = createMemoryTokenStore();
    const started = Date.now();
    void store.withLock!("k", 100, () => new Promise(() => undefined));
    await store.withLock!("k", 100, async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
