/**
 * One resource on the lean core runtime: `createUsersResource(createZoomClientCore(options))` calls like
 * `zoom.users`, and a bundle of it keeps the users operations only (no other operation's spec, no
 * openapi-fetch), which is what lets a one-call bundle stay the same size however many operations the
 * spec has. What a call may not use is opt-in on the core: the schema checker (`validate: validateInput`)
 * and Server-to-Server OAuth (`oauth: serverToServerOAuth(...)`); a bundle carries them only then.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ConfigError, createZoomClientCore, serverToServerOAuth, validateInput, ValidationError } from "../../generated/index.js";
import { createUsersResource } from "../../generated/resources/users.js";
import { json, token, useFaultServer, type FaultServer } from "../support/fault-server.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let server: FaultServer;
useFaultServer((started) => (server = started));

const CREDENTIALS = { accountId: "acct-1", clientId: "client-1", clientSecret: "secret-1" };

describe("a resource on createZoomClientCore", () => {
  it("calls and decodes as the full client does", async () => {
    server.otherwise("/v2/users/me", json(200, { id: "u1", email: "me@example.com" }));
    const users = createUsersResource(createZoomClientCore({ accessToken: "tok", baseUrl: `${server.url}/v2` }));
    const result = await users.getUser({ path: { userId: "me" }, query: { login_type: 100 } }).withResponse();
    expect(result.data).toEqual({ id: "u1", email: "me@example.com" });
    expect(result.status).toBe(200);
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer tok");
  });

  it("sends an input the schema forbids when validation was not opted in", async () => {
    server.otherwise("/v2/users/me", json(200, { id: "u1" }));
    const users = createUsersResource(createZoomClientCore({ accessToken: "tok", baseUrl: `${server.url}/v2` }));
    // @ts-expect-error 7 is not one of Zoom's login types
    await expect(users.getUser({ path: { userId: "me" }, query: { login_type: 7 } })).resolves.toEqual({ id: "u1" });
    expect(server.requests.map((r) => r.rawPath)).toEqual(["/v2/users/me?login_type=7"]);
  });

  it("rejects it before sending with `validate: validateInput`, and a call can still switch that off", async () => {
    server.otherwise("/v2/users/me", json(200, { id: "u1" }));
    const users = createUsersResource(createZoomClientCore({ accessToken: "tok", baseUrl: `${server.url}/v2`, validate: validateInput }));
    // @ts-expect-error 7 is not one of Zoom's login types
    const invalid = await users.getUser({ path: { userId: "me" }, query: { login_type: 7 } }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues[0]?.path).toBe("query.login_type");
    expect(server.count("/v2/users")).toBe(0);
    // @ts-expect-error as above
    await users.getUser({ path: { userId: "me" }, query: { login_type: 7 }, validate: false });
    expect(server.count("/v2/users")).toBe(1);
  });

  it("says how to opt in when asked to validate without the checker", async () => {
    expect(() => createZoomClientCore({ accessToken: "tok", validate: true })).toThrow(ConfigError);
    expect(() => createZoomClientCore({ accessToken: "tok", validate: true })).toThrow(/`validate: true` needs the schema checker.*`validate: validateInput`/);
    const users = createUsersResource(createZoomClientCore({ accessToken: "tok", baseUrl: `${server.url}/v2` }));
    const refused = await users.getUser({ path: { userId: "me" }, validate: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toMatch(/^getUser: `validate: true` needs the schema checker/);
    expect(server.count()).toBe(0);
  });

  it("fetches tokens from the token endpoint with `oauth: serverToServerOAuth(...)`", async () => {
    server.script("/oauth/token", token("oauth-tok"));
    server.otherwise("/v2/users/me", json(200, { id: "u1" }));
    const oauth = serverToServerOAuth({ ...CREDENTIALS, tokenUrl: `${server.url}/oauth/token` });
    const users = createUsersResource(createZoomClientCore({ oauth, baseUrl: `${server.url}/v2` }));
    await expect(users.getUser({ path: { userId: "me" } })).resolves.toEqual({ id: "u1" });
    await users.getUser({ path: { userId: "me" } });
    const [tokenRequest, ...calls] = server.requests;
    expect(tokenRequest?.rawPath).toBe("/oauth/token?grant_type=account_credentials&account_id=acct-1");
    expect(tokenRequest?.headers["authorization"]).toBe(`Basic ${Buffer.from("client-1:secret-1").toString("base64")}`);
    expect(calls.map((r) => r.headers["authorization"])).toEqual(["Bearer oauth-tok", "Bearer oauth-tok"]);
  });

  it("refuses a plain `oauth` object, naming the option and the opt-in, and checks the opted-in one", () => {
    expect(() => createZoomClientCore({ oauth: CREDENTIALS })).toThrow(ConfigError);
    expect(() => createZoomClientCore({ oauth: CREDENTIALS })).toThrow(/^`oauth` needs the Server-to-Server OAuth code.*serverToServerOAuth\(/);
    expect(() => createZoomClientCore({ oauth: serverToServerOAuth({ ...CREDENTIALS, clientId: "" }) })).toThrow(/`oauth.clientId` must be a non-empty string/);
    expect(() => createZoomClientCore({ oauth: serverToServerOAuth(CREDENTIALS), tokenRefreshMarginMs: -1 })).toThrow(/`tokenRefreshMarginMs` must be/);
  });
});

/** A marker of each opt-in's code: a message only that code contains. */
const CHECKER = "must match a schema in anyOf"; // runtime/schema-check.ts
const OAUTH = "account_credentials"; // runtime/auth.ts, the token request

