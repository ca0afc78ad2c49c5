/** Authentication: static tokens, token functions, Server-to-Server OAuth, token stores, code 124. */
import { describe, expect, it } from "vitest";
import {
  AbortError,
  AuthenticationError,
  AuthError,
  ConfigError,
  createMemoryTokenStore,
  createRuntime,
  type ClientOptions,
  type StoredToken,
  type TokenRequest,
} from "@zoomgen/runtime/zoom";
import { invalidToken, json, useFaultServer, token, type FaultServer } from "../support/fault-server.js";
import { getUser, imGroupCreate, meta } from "./fixtures.js";

let server: FaultServer;
const TOKEN_PATH = "/oauth/token";
const API = "/v2";
const CREDENTIALS = { accountId: "acct-42", clientId: "client-id-7", clientSecret: "client-secret-XYZ-0123456789" };

useFaultServer((started) => (server = started));

function oauthClient(options: Partial<ClientOptions> = {}) {
  return createRuntime(
    {
      oauth: { ...CREDENTIALS, tokenUrl: `${server.url}${TOKEN_PATH}` },
      baseUrl: `${server.url}${API}`,
      retry: { initialDelayMs: 1, maxDelayMs: 50 },
      ...options,
    },
    meta,
  );
}
const getMe = (c: ReturnType<typeof oauthClient>, extra: Record<string, unknown> = {}) => c.call(getUser, { path: { userId: "me" }, ...extra });
const authHeaders = () => server.requests.filter((r) => r.rawPath.startsWith(API)).map((r) => r.headers["authorization"]);

