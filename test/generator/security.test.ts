/**
 * Auth from `securitySchemes`, end to end: clients generated from a spec that declares every kind of
 * scheme (test/fixtures/specs/security.yaml), from an API-key-only spec and from a spec without
 * security; their options type-checked (wrong credentials are type errors), then called against a
 * real server on 127.0.0.1 that records each request: every credential-carrying part (the
 * Authorization, X-API-Key and Cookie headers, the query string) is compared byte for byte, so a
 * credential sent where it does not belong fails the test too.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, createRuntime, type RuntimeMeta } from "../../runtime/index.js";
import { runCliAsync, type CliResult } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { reply, startRecordingServer, type RecordedRequest, type RecordingServer } from "../support/replay-server.js";
import { typeCheckUse } from "../support/type-check.js";

const KEYS_SPEC = {
  openapi: "3.0.3",
  info: { title: "Keys", version: "1" },
  servers: [{ url: "https://keys.example.com" }],
  security: [{ apiKey: [] }],
  paths: {
    "/things": { get: { operationId: "listThings", responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } } } },
    "/health": { get: { operationId: "health", security: [], responses: { "204": { description: "up" } } } },
  },
  components: { securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-Key" } } },
};

const OPEN_SPEC = {
  openapi: "3.1.0",
  info: { title: "Open", version: "1" },
  servers: [{ url: "https://open.example.com" }],
  paths: { "/status": { get: { operationId: "getStatus", responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } } } } },
};

let work: string;
const workDir = useRepoTempDir("security-spec-");
let vault: CliResult;
let server: RecordingServer;
let status = 200;
/** Statuses to answer before falling back to `status`, one per request. */
let queued: number[] = [];
beforeAll(async () => {
  work = workDir();
  await writeFile(path.join(work, "keys.json"), JSON.stringify(KEYS_SPEC));
  await writeFile(path.join(work, "open.json"), JSON.stringify(OPEN_SPEC));
  const results = await Promise.all([
    runCliAsync(["--spec", "test/fixtures/specs/security.yaml", "--out", path.join(work, "vault")]),
    runCliAsync(["--spec", path.join(work, "keys.json"), "--out", path.join(work, "keys")]),
    runCliAsync(["--spec", path.join(work, "open.json"), "--out", path.join(work, "open")]),
  ]);
  for (const result of results) expect(result.status, result.stderr).toBe(0);
  vault = results[0]!;
  server = await startRecordingServer((_request, res) => {
    const answer = queued.shift() ?? status;
    reply(res, answer, answer === 200 ? {} : { code: 124, message: "Invalid access token." });
  });
}, 180_000);
afterAll(async () => {
  await server?.close();
});
afterEach(() => {
  server.reset();
  status = 200;
  queued = [];
});

/** Every place a credential can travel, exactly as received; absent places are left out. */
function credentials(request: RecordedRequest): Record<string, string> {
  const found: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    if (name === "authorization" || name === "cookie" || name.startsWith("x-api") || name === "x-key") found[name] = request.rawHeaders[i + 1]!;
  }
  if (request.rawQuery !== "") found.query = request.rawQuery;
  return found;
}

type Call = (input?: object) => Promise<unknown>;
type Vault = { default: Record<string, Call> };
type Module = {
  [factory: string]: unknown;
  ConfigError: new (...args: never[]) => Error;
};

async function load<C>(name: string, factory: string): Promise<{ create: (options?: object) => C; module: Module }> {
  const module = (await import(path.join(work, name, "index.ts"))) as Module;
  return { create: module[factory] as (options?: object) => C, module };
}

