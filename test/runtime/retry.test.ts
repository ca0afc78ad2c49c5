/** Retries, rate limits and bodies re-sent, over real HTTP against the fault server. */
import { describe, expect, it } from "vitest";
import {
  createRuntime,
  InvalidResponseError,
  NetworkError,
  RateLimitError,
  ServerError,
  type RetryHookEvent,
} from "@zoomgen/runtime/zoom";
import { backoffDelay, decideRetry, DEFAULT_RETRY } from "../../runtime/retry.js";
import {
  dailyLimit,
  htmlBody,
  json,
  rateLimited,
  startFaultServer, useFaultServer,
  truncatedJson,
  unavailable,
  type FaultServer,
} from "../support/fault-server.js";
import { addBatchRegistrants, getUser, imGroupCreate, meta, TOKEN, updateAGroupMember, type TestPaths } from "./fixtures.js";

let server: FaultServer;
const FAST = { initialDelayMs: 1, maxDelayMs: 50 };
const USERS = "/v2/users";

useFaultServer((started) => (server = started));

function client(options: Record<string, unknown> = {}) {
  return createRuntime<TestPaths>({ accessToken: TOKEN, baseUrl: `${server.url}/v2`, retry: FAST, ...options }, meta);
}
const getMe = (c = client(), extra: Record<string, unknown> = {}) => c.call(getUser, { path: { userId: "me" }, ...extra });
const createGroup = (c = client(), extra: Record<string, unknown> = {}) => c.call(imGroupCreate, { body: { name: "n" }, ...extra });