describe("Server-to-Server OAuth", () => {
  it("asks the token endpoint with the account_credentials grant and Basic credentials, then sends the bearer token", async () => {
    server.script(TOKEN_PATH, token("tok-1"));
    server.otherwise(API, json(200, { id: "me" }));
    await expect(getMe(oauthClient())).resolves.toEqual({ id: "me" });
    const [tokenRequest, apiRequest] = server.requests;
    expect(tokenRequest!.method).toBe("POST");
    expect(tokenRequest!.rawPath).toBe(`${TOKEN_PATH}?grant_type=account_credentials&account_id=acct-42`);
    const basic = Buffer.from(`${CREDENTIALS.clientId}:${CREDENTIALS.clientSecret}`).toString("base64");
    expect(tokenRequest!.headers["authorization"]).toBe(`Basic ${basic}`);
    expect(tokenRequest!.headers["user-agent"]).toBe("zoom-sdk/1.2.3");
    expect(apiRequest!.headers["authorization"]).toBe("Bearer tok-1");
  });

  it("caches the token until the refresh margin before it expires", async () => {
    server.script(TOKEN_PATH, token("tok-1", 3600), token("tok-2", 3600));
    const zoom = oauthClient();
    for (let i = 0; i < 5; i++) await getMe(zoom);
    expect(server.count(TOKEN_PATH)).toBe(1);

    server.reset();
    // 1 s tokens with a 60 s margin are stale at once: each call asks again.
    server.script(TOKEN_PATH, token("short-1", 1), token("short-2", 1));
    const eager = oauthClient();
    await getMe(eager);
    await getMe(eager);
    expect(server.count(TOKEN_PATH)).toBe(2);
    expect(authHeaders()).toEqual(["Bearer short-1", "Bearer short-2"]);

    server.reset();
    server.script(TOKEN_PATH, token("t-1", 1), token("t-2", 1));
    const lax = oauthClient({ tokenRefreshMarginMs: 0 });
    await getMe(lax);
    await getMe(lax);
    expect(server.count(TOKEN_PATH)).toBe(1);
  });

  it("uses a token the endpoint issues again unchanged (it is never scrubbed from its own answer)", async () => {
    server.script(TOKEN_PATH, token("same-token-123", 1), token("same-token-123", 1));
    const zoom = oauthClient();
    await getMe(zoom);
    await getMe(zoom);
    expect(authHeaders()).toEqual(["Bearer same-token-123", "Bearer same-token-123"]);
  });

  it("makes one token request for 100 concurrent calls", async () => {
    server.script(TOKEN_PATH, token("shared", 3600, 100)); // a slow token endpoint: all calls wait for it
    server.otherwise(API, json(200, { ok: true }));
    const zoom = oauthClient();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => getMe(zoom, { path: { userId: `u${i}` } })));
    const elapsed = performance.now() - started;
    expect(results).toHaveLength(100);
    expect(server.count(TOKEN_PATH)).toBe(1);
    expect(server.count(API)).toBe(100);
    expect(new Set(authHeaders())).toEqual(new Set(["Bearer shared"]));
    console.info(`100 concurrent calls: ${elapsed.toFixed(0)} ms, ${server.count(TOKEN_PATH)} token request(s)`);
  });

  it("gets one fresh token and retries once after a 401 with code 124, for a POST too", async () => {
    server.script(TOKEN_PATH, token("old"), token("new"));
    server.script(API, invalidToken(), json(201, {}));
    await expect(oauthClient().call(imGroupCreate, { body: { name: "n" }, retry: false })).resolves.toBeUndefined();
    expect(authHeaders()).toEqual(["Bearer old", "Bearer new"]);
    expect(server.count(TOKEN_PATH)).toBe(2);
  });

  it("retries only once: a second 124 is an AuthenticationError", async () => {
    server.script(TOKEN_PATH, token("a"), token("b"), token("c"));
    server.otherwise(API, invalidToken());
    const error = await getMe(oauthClient()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 124 });
    expect(server.count(API)).toBe(2);
    expect(server.count(TOKEN_PATH)).toBe(2);
  });

  it("shares one refresh among concurrent calls whose token was rejected", async () => {
    server.script(TOKEN_PATH, token("old"));
    const zoom = oauthClient();
    await getMe(zoom); // caches "old"
    server.reset();
    server.script(TOKEN_PATH, token("new", 3600, 50), token("unexpected"));
    server.otherwise(API, (request, res) => {
      const ok = request.headers["authorization"] === "Bearer new";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? { ok } : { code: 124, message: "Invalid access token." }));
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => getMe(zoom)));
    expect(results).toEqual(Array(20).fill({ ok: true }));
    expect(server.count(TOKEN_PATH)).toBe(1);
    expect(server.count(API)).toBe(40);
  });

  it("does not retry a 401 without code 124", async () => {
    server.script(TOKEN_PATH, token("t"));
    server.otherwise(API, { status: 401, body: "" });
    await expect(getMe(oauthClient())).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.count(API)).toBe(1);
  });

  it("reports a failing token endpoint as AuthError with its status and reason, sending nothing to the API", async () => {
    server.otherwise(TOKEN_PATH, json(400, { reason: "Invalid client_id or client_secret", error: "invalid_client" }));
    const error = (await getMe(oauthClient()).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.status).toBe(400);
    expect(error.message).toContain("answered 400: invalid_client: Invalid client_id or client_secret");
    expect(error.message).toContain("Check oauth.accountId, oauth.clientId and oauth.clientSecret");
    expect(server.count(TOKEN_PATH)).toBe(1); // a 4xx is not retried
    expect(server.count(API)).toBe(0);
  });

  it("retries a token endpoint 503, and reports it as AuthError when it persists", async () => {
    server.script(TOKEN_PATH, json(503, "busy"), token("t"));
    await expect(getMe(oauthClient())).resolves.toEqual({});
    server.reset();
    server.otherwise(TOKEN_PATH, json(503, "busy"));
    const error = (await getMe(oauthClient()).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.status).toBe(503);
    expect(server.count(TOKEN_PATH)).toBe(3);
  });

  it("reports an unreachable, slow or nonsensical token endpoint as AuthError", async () => {
    server.otherwise(TOKEN_PATH, { fault: "reset" });
    await expect(getMe(oauthClient({ retry: false }))).rejects.toBeInstanceOf(AuthError);
    server.otherwise(TOKEN_PATH, { fault: "hang" });
    const slow = await getMe(oauthClient({ retry: false, timeoutMs: 100 })).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(AuthError);
    expect((slow as Error).message).toContain("timed out after 100 ms");
    server.otherwise(TOKEN_PATH, json(200, "<html>"));
    await expect(getMe(oauthClient())).rejects.toThrow(/not JSON/);
    server.otherwise(TOKEN_PATH, json(200, { token_type: "bearer" }));
    await expect(getMe(oauthClient())).rejects.toThrow(/without an access_token/);
    expect(server.count(API)).toBe(0);
  });

  it("lets a caller's signal stop waiting for the token without cancelling it for others", async () => {
    server.script(TOKEN_PATH, token("t", 3600, 200));
    const zoom = oauthClient();
    const controller = new AbortController();
    const impatient = getMe(zoom, { signal: controller.signal });
    const patient = getMe(zoom);
    setTimeout(() => controller.abort(), 20);
    await expect(impatient).rejects.toBeInstanceOf(AbortError);
    await expect(patient).resolves.toEqual({});
    expect(server.count(TOKEN_PATH)).toBe(1);
  });
});

