/** Timeouts, cancellation, the concurrency cap, and no timers left behind. */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { AbortError, ConfigError, createRuntime, TimeoutError } from "@zoomgen/runtime/zoom";
import { json, useFaultServer, type FaultServer } from "../support/fault-server.js";
import { getUser, imGroupCreate, meta, TOKEN } from "./fixtures.js";

let server: FaultServer;
const USERS = "/v2/users";

useFaultServer((started) => (server = started));

function client(options: Record<string, unknown> = {}) {
  return createRuntime({ accessToken: TOKEN, baseUrl: `${server.url}/v2`, retry: { initialDelayMs: 1, maxDelayMs: 50 }, ...options }, meta);
}
const getMe = (c = client(), extra: Record<string, unknown> = {}) => c.call(getUser, { path: { userId: "me" }, ...extra });

describe("timeouts", () => {
  it("throws TimeoutError when the answer is slower than the client's timeoutMs, naming the request", async () => {
    server.otherwise(USERS, json(200, {}, {}, 2000));
    const started = Date.now();
    const error = (await getMe(client({ timeoutMs: 100, retry: false })).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, operationId: "user", method: "GET", attempts: 1 });
    expect(error.url).toBe(`${server.url}/v2/users/me`);
    expect(error.message).toContain(`user timed out after 100 ms before any response arrived (GET ${server.url}/v2/users/me)`);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("lets a call override the client's timeout, both ways", async () => {
    server.otherwise(USERS, json(200, { ok: 1 }, {}, 150));
    await expect(getMe(client({ timeoutMs: 50, retry: false }), { timeoutMs: 2000 })).resolves.toEqual({ ok: 1 });
    await expect(getMe(client({ timeoutMs: 2000, retry: false }), { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(getMe(client(), { timeoutMs: -1 })).rejects.toBeInstanceOf(ConfigError);
    expect(() => client({ timeoutMs: "1s" })).toThrow(ConfigError);
  });

  it("covers a body that arrives too slowly", async () => {
    server.otherwise(USERS, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
      setTimeout(() => res.end('"late"}'), 1000).unref();
    });
    const error = await getMe(client({ timeoutMs: 100, retry: false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("while reading the response body");
  });

  it("retries a timed-out GET, but never a timed-out POST", async () => {
    server.script(USERS, json(200, {}, {}, 3000), json(200, { second: true }));
    await expect(getMe(client({ timeoutMs: 400 }))).resolves.toEqual({ second: true });
    expect(server.count(USERS)).toBe(2);
    server.otherwise("/v2/im/groups", json(201, {}, {}, 3000));
    await expect(client({ timeoutMs: 400 }).call(imGroupCreate, { body: { name: "n" } })).rejects.toBeInstanceOf(TimeoutError);
    expect(server.count("/v2/im/groups")).toBe(1);
  });
});

describe("a custom fetch", () => {
  it("is called as fetch(url, init), and the signal it reads is aborted when the attempt times out", async () => {
    server.otherwise(USERS, json(200, {}, {}, 2000));
    const seen: { url: string; method: string | undefined; signal: AbortSignal }[] = [];
    const fetchReadingSignal = (url: string, init: RequestInit) => {
      seen.push({ url, method: init.method, signal: init.signal! });
      return fetch(url, init);
    };
    const started = Date.now();
    const error = await getMe(client({ timeoutMs: 100, retry: false, fetch: fetchReadingSignal })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: `${server.url}/v2/users/me`, method: "GET" });
    expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
    expect(seen[0]!.signal.aborted).toBe(true);
  });

  it("passes the attempt's signal through a wrapper that spreads init, so the connection is closed on timeout", async () => {
    let closedByClient: Promise<void> | undefined;
    server.otherwise(USERS, (_req, res) => {
      closedByClient = new Promise((resolve) => res.on("close", () => resolve()));
    });
    const spreading = (url: string, init: RequestInit) => fetch(url, { ...init, headers: new Headers(init.headers) });
    const error = await getMe(client({ timeoutMs: 100, retry: false, fetch: spreading })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    // The server never answers: only the client aborting the request ends its connection.
    await expect(Promise.race([closedByClient, new Promise((resolve) => setTimeout(() => resolve("still open"), 1000))])).resolves.toBeUndefined();
  });

  it("times out even when it never looks at the signal", async () => {
    const neverAnswers = () => new Promise<Response>(() => undefined);
    const started = Date.now();
    const error = await getMe(client({ timeoutMs: 100, retry: false, fetch: neverAnswers })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("gets an already aborted signal when it reads it after the caller aborted", async () => {
    const controller = new AbortController();
    let late: AbortSignal | undefined;
    const readsLate = (_url: string, init: RequestInit) =>
      new Promise<Response>((resolve) => {
        controller.abort();
        setTimeout(() => ((late = init.signal!), resolve(new Response("{}"))), 10);
      });
    const error = await getMe(client({ fetch: readsLate }), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(late?.aborted).toBe(true);
  });
});

describe("cancellation", () => {
  it("throws AbortError, not TimeoutError, when the caller aborts in flight, and stops at once", async () => {
    server.otherwise(USERS, { fault: "hang" });
    const controller = new AbortController();
    const call = getMe(client({ timeoutMs: 5000 }), { signal: controller.signal });
    const settled = call.catch((e: unknown) => e);
    // In flight: aborted once the server holds the request (a fixed delay is too short on a loaded machine).
    await vi.waitFor(() => expect(server.count(USERS)).toBe(1), { timeout: 4000, interval: 5 });
    controller.abort();
    const started = Date.now();
    const error = await settled;
    expect(Date.now() - started).toBeLessThan(1000); // stops at once, not at the 5 s timeout
    expect(error).toBeInstanceOf(AbortError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(server.count(USERS)).toBe(1); // an abort is never retried
  });

  it("aborts while waiting to retry, and sends nothing when aborted before", async () => {
    server.otherwise(USERS, { status: 503, body: "" });
    const controller = new AbortController();
    const call = getMe(client({ retry: { initialDelayMs: 10_000, maxDelayMs: 10_000 } }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ operationId: "user", method: "GET", attempts: 1 });
    expect((error as Error).message).toBe(`user was aborted by its AbortSignal while waiting to retry (GET ${server.url}/v2/users/me).`);
    expect(Date.now() - started).toBeLessThan(2000);
    server.reset();
    await expect(getMe(client(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(server.count()).toBe(0);
  });
});

describe("maxConcurrentRequests", () => {
  it("keeps at most that many requests in flight, and every call completes", async () => {
    // Counted here rather than by server.maxInFlight, which also sees connections earlier tests dropped.
    let active = 0;
    let most = 0;
    server.otherwise(USERS, async (_request, res) => {
      most = Math.max(most, ++active);
      await new Promise((resolve) => setTimeout(resolve, 20));
      active--;
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
    const zoom = client({ maxConcurrentRequests: 3 });
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => getMe(zoom, { path: { userId: `u${i}` } })));
    expect(results).toEqual(Array(15).fill({ ok: true }));
    expect(most).toBe(3);
    expect(() => client({ maxConcurrentRequests: 0 })).toThrow(ConfigError);
  });

  it("lets a queued call be aborted", async () => {
    server.otherwise(USERS, json(200, {}, {}, 200));
    const zoom = client({ maxConcurrentRequests: 1 });
    const first = getMe(zoom);
    const controller = new AbortController();
    const queued = getMe(zoom, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(queued).rejects.toThrow(/waiting for a free request slot/);
    await expect(first).resolves.toEqual({});
    expect(server.count(USERS)).toBe(1);
  });
});

describe("no timers left behind", () => {
  it("lets a script exit promptly after its last call, despite a 60 s timeout and retries configured", async () => {
    server.otherwise(USERS, json(200, { id: "me" }));
    server.otherwise("/oauth/token", json(200, { access_token: "t", expires_in: 3600 }));
    const dir = await mkdtemp(path.join(tmpdir(), "zoom-exit-"));
    const runtimeUrl = new URL("../../runtime/index.ts", import.meta.url).href;
    const fixturesUrl = new URL("./fixtures.ts", import.meta.url).href;
    const script = path.join(dir, "script.mts");
    await writeFile(
      script,
      `import { createRuntime } from ${JSON.stringify(runtimeUrl)};
import { getUser, meta } from ${JSON.stringify(fixturesUrl)};
const zoom = createRuntime({ oauth: { accountId: "a", clientId: "c", clientSecret: "s", tokenUrl: "${server.url}/oauth/token" },
  baseUrl: "${server.url}/v2", timeoutMs: 60_000, retry: { maxRetries: 5 } }, meta);
const user = await zoom.call(getUser, { path: { userId: "me" }, timeoutMs: 60_000 });
console.log(JSON.stringify(user));
`,
    );
    try {
      const { code, stdout, afterLastCall } = await new Promise<{ code: number | null; stdout: string; afterLastCall: number }>((resolve, reject) => {
        const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), script], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        let printedAt = 0;
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          printedAt ||= Date.now();
        });
        const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        child.on("error", reject);
        child.on("exit", (exitCode) => {
          clearTimeout(killer);
          resolve({ code: exitCode, stdout: out, afterLastCall: printedAt === 0 ? Infinity : Date.now() - printedAt });
        });
      });
      expect(code).toBe(0);
      expect(stdout.trim()).toBe('{"id":"me"}');
      // Timed from the script's output after its last call (tsx start-up is slow on a loaded machine):
      // a leaked 60 s timer would keep it alive for a minute.
      expect(afterLastCall).toBeLessThan(3_000);
      console.info(`script exited ${afterLastCall} ms after its last call`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
