import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError,
  ApiError,
  ApiPromise,
  AuthenticationError,
  AuthError,
  BadRequestError,
  ConfigError,
  ConflictError,
  createRuntime,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
  ZoomSdkError,
  type OperationSpec,
} from "@zoomgen/runtime/zoom";
import { reply, startRecordingServer, type RecordingServer } from "../support/replay-server.js";
import { getUser, imGroupCreate, meta, runtimeFor, TOKEN, updateAGroupMember } from "./fixtures.js";

let server: RecordingServer;
/** The next answer of the server, set per test. */
let answer: (res: import("node:http").ServerResponse) => void = (res) => reply(res, 200, {});

beforeAll(async () => {
  server = await startRecordingServer((_req, res) => answer(res));
});
afterAll(() => server.close());
afterEach(() => server.reset());

const op = (successes: OperationSpec["successes"], id = "op"): OperationSpec => ({
  id,
  method: "GET",
  path: "/thing",
  idempotent: true,
  successes,
});

describe("successful calls", () => {
  it("returns parsed JSON and sends auth, Accept and User-Agent", async () => {
    answer = (res) => reply(res, 200, { id: "abc", email: "a@example.com" });
    const data = await runtimeFor(server).call(getUser, { path: { userId: "abc" } });
    expect(data).toEqual({ id: "abc", email: "a@example.com" });
    const [request] = server.requests;
    expect(request?.method).toBe("GET");
    expect(request?.rawPath).toBe("/v2/users/abc");
    expect(request?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["accept"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("zoom-sdk/1.2.3");
  });

  it("resolves a documented 'empty' 2xx to undefined whatever the body (Zoom's 204 and 201 carry {})", async () => {
    const runtime = runtimeFor(server);
    answer = (res) => reply(res, 201, {}, { "content-location": "/im/groups/g1" });
    await expect(runtime.call(imGroupCreate, { body: { name: "n" } })).resolves.toBeUndefined();
    answer = (res) => reply(res, 204, {});
    await expect(
      runtime.call(updateAGroupMember, { path: { groupId: "g", memberId: "m" }, body: { action: "move" } }),
    ).resolves.toBeUndefined();
    answer = (res) => reply(res, 200, '{"not":"read"}', { "content-type": "application/json" });
    await expect(runtime.call(op({ "200": "empty" }), undefined)).resolves.toBeUndefined();
  });

  it("resolves a documented JSON 200 with an empty body to undefined", async () => {
    answer = (res) => reply(res, 200, "", { "content-type": "application/json" });
    await expect(runtimeFor(server).call(op({ "200": "json" }), undefined)).resolves.toBeUndefined();
  });

  it("returns text for a documented 'text' success (Zoom's 200 that is really an error code)", async () => {
    answer = (res) => reply(res, 200, "200");
    await expect(runtimeFor(server).call(imGroupCreate, { body: { name: "n" } })).resolves.toBe("200");
  });

  it("reads an undocumented 2xx as JSON only when it says it is JSON and has a body", async () => {
    const runtime = runtimeFor(server);
    answer = (res) => reply(res, 202, { queued: true });
    await expect(runtime.call(op({ "200": "json" }), undefined)).resolves.toEqual({ queued: true });
    answer = (res) => reply(res, 202, "queued");
    await expect(runtime.call(op({ "200": "json" }), undefined)).resolves.toBeUndefined();
    answer = (res) => reply(res, 202, "", { "content-type": "application/json" });
    await expect(runtime.call(op({ "200": "json" }), undefined)).resolves.toBeUndefined();
    answer = (res) => reply(res, 202, "accepted");
    await expect(runtime.call(op({ "200": "json", "2XX": "text" }), undefined)).resolves.toBe("accepted");
  });

  it("rejects a documented JSON 2xx whose body is not JSON with InvalidResponseError, keeping the body", async () => {
    answer = (res) => reply(res, 200, "{oops", { "content-type": "application/json" });
    const error = await runtimeFor(server).call(op({ "200": "json" }, "getThing"), undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, body: "{oops", operationId: "getThing" });
  });
});

describe("errors", () => {
  const cases = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [418, ApiError],
  ] as const;
  const bodies = [
    { kind: "empty text/plain", body: "", contentType: "text/plain", code: undefined, zoomMessage: undefined },
    { kind: "JSON {code, message}", body: '{"code":1001,"message":"User does not exist: abc"}', contentType: "application/json", code: 1001, zoomMessage: "User does not exist: abc" },
    { kind: "malformed JSON", body: '{"code":1001,"mess', contentType: "application/json", code: undefined, zoomMessage: undefined },
  ];

  for (const [status, ErrorClass] of cases) {
    for (const { kind, body, contentType, code, zoomMessage } of bodies) {
      it(`maps ${status} with ${kind} to ${ErrorClass.name}`, async () => {
        answer = (res) => reply(res, status, body, { "content-type": contentType, "x-zm-trackingid": "v=2.0;clid=us06;rid=42" });
        const error = await runtimeFor(server).call(getUser, { path: { userId: "abc" } }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ErrorClass);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toBeInstanceOf(ZoomSdkError);
        expect(error).toBeInstanceOf(Error);
        const apiError = error as ApiError;
        expect(apiError.name).toBe(ErrorClass.name);
        expect(apiError).toMatchObject({ status, code, zoomMessage, body, operationId: "user", method: "GET" });
        expect(apiError.url).toBe(`${server.url}/v2/users/abc`);
        expect(apiError.trackingId).toBe("v=2.0;clid=us06;rid=42");
        expect(apiError.headers.get("content-type")).toBe(contentType);
        expect(apiError.message).toContain(`user failed: ${status}`);
        expect(apiError.message).toContain("(GET /users/abc)");
        if (code !== undefined) expect(apiError.message).toContain(`Zoom code ${code}: ${zoomMessage}`);
        // The token travels in a header and appears nowhere in the error.
        expect(JSON.stringify({ ...apiError, headers: [...apiError.headers] })).not.toContain(TOKEN);
        expect(apiError.message).not.toContain(TOKEN);
        expect(apiError.headers.has("authorization")).toBe(false);
      });
    }
  }

  it("writes messages a person can act on, with and without Zoom's JSON", async () => {
    answer = (res) => reply(res, 404, "");
    const recorded = await runtimeFor(server).call({ ...getUser, id: "getUser" }, { path: { userId: "abc" } }).catch((e: unknown) => e);
    expect((recorded as Error).message).toBe(
      "getUser failed: 404 Not Found (GET /users/abc). Check the ids in the path and that this token's account can see them",
    );

    answer = (res) => reply(res, 404, { code: 1001, message: "User does not exist: abc" });
    const live = await runtimeFor(server).call({ ...getUser, id: "getUser" }, { path: { userId: "abc" } }).catch((e: unknown) => e);
    expect((live as Error).message).toBe(
      "getUser failed: 404 Not Found, Zoom code 1001: User does not exist: abc (GET /users/abc). Check the ids in the path and that this token's account can see them",
    );

    answer = (res) => reply(res, 401, { code: 124, message: "Invalid access token." });
    const auth = await runtimeFor(server).call(getUser, { path: { userId: "me" } }).catch((e: unknown) => e);
    expect((auth as Error).message).toMatch(/^user failed: 401 Unauthorized, Zoom code 124: Invalid access token\. \(GET \/users\/me\)\. Check that the access token/);
  });

  it("reads Retry-After as seconds, an HTTP date or an ISO date-time, and X-RateLimit-Type", async () => {
    const runtime = runtimeFor(server);
    const rateLimited = async (headers: Record<string, string>) => {
      answer = (res) => reply(res, 429, { code: 429, message: "Too many requests" }, headers);
      return (await runtime.call(getUser, { path: { userId: "me" } }).catch((e: unknown) => e)) as RateLimitError;
    };

    const before = Date.now();
    const qps = await rateLimited({ "retry-after": "2", "x-ratelimit-type": "QPS", "x-ratelimit-category": "Light" });
    expect(qps).toBeInstanceOf(RateLimitError);
    expect(qps.limitType).toBe("QPS");
    expect(qps.retryAfterMs).toBe(2000);
    expect(qps.resumeAt!.getTime()).toBeGreaterThanOrEqual(before + 2000);
    expect(qps.message).toContain("Rate limit (QPS) reached; retry after");

    const daily = await rateLimited({ "retry-after": "2099-05-31T00:00:00Z", "x-ratelimit-type": "Daily-limit" });
    expect(daily.resumeAt?.toISOString()).toBe("2099-05-31T00:00:00.000Z");
    expect(daily.retryAfterMs).toBeGreaterThan(0);
    expect(daily.message).toContain("Rate limit (Daily-limit) reached; retry after 2099-05-31T00:00:00.000Z");

    const noOffset = await rateLimited({ "retry-after": "2099-05-31T00:00:00" });
    expect(noOffset.resumeAt?.toISOString()).toBe("2099-05-31T00:00:00.000Z");

    const httpDate = await rateLimited({ "retry-after": "Sun, 31 May 2099 00:00:00 GMT" });
    expect(httpDate.resumeAt?.toISOString()).toBe("2099-05-31T00:00:00.000Z");

    const past = await rateLimited({ "retry-after": "Sun, 31 May 2020 00:00:00 GMT" });
    expect(past.retryAfterMs).toBe(0);

    // A daily limit without Retry-After resumes at the next 00:00 UTC, when Zoom resets daily limits.
    const none = await rateLimited({ "x-ratelimit-type": "Daily-limit" });
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(none).toMatchObject({ resumeAt: midnight, limitType: "Daily-limit" });
    expect(none.retryAfterMs).toBeGreaterThan(0);
    expect(none.message).toContain("daily limits reset at 00:00 UTC");

    const qpsNoRetryAfter = await rateLimited({ "x-ratelimit-type": "QPS" });
    expect(qpsNoRetryAfter).toMatchObject({ resumeAt: undefined, retryAfterMs: undefined });
  });

  it("throws NetworkError when nothing answers", async () => {
    const closed = await startRecordingServer(() => undefined);
    await closed.close();
    const runtime = createRuntime({ accessToken: TOKEN, baseUrl: closed.url, retry: false }, meta);
    const error = await runtime.call(getUser, { path: { userId: "abc" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toContain(`user failed: no response from GET ${closed.url}/users/abc`);
    expect((error as Error).cause).toBeDefined();
  });

  it("throws AbortError when the caller's signal aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await runtimeFor(server)
      .call(getUser, { path: { userId: "abc" }, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
  });
});

describe("withResponse()", () => {
  it("gives data, status, headers and parsed rate-limit headers", async () => {
    answer = (res) =>
      reply(res, 201, {}, {
        "content-location": "https://api.zoom.us/v2/im/groups/abc",
        "x-ratelimit-category": "Light",
        "x-ratelimit-type": "QPS",
        "x-ratelimit-limit": "30",
        "x-ratelimit-remaining": "29",
      });
    const result = await runtimeFor(server).call(imGroupCreate, { body: { name: "n" } }).withResponse();
    expect(result.data).toBeUndefined();
    expect(result.status).toBe(201);
    expect(result.headers.get("content-location")).toBe("https://api.zoom.us/v2/im/groups/abc");
    expect(result.rateLimit).toEqual({ category: "Light", type: "QPS", limit: 30, remaining: 29 });
    expect(result.response).toBeInstanceOf(Response);
  });

  it("has rateLimit undefined when the headers are absent", async () => {
    answer = (res) => reply(res, 200, { id: "abc" });
    const result = await runtimeFor(server).call(getUser, { path: { userId: "abc" } }).withResponse();
    expect(result.rateLimit).toBeUndefined();
    expect(result.data).toEqual({ id: "abc" });
  });

  it("is a real Promise and sends the request once however it is awaited", async () => {
    answer = (res) => reply(res, 200, { id: "abc" });
    const promise = runtimeFor(server).call(getUser, { path: { userId: "abc" } });
    expect(promise).toBeInstanceOf(Promise);
    expect(promise).toBeInstanceOf(ApiPromise);
    const [data, result, again] = await Promise.all([promise, promise.withResponse(), promise]);
    expect(data).toEqual({ id: "abc" });
    expect(result.data).toBe(data);
    expect(again).toBe(data);
    expect(await promise.finally(() => undefined)).toBe(data);
    expect(server.requests).toHaveLength(1);
  });

  it("leaves no unhandled rejection whichever of the two the caller uses", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      answer = (res) => reply(res, 404, "");
      const runtime = runtimeFor(server);
      const input = { path: { userId: "abc" } };

      await expect(runtime.call(getUser, input)).rejects.toBeInstanceOf(NotFoundError); // data only
      await expect(runtime.call(getUser, input).withResponse()).rejects.toBeInstanceOf(NotFoundError); // response only
      const both = runtime.call(getUser, input);
      await expect(both.withResponse()).rejects.toBeInstanceOf(NotFoundError);
      await expect(both).rejects.toBeInstanceOf(NotFoundError);
      await runtime.call(getUser, input).catch(() => undefined);
      await expect(runtime.call(getUser, { path: {} })).rejects.toBeInstanceOf(ValidationError); // fails before sending

      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });
});

describe("the raw client", () => {
  it("calls through the same transport: base URL, token, headers and path encoding", async () => {
    answer = (res) => reply(res, 200, { id: "a/b", email: "a@example.com" });
    const runtime = runtimeFor(server, { headers: { "X-Team": "sdk" } });
    const { data, error, response } = await runtime.raw.GET("/users/{userId}", {
      params: { path: { userId: "a/b" }, query: { login_type: 100 } },
    });
    expect(error).toBeUndefined();
    expect(data?.email).toBe("a@example.com");
    expect(response.status).toBe(200);
    const [request] = server.requests;
    expect(request?.rawPath).toBe("/v2/users/a%2Fb?login_type=100");
    expect(request?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["user-agent"]).toBe("zoom-sdk/1.2.3");
    expect(request?.headers["x-team"]).toBe("sdk");
  });

  it("returns Zoom's error body as openapi-fetch does, and rejects unsafe path values before sending", async () => {
    answer = (res) => reply(res, 404, { code: 1001, message: "User does not exist" });
    const runtime = runtimeFor(server);
    const { error } = await runtime.raw.GET("/users/{userId}", { params: { path: { userId: "x" } } });
    expect(error).toEqual({ code: 1001, message: "User does not exist" });
    server.reset();
    await expect(runtime.raw.GET("/users/{userId}", { params: { path: { userId: ".." } } })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it("does not show the token to user middleware", async () => {
    answer = (res) => reply(res, 200, {});
    const runtime = runtimeFor(server);
    const seen: (string | null)[] = [];
    runtime.raw.use({ onRequest: ({ request }) => void seen.push(request.headers.get("authorization")) });
    await runtime.raw.GET("/users/{userId}", { params: { path: { userId: "x" } } });
    expect(seen).toEqual([null]);
    expect(server.requests[0]?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
  });
});

describe("client options", () => {
  it("rejects wrong options at creation with a ConfigError that says what to do", () => {
    expect(() => createRuntime({}, meta)).toThrow(ConfigError);
    expect(() => createRuntime({}, meta)).toThrow(/No access token: pass `accessToken`/);
    expect(() => createRuntime({ accessToken: "" }, meta)).toThrow(ConfigError);
    expect(() => createRuntime({ accessToken: 42 as unknown as string }, meta)).toThrow(/must be a string or a function/);
    expect(() => createRuntime({ accessToken: "t", baseUrl: "ftp://api.zoom.us/v2" }, meta)).toThrow(/must be an http\(s\) URL/);
    expect(() => createRuntime({ accessToken: "t", baseUrl: "api.zoom.us/v2" }, meta)).toThrow(/not an absolute URL/);
    expect(() => createRuntime({ accessToken: "t", baseUrl: "https://api.zoom.us/v2?x=1" }, meta)).toThrow(ConfigError);
    expect(() => createRuntime({ accessToken: "t" }, { ...meta, defaultBaseUrl: "" })).toThrow(/No base URL/);
    expect(() => createRuntime({ accessToken: "t", fetch: "no" as unknown as typeof fetch }, meta)).toThrow(/`fetch` must be a function/);
    expect(() => createRuntime({ accessToken: "t", validate: "yes" as unknown as boolean }, meta)).toThrow(ConfigError);
  });

  it("rejects option headers with CR or LF as a ValidationError", () => {
    const create = () => createRuntime({ accessToken: "t", headers: { "X-Evil": "a\r\nInjected: 1" } }, meta);
    expect(create).toThrow(ValidationError);
    expect(create).toThrow(/options\.headers\.X-Evil/);
  });

  it("defaults the base URL to the spec's server", async () => {
    let url = "";
    const runtime = createRuntime(
      { accessToken: "t", fetch: async (requestUrl) => ((url = requestUrl), new Response("{}", { status: 200 })) },
      meta,
    );
    await runtime.call(getUser, { path: { userId: "me" } });
    expect(url).toBe("https://api.zoom.us/v2/users/me");
  });

  it("asks a token function before every request, and reports its failure as AuthError", async () => {
    answer = (res) => reply(res, 200, {});
    let n = 0;
    const runtime = runtimeFor(server, { accessToken: async () => `token-${++n}` });
    await runtime.call(getUser, { path: { userId: "a" } });
    await runtime.call(getUser, { path: { userId: "b" } });
    expect(server.requests.map((r) => r.headers["authorization"])).toEqual(["Bearer token-1", "Bearer token-2"]);

    const failing = runtimeFor(server, { accessToken: () => { throw new Error("vault is sealed"); } });
    const error = await failing.call(getUser, { path: { userId: "a" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain("vault is sealed");
    const empty = runtimeFor(server, { accessToken: () => "" });
    await expect(empty.call(getUser, { path: { userId: "a" } })).rejects.toBeInstanceOf(AuthError);
    expect(server.requests).toHaveLength(2);
  });

  it("sends through a custom fetch", async () => {
    answer = (res) => reply(res, 200, { ok: true });
    const seen: string[] = [];
    const runtime = runtimeFor(server, { fetch: (url, init) => (seen.push(url), fetch(url, init)) });
    await expect(runtime.call(getUser, { path: { userId: "x" } })).resolves.toEqual({ ok: true });
    expect(seen).toEqual([`${server.url}/v2/users/x`]);
  });
});
