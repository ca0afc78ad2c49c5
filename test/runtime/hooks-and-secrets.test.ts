/** Hooks receive redacted data; no credential appears in anything the SDK produces. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createRuntime, ZoomSdkError, type ClientOptions, type Hooks } from "@zoomgen/runtime/zoom";
import { createZoomClient } from "../../generated/index.js";
import { invalidToken, json, rateLimited, useFaultServer, token, unavailable, type FaultServer } from "../support/fault-server.js";
import { getUser, imGroupCreate, meta } from "./fixtures.js";

let server: FaultServer;
const FAST = { initialDelayMs: 1, maxDelayMs: 50 };
const STATIC_TOKEN = "static-token-SECRET-1234567890";
const CLIENT_SECRET = "client-secret-SECRET-abcdefghij";
const CLIENT_ID = "client-id-PUBLIC-42";
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
const ISSUED = ["issued-token-SECRET-one-111", "issued-token-SECRET-two-222"];
const SECRETS = [STATIC_TOKEN, CLIENT_SECRET, BASIC, `${CLIENT_ID}:${CLIENT_SECRET}`, ...ISSUED];

useFaultServer((started) => (server = started));

/** Every piece of text a hook event or an error can produce. */
function texts(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true, getters: true }), String(value)];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // cycles: inspect covers them
  }
  if (value instanceof Error) out.push(value.message, value.stack ?? "", value.toString());
  return out;
}

function recordingHooks(sink: unknown[]): Hooks {
  return {
    onRequest: (e) => sink.push(e),
    onResponse: (e) => sink.push(e),
    onRetry: (e) => sink.push(e),
    onError: (e) => sink.push(e),
  };
}

describe("hooks", () => {
  it("see each attempt in order: request, response, retry, ..., with rate limits and durations", async () => {
    server.script("/v2/users", rateLimited({ retryAfter: "0" }), json(200, { id: "me" }, { "x-ratelimit-remaining": "7" }));
    const events: Array<{ kind: string } & Record<string, unknown>> = [];
    const zoom = createRuntime(
      {
        accessToken: STATIC_TOKEN,
        baseUrl: `${server.url}/v2`,
        retry: FAST,
        hooks: {
          onRequest: (e) => events.push({ kind: "request", ...e }),
          onResponse: (e) => events.push({ kind: "response", ...e }),
          onRetry: (e) => events.push({ kind: "retry", ...e }),
          onError: (e) => events.push({ kind: "error", ...e }),
        },
      },
      meta,
    );
    await zoom.call(getUser, { path: { userId: "me" } });
    expect(events.map((e) => `${e.kind}#${e.attempt}`)).toEqual(["request#1", "response#1", "retry#1", "request#2", "response#2"]);
    const [request, response] = events;
    expect(request).toMatchObject({ operationId: "user", method: "GET", url: `${server.url}/v2/users/me` });
    expect((request!.headers as Record<string, string>)["authorization"]).toBe("[REDACTED]");
    expect((request!.headers as Record<string, string>)["user-agent"]).toBe("zoom-sdk/1.2.3");
    expect(response).toMatchObject({ status: 429, rateLimit: { type: "QPS", remaining: 0, limit: 30, category: "Light" } });
    expect(typeof response!.durationMs).toBe("number");
    expect(events[4]!.rateLimit).toEqual({ category: undefined, type: undefined, limit: undefined, remaining: 7 });
  });

  it("report each failed call once to onError, with the error the caller gets and the attempts made", async () => {
    server.otherwise("/v2/users", unavailable());
    const errors: unknown[] = [];
    const zoom = createRuntime(
      { accessToken: STATIC_TOKEN, baseUrl: `${server.url}/v2`, retry: FAST, hooks: { onError: (e) => errors.push(e) } },
      meta,
    );
    const thrown = await zoom.call(getUser, { path: { userId: "me" } }).catch((e: unknown) => e);
    await zoom.call(getUser, { path: { userId: ".." } }).catch(() => undefined); // a ValidationError, nothing sent
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ operationId: "user", method: "GET", attempts: 3, error: thrown });
    expect(errors[1]).toMatchObject({ operationId: "user", attempts: 0 });
  });

  it("never change the outcome of a call when they throw or reject", async () => {
    server.otherwise("/v2/users", json(200, { id: "me" }));
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const boom = () => {
        throw new Error("logger down");
      };
      const zoom = createRuntime(
        {
          accessToken: STATIC_TOKEN,
          baseUrl: `${server.url}/v2`,
          hooks: { onRequest: boom, onResponse: () => Promise.reject(new Error("async logger down")), onRetry: boom, onError: boom },
        },
        meta,
      );
      await expect(zoom.call(getUser, { path: { userId: "me" } })).resolves.toEqual({ id: "me" });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });
});

