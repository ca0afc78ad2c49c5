/**
 * The lean core (`createCallRuntime`) carries only what every call needs; an operation brings what it
 * needs beyond that (`parameterStyles`, `bodyEncodings`), and a spec with non-bearer schemes brings
 * `securitySchemes` in its `RuntimeMeta.security`. Without them the core refuses clearly, never sends a
 * wrong request; with them it sends what the full client sends. Over HTTP, on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  bodyEncodings,
  ConfigError,
  createCallRuntime,
  createRuntime,
  parameterStyles,
  securitySchemes,
  transportExtras,
  type OperationSpec,
  type RequestHookEvent,
  type RuntimeMeta,
} from "@zoomgen/runtime";
import { reply, startRecordingServer, type RecordingServer } from "../support/replay-server.js";

let server: RecordingServer;

beforeAll(async () => {
  server = await startRecordingServer((_req, res) => reply(res, 200, {}));
});
afterAll(() => server.close());
afterEach(() => server.reset());

const meta: RuntimeMeta = { sdkName: "lean-sdk", sdkVersion: "1.0.0", defaultBaseUrl: "https://api.example.com" };
const core = (metaOverride: Partial<RuntimeMeta> = {}) => createCallRuntime({ accessToken: "lean-token", baseUrl: server.url }, { ...meta, ...metaOverride });

const styled: OperationSpec = {
  id: "styled",
  method: "GET",
  path: "/items/{ids}",
  idempotent: true,
  parameters: [
    { name: "ids", in: "path", style: "label", explode: true },
    { name: "filter", in: "query", style: "deepObject", explode: true },
  ],
  successes: { "200": "json" },
};

const upload: OperationSpec = {
  id: "upload",
  method: "POST",
  path: "/files",
  idempotent: false,
  requestBody: { required: true, mediaTypes: ["multipart/form-data"] },
  successes: { "200": "json" },
};

describe("parameter styles on the lean core", () => {
  it("writes default styles itself: arrays and objects in the path and the query", async () => {
    const plain: OperationSpec = { id: "plain", method: "GET", path: "/items/{ids}", idempotent: true, successes: { "200": "json" } };
    await core().call(plain, { path: { ids: ["a", "b c"] }, query: { tag: ["x", "y"], range: { from: 1, to: 2 }, on: true } });
    expect(server.requests[0]?.rawPath).toBe("/items/a,b%20c?tag=x&tag=y&from=1&to=2&on=true");
  });

  it("writes other styles with the operation's parameterStyles, as the full client does", async () => {
    const input = { path: { ids: ["a", "b"] }, query: { filter: { role: "admin" } } };
    await core().call({ ...styled, parameterStyles }, input);
    await createRuntime({ accessToken: "lean-token", baseUrl: server.url }, meta).call(styled, input);
    expect(server.requests.map((r) => r.rawPath)).toEqual(["/items/.a.b?filter%5Brole%5D=admin", "/items/.a.b?filter%5Brole%5D=admin"]);
  });

  it("refuses an operation that lists styles without them, sending nothing", async () => {
    const error = await core().call(styled, { path: { ids: ["a"] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^styled lists parameter styles but has no `parameterStyles`/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("body encodings on the lean core", () => {
  it("sends multipart with the operation's bodyEncodings", async () => {
    await core().call({ ...upload, bodyEncodings }, { body: { name: "report", file: new Blob(["bytes"], { type: "text/plain" }) } });
    const request = server.requests[0];
    expect(request?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.body.toString()).toContain('name="file"; filename="file"');
  });

  it("refuses a non-JSON body without them, sending nothing", async () => {
    const error = await core().call(upload, { body: { name: "report" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^upload sends multipart\/form-data but has no `bodyEncodings`/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("security schemes on the lean core", () => {
  const keyed: RuntimeMeta["security"] = { schemes: { key: { type: "apiKey", in: "header", name: "X-Api-Key" } }, fallback: [["key"]], required: true };
  const op: OperationSpec = { id: "keyed", method: "GET", path: "/k", idempotent: true, successes: { "200": "json" }, security: [["key"]] };

  it("sends an API key when the spec's security carries securitySchemes", async () => {
    const runtime = createCallRuntime({ auth: { key: "api-key-123" }, baseUrl: server.url }, { ...meta, security: { ...keyed, credentials: securitySchemes } });
    await runtime.call(op, {});
    expect(server.requests[0]?.headers["x-api-key"]).toBe("api-key-123");
  });

  it("refuses an API key at creation when it does not", () => {
    expect(() => createCallRuntime({ auth: { key: "api-key-123" }, baseUrl: server.url }, { ...meta, security: keyed })).toThrow(ConfigError);
    expect(() => createCallRuntime({ auth: { key: "api-key-123" }, baseUrl: server.url }, { ...meta, security: keyed })).toThrow(/`auth.key` \(API key in header X-Api-Key\) needs the runtime's `securitySchemes`/);
  });

  it("sends a bearer token itself, and names the scheme for a wrong credential", async () => {
    const bearer: RuntimeMeta["security"] = { schemes: { oauth: { type: "oauth2" } }, fallback: [["oauth"]], required: true };
    await createCallRuntime({ auth: { oauth: "bearer-456" }, baseUrl: server.url }, { ...meta, security: bearer }).call({ ...op, security: [["oauth"]] }, {});
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer bearer-456");
    expect(() => createCallRuntime({ auth: { oauth: 7 as unknown as string } }, { ...meta, security: bearer })).toThrow(/`auth.oauth` \(OAuth 2 access token\) must be a non-empty string/);
  });
});

describe("hooks, rate budget and concurrency cap on the lean core", () => {
  const get: OperationSpec = { id: "get", method: "GET", path: "/g", idempotent: true, successes: { "200": "json" }, rateLimitLabel: "Light" };

  it("refuses each without `extras: transportExtras`, naming the opt-in", () => {
    const budget = { acquire: async () => undefined, blockUntil: () => undefined };
    for (const option of [{ hooks: { onRequest: () => undefined } }, { rateBudget: budget }, { maxConcurrentRequests: 2 }]) {
      expect(() => createCallRuntime({ accessToken: "lean-token", ...option }, meta)).toThrow(ConfigError);
      expect(() => createCallRuntime({ accessToken: "lean-token", ...option }, meta)).toThrow(/need code this lean client leaves out.*`extras: transportExtras`/);
    }
    // Hooks that are all undefined ask for nothing.
    expect(() => createCallRuntime({ accessToken: "lean-token", hooks: {} }, meta)).not.toThrow();
  });

  it("runs them with it, as the full client does", async () => {
    const seen: RequestHookEvent[] = [];
    const labels: string[] = [];
    const runtime = createCallRuntime(
      {
        accessToken: "lean-token",
        baseUrl: server.url,
        hooks: { onRequest: (event) => seen.push(event) },
        rateBudget: { acquire: async (label) => void labels.push(label), blockUntil: () => undefined },
        maxConcurrentRequests: 1,
        extras: transportExtras,
      },
      meta,
    );
    await Promise.all([runtime.call(get, {}), runtime.call(get, {})]);
    expect(seen.map((event) => [event.operationId, event.headers["authorization"]])).toEqual([
      ["get", "[REDACTED]"],
      ["get", "[REDACTED]"],
    ]);
    expect(labels).toEqual(["Light", "Light"]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("option checks on the lean core", () => {
  it("refuses a base URL with credentials without repeating them", () => {
    const error = (() => {
      try {
        createCallRuntime({ accessToken: "t", baseUrl: "https://user:hunter2@api.example.com" }, meta);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/`baseUrl` must be an absolute http\(s\) URL without a query, a fragment or credentials/);
    expect((error as Error).message).not.toContain("hunter2");
  });
});