describe("the policy", () => {
  it("draws full-jitter delays below min(maxDelayMs, initialDelayMs * 2^retry)", () => {
    const policy = { maxRetries: 5, initialDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((r) => backoffDelay(r, policy, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(DEFAULT_RETRY).toEqual({ maxRetries: 2, initialDelayMs: 500, maxDelayMs: 30_000 });
  });

  it("retries 5xx and network failures only for idempotent methods, refused connections and QPS 429s for all", () => {
    const p = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 1000 };
    const response = (status: number, h: Record<string, string> = {}) => ({ kind: "response" as const, status, headers: new Headers(h) });
    expect(decideRetry(response(503), 0, p, true).retry).toBe(true);
    expect(decideRetry(response(503), 0, p, false).retry).toBe(false);
    expect(decideRetry(response(501), 0, p, true).retry).toBe(false);
    expect(decideRetry(response(404), 0, p, true).retry).toBe(false);
    expect(decideRetry(response(429), 0, p, false).retry).toBe(true);
    expect(decideRetry(response(429, { "x-ratelimit-type": "daily-limit" }), 0, p, true).retry).toBe(false);
    expect(decideRetry(response(429, { "retry-after": "2" }), 0, p, true).retry).toBe(false); // 2 s > maxDelayMs
    expect(decideRetry(response(429, { "retry-after": "1" }), 0, p, true)).toMatchObject({ retry: true, delayMs: 1000 });
    expect(decideRetry(response(503), 2, p, true).retry).toBe(false); // no retries left
    expect(decideRetry({ kind: "network", sent: true }, 0, p, false).retry).toBe(false);
    expect(decideRetry({ kind: "network", sent: false }, 0, p, false).retry).toBe(true);
    expect(decideRetry({ kind: "timeout" }, 0, p, false).retry).toBe(false);
    expect(decideRetry({ kind: "timeout" }, 0, p, true).retry).toBe(true);
  });
});

describe("429 rate limits", () => {
  for (const [form, retryAfter] of [
    ["seconds", "0"],
    ["an HTTP date", new Date(Date.now() - 1000).toUTCString()],
    ["an ISO date-time", new Date(Date.now() - 1000).toISOString()],
    ["absent", undefined],
  ] as const) {
    it(`retries a per-second 429 with Retry-After as ${form}, for a POST too`, async () => {
      server.script("/v2/im/groups", rateLimited(retryAfter === undefined ? {} : { retryAfter }), json(201, {}));
      await expect(createGroup()).resolves.toBeUndefined();
      expect(server.count("/v2/im/groups")).toBe(2);
    });
  }

  it("waits what Retry-After says (seconds) before retrying", async () => {
    server.script(USERS, rateLimited({ retryAfter: "0.2" }), json(200, { id: "me" }));
    const started = Date.now();
    await expect(getMe(client({ retry: { ...FAST, maxDelayMs: 1000 } }))).resolves.toEqual({ id: "me" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("retries a 429 without X-RateLimit-Type like a per-second one", async () => {
    server.script(USERS, rateLimited({ type: null }), rateLimited({ type: null }), json(200, { ok: 1 }));
    await expect(getMe()).resolves.toEqual({ ok: 1 });
    expect(server.count(USERS)).toBe(3);
  });

  it("never sleeps on a daily limit: one request, RateLimitError with resumeAt", async () => {
    server.otherwise(USERS, dailyLimit("2099-05-31T00:00:00Z"));
    const error = (await getMe(client({ retry: { maxRetries: 5, initialDelayMs: 1, maxDelayMs: 1e9 } })).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.limitType).toBe("Daily-limit");
    expect(error.resumeAt?.toISOString()).toBe("2099-05-31T00:00:00.000Z");
    expect(error.rateLimit).toEqual({ category: "Heavy", type: "Daily-limit", limit: 60000, remaining: 0 });
    expect(server.count(USERS)).toBe(1);
  });

  it("throws at once, with resumeAt, when Retry-After is beyond maxDelayMs", async () => {
    server.otherwise(USERS, rateLimited({ retryAfter: "120" }));
    const before = Date.now();
    const error = (await getMe(client({ retry: { maxRetries: 3, maxDelayMs: 60_000 } })).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.resumeAt!.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(server.count(USERS)).toBe(1);
    expect(Date.now() - before).toBeLessThan(1000);
  });

  it("gives up after maxRetries with a RateLimitError that counts the attempts", async () => {
    server.otherwise(USERS, rateLimited({ retryAfter: "0" }));
    const error = (await getMe(client({ retry: { ...FAST, maxRetries: 3 } })).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.attempts).toBe(4);
    expect(error.message).toContain("(after 4 attempts)");
    expect(server.count(USERS)).toBe(4);
  });
});

describe("5xx and network failures", () => {
  it("retries a 503 for GET and succeeds", async () => {
    server.script(USERS, unavailable(), unavailable(), json(200, { id: "me" }));
    await expect(getMe()).resolves.toEqual({ id: "me" });
    expect(server.count(USERS)).toBe(3);
  });

  it("does not retry a 503 for POST or PATCH: the server may have acted", async () => {
    server.otherwise("/v2/im/groups", unavailable());
    await expect(createGroup()).rejects.toBeInstanceOf(ServerError);
    expect(server.count("/v2/im/groups")).toBe(1);
    server.otherwise("/v2/groups", unavailable());
    const patch = client().call(updateAGroupMember, { path: { groupId: "g", memberId: "m" }, body: { action: "move" } });
    await expect(patch).rejects.toBeInstanceOf(ServerError);
    expect(server.count("/v2/groups")).toBe(1);
  });

  it("retries a POST when the caller opts in with retryNonIdempotent", async () => {
    server.script("/v2/im/groups", unavailable(), json(201, {}));
    await expect(createGroup(client(), { retryNonIdempotent: true })).resolves.toBeUndefined();
    expect(server.count("/v2/im/groups")).toBe(2);
  });

  it("stops after maxRetries with the last error, and does nothing more with retry: false", async () => {
    server.otherwise(USERS, unavailable());
    const error = (await getMe().catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.attempts).toBe(3);
    expect(error.body).toContain("503 Service Temporarily Unavailable");
    expect(server.count(USERS)).toBe(3);
    server.reset();
    server.otherwise(USERS, unavailable());
    await expect(getMe(client(), { retry: false })).rejects.toBeInstanceOf(ServerError);
    await expect(getMe(client({ retry: false }))).rejects.toBeInstanceOf(ServerError);
    await expect(getMe(client({ retry: false }), { retry: { maxRetries: 1 } })).rejects.toBeInstanceOf(ServerError);
    expect(server.count(USERS)).toBe(4);
  });

  it("retries a GET whose connection is reset before or in the middle of the response", async () => {
    server.script(USERS, { fault: "reset" }, { fault: "reset-mid-body", body: JSON.stringify({ id: "me", pad: "x".repeat(2000) }) }, json(200, { id: "me" }));
    await expect(getMe()).resolves.toEqual({ id: "me" });
    expect(server.count(USERS)).toBe(3);
  });

  it("does not retry a POST whose connection was reset after sending: NetworkError, one request", async () => {
    server.otherwise("/v2/im/groups", { fault: "reset-mid-body", status: 201, body: JSON.stringify({ pad: "x".repeat(2000) }) });
    const error = await createGroup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toContain("the connection broke while reading the response body (POST ");
    server.otherwise("/v2/im/groups", { fault: "reset" });
    await expect(createGroup()).rejects.toBeInstanceOf(NetworkError);
    expect(server.count("/v2/im/groups")).toBe(2);
  });

  it("retries a POST whose connection was refused (nothing was sent)", async () => {
    const closed = await startFaultServer();
    await closed.close(); // its port now refuses connections
    let calls = 0;
    const refused = createRuntime(
      {
        accessToken: TOKEN,
        baseUrl: `${closed.url}/v2`,
        retry: FAST,
        fetch: (url, init) => (calls++, fetch(url, init)),
      },
      meta,
    );
    const error = await refused.call(imGroupCreate, { body: { name: "n" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).attempts).toBe(3);
    expect(calls).toBe(3);
  });

  it("does not retry a 2xx whose body is truncated or not JSON (InvalidResponseError)", async () => {
    server.script(USERS, truncatedJson(), htmlBody());
    const truncated = await getMe().catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(InvalidResponseError);
    expect((truncated as InvalidResponseError).body).toBe('{"id":"abc","email":"jane@exa');
    await expect(getMe()).rejects.toBeInstanceOf(InvalidResponseError);
    expect(server.count(USERS)).toBe(2);
  });
});

describe("bodies on retry", () => {
  it("re-sends a JSON body and a multipart body byte for byte", async () => {
    const registrants = [{ email: "a@example.com", first_name: "A", last_name: "Z" }];
    const path = "/v2/meetings";
    server.script(path, rateLimited(), rateLimited(), json(200, { registrants: [] }));
    await client().call(addBatchRegistrants, {
      path: { meetingId: 85746065432 },
      body: { auto_approve: true, registrants },
      contentType: "multipart/form-data",
    });
    const [first, ...rest] = server.requests;
    expect(rest).toHaveLength(2);
    expect(first!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(first!.body.toString()).toContain(JSON.stringify(registrants));
    for (const again of rest) {
      expect(again.headers["content-type"]).toBe(first!.headers["content-type"]);
      expect(again.body.equals(first!.body)).toBe(true);
    }

    server.reset();
    server.script("/v2/im/groups", rateLimited(), json(201, {}));
    await createGroup(client(), { body: { name: "Ünïcode ✓", type: "normal" } });
    expect(server.requests.map((r) => r.body.toString())).toEqual(Array(2).fill('{"name":"Ünïcode ✓","type":"normal"}'));
  });

  it("applies the same policy to the raw client", async () => {
    server.script(USERS, unavailable(), json(200, { id: "x", email: "e" }));
    const { data } = await client().raw.GET("/users/{userId}", { params: { path: { userId: "x" } } });
    expect(data).toEqual({ id: "x", email: "e" });
    expect(server.count(USERS)).toBe(2);
  });

  it("tells onRetry why and how long it waits", async () => {
    server.script(USERS, rateLimited({ retryAfter: "0" }), unavailable(), json(200, {}));
    const events: RetryHookEvent[] = [];
    await getMe(client({ hooks: { onRetry: (e: RetryHookEvent) => events.push(e) } }));
    expect(events.map((e) => [e.attempt, e.reason, e.status])).toEqual([
      [1, "HTTP 429", 429],
      [2, "HTTP 503", 503],
    ]);
    expect(events[0]!.delayMs).toBe(0);
    expect(events[1]!.delayMs).toBeLessThan(2);
  });
});