describe("no credential in anything produced", () => {
  it("a static token: errors of every kind, hook events and the client itself", async () => {
    const produced: unknown[] = [];
    const options: ClientOptions = { accessToken: STATIC_TOKEN, baseUrl: `${server.url}/v2`, retry: FAST, timeoutMs: 200, hooks: recordingHooks(produced) };
    const zoom = createRuntime(options, meta);
    const generated = createZoomClient({ ...options });
    // A hostile server that echoes the token in its body and headers.
    const echo = (status: number) => (request: { headers: Record<string, unknown> }, res: import("node:http").ServerResponse) => {
      const auth = String(request.headers["authorization"]);
      res.writeHead(status, { "content-type": "application/json", "x-echo": auth });
      res.end(JSON.stringify({ code: 1, message: `you sent ${auth}` }));
    };
    server.script("/v2/users", echo(400), echo(404), echo(500), echo(500), echo(500), json(200, {}, {}, 1000), { fault: "reset" });
    server.script("/v2/im/groups", echo(409));
    for (let i = 0; i < 5; i++) produced.push(await zoom.call(getUser, { path: { userId: "me" } }).catch((e: unknown) => e));
    produced.push(await zoom.call(imGroupCreate, { body: { name: "n" } }).catch((e: unknown) => e));
    produced.push(await zoom.call(getUser, { path: { userId: "me" }, headers: { "X-Bad": "a\r\nb" } }).catch((e: unknown) => e));
    produced.push(zoom, generated, options.hooks);
    expect(produced.filter((p) => p instanceof ZoomSdkError).length).toBeGreaterThanOrEqual(4);
    const all = produced.flatMap(texts).join("\n");
    expect(all).toContain("[REDACTED]"); // the echo was there, and was removed
    for (const secret of SECRETS) expect(all).not.toContain(secret);
  });

  it("OAuth: token endpoint failures, rejected tokens, hooks, the client and its errors", async () => {
    const produced: unknown[] = [];
    const options: ClientOptions = {
      oauth: { accountId: "acct", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `${server.url}/oauth/token` },
      baseUrl: `${server.url}/v2`,
      retry: FAST,
      hooks: recordingHooks(produced),
    };
    const zoom = createRuntime(options, meta);
    const generated = createZoomClient(options);
    // The token endpoint refuses, echoing the Basic credential; then issues tokens that Zoom rejects.
    server.script("/oauth/token", (request, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ reason: `bad ${String(request.headers["authorization"])}`, error: "invalid_client" }));
    });
    server.script("/oauth/token", token(ISSUED[0]!), token(ISSUED[1]!));
    server.script("/v2/users", invalidToken(), invalidToken());
    produced.push(await zoom.call(getUser, { path: { userId: "me" } }).catch((e: unknown) => e)); // AuthError
    produced.push(await zoom.call(getUser, { path: { userId: "me" } }).catch((e: unknown) => e)); // AuthenticationError after one refresh
    produced.push(await generated.users.getUser({ path: { userId: "me" } }).catch((e: unknown) => e));
    produced.push(zoom, generated);
    expect(server.count("/oauth/token")).toBe(4); // the generated client has its own cache
    const all = produced.flatMap(texts).join("\n");
    expect(all).toContain("invalid_client");
    for (const secret of SECRETS) expect(all).not.toContain(secret);
  });
});