async function bundle(
  options: string,
  imports = "",
  [factory, file, call] = ["createUsersResource", "users.ts", `getUser({ path: { userId: "me" } })`],
): Promise<{ code: string; shipped: string[] }> {
  const importer = [
    `import { createZoomClientCore${imports} } from ${JSON.stringify(path.join(ROOT, "generated/index.ts"))};`,
    `import { ${factory} } from ${JSON.stringify(path.join(ROOT, "generated/resources", file))};`,
    `${factory}(createZoomClientCore(${options})).${call};`,
  ].join("\n");
  const result = await build({
    stdin: { contents: importer, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
    // The runtime package's sources, as in the rest of the repository's tests (no build needed).
    conditions: ["@zoomgen/source"],
  });
  // Files that contributed code (the metafile also lists files that were read and then shaken off entirely).
  const output = Object.values(result.metafile.outputs)[0]!;
  const shipped = Object.entries(output.inputs).filter(([, info]) => info.bytesInOutput > 0).map(([file]) => file);
  return { code: result.outputFiles[0]!.text, shipped };
}

describe("the bundle of one call through createZoomClientCore", () => {
  it("keeps the users operations only, and neither openapi-fetch, the schema checker nor OAuth", async () => {
    const { code, shipped } = await bundle(`{ accessToken: "t" }`);
    expect(code).toContain('"/users/{userId}"');
    for (const other of ["/im/groups", "/groups/{groupId}/members", "/meetings/{meetingId}/batch_registrants", "/chat/users/{userId}/channels"]) {
      expect(code).not.toContain(`"${other}`);
    }
    expect(shipped.some((file) => file.endsWith("resources/users.ts"))).toBe(true);
    expect(shipped.some((file) => file.includes("node_modules/openapi-fetch"))).toBe(false);
    expect(shipped.some((file) => file.endsWith("resources/meetings.ts"))).toBe(false);
    expect(code).not.toContain(CHECKER);
    expect(shipped.some((file) => /schema-(check|formats)\.ts$/.test(file))).toBe(false);
    expect(code).not.toContain(OAUTH);
    // A JSON GET with a default-style path parameter and a bearer token needs none of these.
    for (const module of ["parameter-styles.ts", "body-encodings.ts", "security-schemes.ts", "option-checks.ts"]) {
      expect(shipped.some((file) => file.endsWith(`runtime/${module}`))).toBe(false);
    }
  });

  it("carries the body encodings with an operation whose body may be multipart", async () => {
    const { shipped } = await bundle(`{ accessToken: "t" }`, "", ["createImGroupsResource", "imGroups.ts", `createImGroup({ body: { name: "g" } })`]);
    expect(shipped.some((file) => file.endsWith("runtime/body-encodings.ts"))).toBe(true);
    expect(shipped.some((file) => file.endsWith("runtime/parameter-styles.ts"))).toBe(false);
    // imGroups has no paged operation: no paging code (users has listUsers, so its bundle keeps it).
    expect(shipped.some((file) => file.endsWith("runtime/pagination.ts"))).toBe(false);
  });

  it("carries hooks, the rate budget and the concurrency cap only with `extras: transportExtras`", async () => {
    const EXTRAS = ["runtime/extras.ts", "runtime/limiter.ts", "runtime/rate-budget.ts"];
    const plain = await bundle(`{ accessToken: "t" }`);
    expect(plain.shipped.filter((file) => EXTRAS.some((module) => file.endsWith(module)))).toEqual([]);
    // A Zoom client resolves its profile to Zoom's: the generic profile is not carried.
    expect(plain.code).not.toContain("token rejected (401)");
    const withExtras = await bundle(`{ accessToken: "t", hooks: { onRequest: console.log }, extras: transportExtras }`, ", transportExtras");
    for (const module of EXTRAS) expect(withExtras.shipped.some((file) => file.endsWith(module))).toBe(true);
  });

  it("carries the checker with `validate: validateInput`, and OAuth with `serverToServerOAuth`", async () => {
    const validated = await bundle(`{ accessToken: "t", validate: validateInput }`, ", validateInput");
    expect(validated.code).toContain(CHECKER);
    expect(validated.code).not.toContain(OAUTH);
    const oauth = await bundle(`{ oauth: serverToServerOAuth({ accountId: "a", clientId: "c", clientSecret: "s" }) }`, ", serverToServerOAuth");
    expect(oauth.code).toContain(OAUTH);
    expect(oauth.code).not.toContain(CHECKER);
  });
});