describe("token stores", () => {
  it("shares a token between clients through a store, keyed without the secret", async () => {
    const saved = new Map<string, StoredToken>();
    const store = { get: async (key: string) => saved.get(key), set: async (key: string, t: StoredToken) => void saved.set(key, t) };
    server.script(TOKEN_PATH, token("from-a"));
    await getMe(oauthClient({ tokenStore: store }));
    await getMe(oauthClient({ tokenStore: store })); // another process, say
    expect(server.count(TOKEN_PATH)).toBe(1);
    expect(authHeaders()).toEqual(["Bearer from-a", "Bearer from-a"]);
    expect([...saved.keys()]).toEqual(["zoom-s2s:acct-42:client-id-7"]);
    expect(saved.get("zoom-s2s:acct-42:client-id-7")!.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
  });

  it("replaces an expired stored token, and one Zoom rejected", async () => {
    const store = createMemoryTokenStore();
    await store.set("zoom-s2s:acct-42:client-id-7", { accessToken: "stale", expiresAt: Date.now() - 1 });
    server.script(TOKEN_PATH, token("fresh"));
    await getMe(oauthClient({ tokenStore: store }));
    expect(authHeaders()).toEqual(["Bearer fresh"]);

    server.reset();
    await store.set("zoom-s2s:acct-42:client-id-7", { accessToken: "revoked", expiresAt: Date.now() + 3600_000 });
    server.script(TOKEN_PATH, token("replacement"));
    server.script(API, invalidToken(), json(200, {}));
    await getMe(oauthClient({ tokenStore: store }));
    expect(authHeaders()).toEqual(["Bearer revoked", "Bearer replacement"]);
    expect((await store.get("zoom-s2s:acct-42:client-id-7"))?.accessToken).toBe("replacement");
  });

  it("survives a store that fails: it costs a token request, not the call", async () => {
    const broken = { get: () => Promise.reject(new Error("redis down")), set: () => Promise.reject(new Error("redis down")) };
    server.script(TOKEN_PATH, token("t"));
    await expect(getMe(oauthClient({ tokenStore: broken }))).resolves.toEqual({});
  });
});

describe("token functions and static tokens", () => {
  it("asks a token function again with forceRefresh after a code 124, and retries once with the new token", async () => {
    const requests: (TokenRequest | undefined)[] = [];
    let n = 0;
    const zoom = createRuntime(
      { accessToken: (r?: TokenRequest) => (requests.push(r), r?.forceRefresh ? `fresh-${++n}` : "cached"), baseUrl: `${server.url}${API}` },
      meta,
    );
    server.script(API, invalidToken(), json(200, {}));
    await getMe(zoom);
    expect(authHeaders()).toEqual(["Bearer cached", "Bearer fresh-1"]);
    expect(requests).toEqual([{ forceRefresh: false }, { forceRefresh: true, rejectedToken: "cached" }]);
  });

  it("retries once whatever the token function returns, and never with a static token (nothing fresh to get)", async () => {
    server.otherwise(API, invalidToken());
    const same = createRuntime({ accessToken: () => "same-token", baseUrl: `${server.url}${API}` }, meta);
    await expect(getMe(same)).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.count(API)).toBe(2);
    const fixed = createRuntime({ accessToken: "fixed-token", baseUrl: `${server.url}${API}` }, meta);
    await expect(getMe(fixed)).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.count(API)).toBe(3);
  });

  it("checks the OAuth options at creation without showing their values", () => {
    const create = (options: Record<string, unknown>) => () => createRuntime(options as ClientOptions, meta);
    expect(create({ oauth: { ...CREDENTIALS, clientSecret: "" } })).toThrow(/`oauth.clientSecret` must be a non-empty string/);
    expect(create({ oauth: { ...CREDENTIALS, clientId: 7 } })).toThrow(ConfigError);
    expect(create({ oauth: CREDENTIALS, accessToken: "t" })).toThrow(/either `accessToken` or `oauth`/);
    expect(create({ oauth: { ...CREDENTIALS, tokenUrl: "ftp://x" } })).toThrow(/oauth.tokenUrl/);
    expect(create({ oauth: CREDENTIALS, tokenStore: {} })).toThrow(/tokenStore/);
    expect(create({ oauth: CREDENTIALS, tokenRefreshMarginMs: -1 })).toThrow(/tokenRefreshMarginMs/);
    try {
      create({ oauth: { ...CREDENTIALS, accountId: ["x"] } })();
    } catch (error) {
      expect((error as Error).message).not.toContain(CREDENTIALS.clientSecret);
    }
  });
});