describe("generation", () => {
  it("warns about mutualTLS and an undeclared scheme with file:line and the pointer, and goes on", () => {
    expect(vault.stderr).toMatch(/security\.yaml:\d+:\d+: security scheme "mtls": mutualTLS is not supported.*\(#\/components\/securitySchemes\/mtls\)/);
    expect(vault.stderr).toMatch(/security\.yaml:\d+:\d+: security requirement names "ghost", which components\.securitySchemes does not declare.*\(#\/paths\/~1ghost\/get\/security\/0\)/);
  });

  it("types the auth option from the declared schemes: wrong names and shapes are type errors", async () => {
    const { output } = await typeCheckUse(
      work,
      [
        'import { createVaultClient } from "./vault/index.js";',
        'import { createKeysClient } from "./keys/index.js";',
        'import { createOpenClient } from "./open/index.js";',
        'createVaultClient({ auth: { keyHeader: "k", keyQuery: async () => "q", keyCookie: "c", basic: { username: "u", password: "p" }, bearer: "t", oauth: () => "o", oidc: "i" } });',
        'createVaultClient({ accessToken: "t" });',
        'createKeysClient({ auth: { apiKey: "k" } });',
        "createOpenClient();",
        "// @ts-expect-error no such scheme",
        'createVaultClient({ auth: { apikey: "k" } });',
        "// @ts-expect-error basic takes { username, password }, not a string",
        'createVaultClient({ auth: { basic: "u:p" } });',
        "// @ts-expect-error basic needs its password",
        'createVaultClient({ auth: { basic: { username: "u" } } });',
        "// @ts-expect-error an API key is a string or a function",
        "createVaultClient({ auth: { keyHeader: 42 } });",
        "// @ts-expect-error an API-key API takes no bearer token",
        'createKeysClient({ accessToken: "t" });',
        "// @ts-expect-error an API without security has no scheme to give a credential for",
        'createOpenClient({ auth: { apiKey: "k" } });',
        "",
      ].join("\n"),
      ["vault/**/*.ts", "keys/**/*.ts", "open/**/*.ts"],
    );
    expect(output).toBe("");
  }, 120_000);

  it("shows the spec's own credential option in the README example", async () => {
    expect(await readFile(path.join(work, "keys", "README.md"), "utf8")).toContain("createKeysClient({ auth: { apiKey: process.env.API_KEY! } })");
    expect(await readFile(path.join(work, "vault", "README.md"), "utf8")).toContain("createVaultClient({ accessToken: process.env.ACCESS_TOKEN! })");
    expect(await readFile(path.join(work, "open", "README.md"), "utf8")).toContain("const client = createOpenClient();");
  });
});

describe("a client for a spec with every kind of scheme", () => {
  const all = {
    keyHeader: "header-key-1",
    keyQuery: "query key&=",
    keyCookie: "cookie;key",
    basic: { username: "alice", password: "pässword:1" },
    bearer: "bearer-token-1",
    oauth: "oauth-token-1",
    oidc: "oidc-token-1",
    token: "opaque-1",
  };

  async function vaultClient(options: object): Promise<Vault> {
    const { create } = await load<Vault>("vault", "createVaultClient");
    return create({ baseUrl: server.url, retry: false, ...options });
  }

  it("sends each scheme where the spec says, and nothing else", async () => {
    const client = await vaultClient({ auth: all });
    const sent = async (method: string, input?: object) => {
      server.reset();
      await client.default[method]!(input);
      return credentials(server.lastRequest());
    };
    const basic = `Basic ${Buffer.from("alice:pässword:1", "utf8").toString("base64")}`;
    expect(await sent("getPublic")).toEqual({});
    expect(await sent("getInherited")).toEqual({ authorization: "Bearer bearer-token-1" });
    expect(await sent("getWithHeaderKey")).toEqual({ "x-api-key": "header-key-1" });
    expect(await sent("getWithQueryKey", { query: { q: "x y" } })).toEqual({ query: "q=x%20y&api_key=query%20key%26%3D" });
    expect(await sent("getWithCookieKey", { cookie: { theme: "dark" } })).toEqual({ cookie: "theme=dark; vault_session=cookie%3Bkey" });
    expect(await sent("getWithBasic")).toEqual({ authorization: basic });
    expect(await sent("getWithOAuth")).toEqual({ authorization: "Bearer oauth-token-1" });
    expect(await sent("getWithOpenIdConnect")).toEqual({ authorization: "Bearer oidc-token-1" });
    // AND: both; OR: the first alternative the client has credentials for.
    expect(await sent("getWithKeyAndToken")).toEqual({ "x-api-key": "header-key-1", authorization: "Bearer bearer-token-1" });
    expect(await sent("getWithKeyOrBasic")).toEqual({ query: "api_key=query%20key%26%3D" });
    expect(await sent("getWithOptionalKey")).toEqual({ "x-api-key": "header-key-1" });
    expect(await sent("getWithClientCertificate")).toEqual({});
    expect(await sent("getWithGhost")).toEqual({ "x-api-key": "header-key-1" });
    expect(await sent("getWithTokenScheme")).toEqual({ authorization: "Token opaque-1" });
  });

  it("gives raw requests the first credentials the client has that some operation accepts", async () => {
    const client = (await vaultClient({ auth: { keyCookie: "cookie-key" } })) as unknown as { raw: { GET(path: string): Promise<unknown> } };
    await client.raw.GET("/header-key");
    expect(credentials(server.lastRequest())).toEqual({ cookie: "vault_session=cookie-key" });
    const anonymous = (await vaultClient({})) as unknown as { raw: { GET(path: string): Promise<unknown> } };
    await anonymous.raw.GET("/public");
    expect(credentials(server.lastRequest())).toEqual({});
  });

  it("refreshes a rejected token from the auth function that gave it, once", async () => {
    const asked: unknown[] = [];
    const client = await vaultClient({ auth: { oauth: (request?: unknown) => (asked.push(request), asked.length === 1 ? "stale-token" : "fresh-token") } });
    queued = [401];
    await client.default.getWithOAuth!();
    expect(server.requests.map(credentials)).toEqual([{ authorization: "Bearer stale-token" }, { authorization: "Bearer fresh-token" }]);
    expect(asked).toEqual([{ forceRefresh: false }, { forceRefresh: true, rejectedToken: "stale-token" }]);
  });

  it("takes the next alternative, or none when auth is optional, and fails before sending when none fits", async () => {
    const client = await vaultClient({ auth: { basic: { username: "u", password: "p" } } });
    await client.default.getWithKeyOrBasic!();
    expect(credentials(server.lastRequest())).toEqual({ authorization: `Basic ${btoa("u:p")}` });
    await client.default.getWithOptionalKey!();
    expect(credentials(server.lastRequest())).toEqual({});
    server.reset();
    const { module } = await load<Vault>("vault", "createVaultClient");
    const failure = client.default.getWithKeyAndToken!();
    await expect(failure).rejects.toBeInstanceOf(module.ConfigError);
    await expect(failure).rejects.toThrow(
      "getWithKeyAndToken needs credentials this client was not given: pass `auth.bearer` (bearer token; or `accessToken`) together with `auth.keyHeader` (API key in header X-API-Key).",
    );
    await expect(client.default.getWithHeaderKey!()).rejects.toThrow(/getWithHeaderKey needs credentials.*`auth\.keyHeader`/);
    expect(server.requests).toHaveLength(0);
  });

  it("serves every bearer-type scheme from accessToken, asks token functions before each attempt, and sends no token for security: []", async () => {
    let asked = 0;
    const client = await vaultClient({ accessToken: () => `fn-token-${++asked}`, auth: { oidc: "own-oidc" } });
    await client.default.getWithOAuth!();
    expect(credentials(server.lastRequest())).toEqual({ authorization: "Bearer fn-token-1" });
    await client.default.getInherited!();
    expect(credentials(server.lastRequest())).toEqual({ authorization: "Bearer fn-token-2" });
    await client.default.getWithOpenIdConnect!();
    expect(credentials(server.lastRequest())).toEqual({ authorization: "Bearer own-oidc" });
    await client.default.getPublic!();
    expect(credentials(server.lastRequest())).toEqual({});
    expect(asked).toBe(2);
  });

  it("keeps API keys, passwords and tokens out of hooks, error messages and inspect()", async () => {
    const seen: unknown[] = [];
    const hooks = { onRequest: (event: unknown) => void seen.push(event), onError: (event: unknown) => void seen.push(event) };
    const client = await vaultClient({ auth: { ...all, keyHeader: async () => "header-key-from-fn" }, hooks });
    status = 401;
    const errors: unknown[] = [];
    for (const method of ["getWithQueryKey", "getWithHeaderKey", "getWithCookieKey", "getWithBasic"]) {
      errors.push(await client.default[method]!().catch((error: unknown) => error));
    }
    const shown = JSON.stringify(seen) + errors.map((error) => `${String(error)} ${inspect(error, { depth: 5 })}`).join("\n");
    for (const secret of ["header-key-from-fn", "query key", "query%20key", "cookie;key", "cookie%3Bkey", "pässword", Buffer.from("alice:pässword:1").toString("base64")]) {
      expect(shown).not.toContain(secret);
    }
    expect(shown).toContain("[REDACTED]");
    // The server did get them.
    expect(credentials(server.requests[1]!)).toEqual({ "x-api-key": "header-key-from-fn" });
  });

  it("refuses a wrong auth option at creation, naming it", async () => {
    const { create, module } = await load<Vault>("vault", "createVaultClient");
    expect(() => create({ auth: { nope: "x" } })).toThrow(module.ConfigError);
    expect(() => create({ auth: { nope: "x" } })).toThrow(/`auth\.nope`: the spec declares no such security scheme \(it declares: basic, bearer, keyCookie, keyHeader, keyQuery, oauth, oidc, token\)/);
    expect(() => create({ auth: { basic: "u:p" } })).toThrow(/`auth\.basic` \(HTTP basic\) must be \{ username, password \}/);
    expect(() => create({ auth: { keyHeader: 42 } })).toThrow(/`auth\.keyHeader` \(API key in header X-API-Key\) must be a non-empty string or a function/);
  });
});

describe("an API-key API and an API without security", () => {
  it("calls an API-key API with its key and never an Authorization header; security: [] sends nothing", async () => {
    const { create, module } = await load<{ default: Record<string, Call> }>("keys", "createKeysClient");
    const client = create({ auth: { apiKey: "key-123456" }, baseUrl: server.url });
    await client.default.listThings!();
    expect(credentials(server.lastRequest())).toEqual({ "x-key": "key-123456" });
    status = 200;
    await client.default.health!();
    expect(credentials(server.lastRequest())).toEqual({});
    // Without the key: the key-free operation works, the others fail naming the option.
    const anonymous = create({ baseUrl: server.url });
    await anonymous.default.health!();
    await expect(anonymous.default.listThings!()).rejects.toThrow(module.ConfigError);
  });

  it("needs no credential for an API that declares no security", async () => {
    const { create } = await load<{ default: Record<string, Call> }>("open", "createOpenClient");
    await create({ baseUrl: server.url }).default.getStatus!();
    expect(credentials(server.lastRequest())).toEqual({});
  });
});

describe("creating a client for an API whose every operation needs a credential", () => {
  const meta = (schemes: NonNullable<RuntimeMeta["security"]>["schemes"]): RuntimeMeta => ({
    sdkName: "test",
    sdkVersion: "0",
    defaultBaseUrl: "https://api.example.com",
    security: { schemes, fallback: Object.keys(schemes).map((name) => [name]), required: true },
  });

  it("refuses no credential at all, naming what to pass (Zoom's message for a bearer-only API)", () => {
    const keyed = meta({ key: { type: "apiKey", in: "header", name: "X-K" }, basic: { type: "http", scheme: "basic" } });
    expect(() => createRuntime({}, keyed)).toThrow(ConfigError);
    expect(() => createRuntime({}, keyed)).toThrow("No credentials: pass `auth.key` (API key in header X-K), or `auth.basic` (HTTP basic).");
    expect(() => createRuntime({ auth: { key: "k" } }, keyed)).not.toThrow();
    expect(() => createRuntime({}, meta({ oauth2: { type: "oauth2" } }))).toThrow(/^No access token: pass `accessToken`/);
    expect(() => createRuntime({ accessToken: "t" }, meta({ oauth2: { type: "oauth2" } }))).not.toThrow();
  });
});
