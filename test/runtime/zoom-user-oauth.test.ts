/**
 * Zoom user OAuth against a stand-in of zoom.us on 127.0.0.1 that behaves as Zoom does: it checks the
 * app's Basic credentials and the PKCE verifier, rotates refresh tokens (a used one answers
 * "Invalid Token!"), and revokes.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { AuthError, createMemoryTokenStore, createZoomClient, createZoomUserOAuth, type StoredToken, type TokenStore, type ZoomUserOAuthOptions } from "../../generated/index.js";
import { json, useFaultServer, type FaultServer, type RecordedRequest } from "../support/fault-server.js";
import { fileTokenStore } from "../support/file-token-store.js";
import { REPO_ROOT, TSX } from "../support/cli.js";
import { reply } from "../support/replay-server.js";
import { useTempDir } from "../support/temp-dir.js";

const CLIENT_ID = "client-id-1";
const CLIENT_SECRET = "client-secret-XYZ";
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
const REDIRECT = "https://app.example.com/zoom/callback";

let server: FaultServer;
useFaultServer((started) => (server = started));

/** The stand-in's state: issued codes (with their PKCE challenge), live refresh tokens, revoked tokens. */
interface Zoom {
  codes: Map<string, string>;
  liveRefresh: Set<string>;
  revoked: string[];
  refreshes: number;
  expiresIn: number;
  /** How long a refresh takes: long enough for concurrent callers to pile up. */
  refreshDelayMs: number;
}
let zoom: Zoom;

const form = (request: RecordedRequest) => new URLSearchParams(request.text());

beforeEach(() => {
  zoom = { codes: new Map(), liveRefresh: new Set(), revoked: [], refreshes: 0, expiresIn: 3600, refreshDelayMs: 30 };
  let issued = 0;
  const issue = () => {
    issued++;
    const refresh = `refresh-${issued}`;
    zoom.liveRefresh.add(refresh);
    return { access_token: `access-${issued}`, token_type: "bearer", refresh_token: refresh, expires_in: zoom.expiresIn, scope: "user:read" };
  };
  server.otherwise("/oauth/authorize", (request, res) => {
    const query = new Map(request.query);
    const code = `code-${zoom.codes.size + 1}`;
    zoom.codes.set(code, query.get("code_challenge") ?? "");
    res.writeHead(302, { location: `${REDIRECT}?code=${code}&state=${encodeURIComponent(query.get("state") ?? "")}` }).end();
  });
  server.otherwise("/oauth/token", async (request, res) => {
    if (request.headers.authorization !== BASIC) return reply(res, 401, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
    const body = form(request);
    if (body.get("grant_type") === "authorization_code") {
      const challenge = zoom.codes.get(body.get("code") ?? "");
      const verifier = body.get("code_verifier") ?? "";
      const expected = createHash("sha256").update(verifier).digest("base64url");
      if (challenge === undefined || challenge !== expected || body.get("redirect_uri") !== REDIRECT) {
        return reply(res, 400, { reason: "Invalid authorization code", error: "invalid_grant" });
      }
      zoom.codes.delete(body.get("code") ?? "");
      return reply(res, 200, issue());
    }
    if (body.get("grant_type") === "refresh_token") {
      zoom.refreshes++;
      const used = body.get("refresh_token") ?? "";
      // Zoom's answer to a refresh token that was already used (or revoked).
      if (!zoom.liveRefresh.delete(used)) return reply(res, 400, { reason: "Invalid Token!", error: "invalid_request" });
      await new Promise((resolve) => setTimeout(resolve, zoom.refreshDelayMs));
      return reply(res, 200, issue());
    }
    return reply(res, 400, { reason: "Unsupported grant type", error: "unsupported_grant_type" });
  });
  server.otherwise("/oauth/revoke", (request, res) => {
    if (request.headers.authorization !== BASIC) return reply(res, 401, { reason: "Invalid client", error: "invalid_client" });
    zoom.revoked.push(form(request).get("token") ?? "");
    zoom.liveRefresh.clear();
    reply(res, 200, { status: "success" });
  });
});

function userOAuth(options: Partial<ZoomUserOAuthOptions> = {}) {
  return createZoomUserOAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT,
    authorizeUrl: `${server.url}/oauth/authorize`,
    tokenUrl: `${server.url}/oauth/token`,
    revokeUrl: `${server.url}/oauth/revoke`,
    ...options,
  });
}

/** The user's trip through Zoom's consent page: follow the authorization URL to the callback. */
async function authorize(oauth: ReturnType<typeof userOAuth>, userKey = "u1") {
  const request = await oauth.authorizationUrl();
  const consent = await fetch(request.url, { redirect: "manual" });
  const callback = new URL(consent.headers.get("location")!);
  const code = callback.searchParams.get("code")!;
  const token = await oauth.exchangeCode({ userKey, code, state: callback.searchParams.get("state")!, expectedState: request.state, codeVerifier: request.codeVerifier });
  return { request, token, code };
}

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe("authorization URL and code exchange", () => {
  it("carries client_id, redirect_uri, a random state and an S256 challenge of the verifier", async () => {
    const oauth = userOAuth({ authorizeUrl: "https://zoom.us/oauth/authorize" });
    const { url, state, codeVerifier } = await oauth.authorizationUrl();
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe("https://zoom.us/oauth/authorize");
    const params = Object.fromEntries(parsed.searchParams);
    expect(params).toEqual({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      state,
      code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
      code_challenge_method: "S256",
    });
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(url).not.toContain(codeVerifier);
    const again = await oauth.authorizationUrl();
    expect(again.state).not.toBe(state);
    expect(again.codeVerifier).not.toBe(codeVerifier);
  });

  it("exchanges the code with Basic auth and the PKCE verifier, and stores the user's tokens", async () => {
    const store = createMemoryTokenStore();
    const oauth = userOAuth({ tokenStore: store });
    const { token } = await authorize(oauth);
    expect(token).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-1", scope: "user:read" });
    expect(await store.get(`zoom-user:${CLIENT_ID}:u1`)).toEqual(token);
    const exchange = server.requests.find((r) => r.path === "/oauth/token")!;
    expect(exchange.headers.authorization).toBe(BASIC);
    expect(exchange.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(form(exchange).get("grant_type")).toBe("authorization_code");
    expect(await oauth.getAccessToken("u1")).toBe("access-1");
  });

  it("refuses a callback whose state does not match, sending nothing; a wrong verifier is Zoom's invalid_grant", async () => {
    const oauth = userOAuth();
    const request = await oauth.authorizationUrl();
    const forged = await failure(oauth.exchangeCode({ userKey: "u1", code: "code-1", state: "forged", expectedState: request.state, codeVerifier: request.codeVerifier }));
    expect(forged.message).toMatch(/state does not match/);
    expect(server.count("/oauth/token")).toBe(0);

    const consent = await fetch(request.url, { redirect: "manual" });
    const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
    const wrong = await failure(oauth.exchangeCode({ userKey: "u1", code, state: request.state, expectedState: request.state, codeVerifier: "x".repeat(43) }));
    expect(wrong.status).toBe(400);
    expect(wrong.message).toMatch(/invalid_grant/);
  });
});

describe("refresh and rotation", () => {
  it("refreshes before expiry (within the margin), storing the rotated pair before handing out the token", async () => {
    zoom.expiresIn = 30; // less than the 60 s margin: due for refresh at once
    const writes: StoredToken[] = [];
    const memory = createMemoryTokenStore();
    const store: TokenStore = { get: (key) => memory.get(key), set: (key, token) => (writes.push(token), memory.set(key, token)) };
    const oauth = userOAuth({ tokenStore: store });
    await authorize(oauth);
    expect(await oauth.getAccessToken("u1")).toBe("access-2");
    expect(writes.map((t) => t.refreshToken)).toEqual(["refresh-1", "refresh-2"]);
    const refresh = server.requests.filter((r) => r.path === "/oauth/token")[1]!;
    expect(Object.fromEntries(form(refresh))).toEqual({ grant_type: "refresh_token", refresh_token: "refresh-1" });
    expect(refresh.headers.authorization).toBe(BASIC);
  });

  it("does not refresh a token that is not yet due", async () => {
    const oauth = userOAuth();
    await authorize(oauth);
    for (let i = 0; i < 3; i++) expect(await oauth.getAccessToken("u1")).toBe("access-1");
    expect(zoom.refreshes).toBe(0);
  });

  it("the old refresh token is refused after use (as Zoom does), and the error says to authorise again", async () => {
    zoom.expiresIn = 30;
    const store = createMemoryTokenStore();
    const oauth = userOAuth({ tokenStore: store });
    const { token: first } = await authorize(oauth);
    await oauth.getAccessToken("u1"); // rotates refresh-1 → refresh-2
    // A stale copy of the old pair (say, a backup restored) cannot refresh any more.
    const stale = createMemoryTokenStore();
    await stale.set(`zoom-user:${CLIENT_ID}:u1`, first);
    const error = await failure(userOAuth({ tokenStore: stale }).getAccessToken("u1"));
    expect(error.message).toMatch(/answered 400: invalid_request: Invalid Token!.*authorise the app again/);
    // The rotated pair in the real store still works.
    expect(await oauth.getAccessToken("u1", { forceRefresh: true })).toBe("access-3");
  });

  it("50 concurrent calls for one user make one refresh", async () => {
    zoom.expiresIn = 30;
    const oauth = userOAuth();
    await authorize(oauth);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => oauth.getAccessToken("u1")));
    expect(new Set(tokens)).toEqual(new Set(["access-2"]));
    expect(zoom.refreshes).toBe(1);
  });

  it("with a shared store that locks, two helpers (as two processes would) make one refresh between them", async () => {
    zoom.expiresIn = 30;
    const memory = createMemoryTokenStore();
    const locks = new Map<string, Promise<unknown>>();
    let lockCalls = 0;
    const shared: TokenStore = {
      get: (key) => memory.get(key),
      set: (key, token) => memory.set(key, token),
      // A mutex per key, standing in for the Redis lock: holders run one after another.
      withLock: async (key, ttlMs, fn) => {
        lockCalls++;
        expect(ttlMs).toBeGreaterThan(0);
        const previous = locks.get(key) ?? Promise.resolve();
        const run = previous.catch(() => undefined).then(fn);
        locks.set(key, run);
        return run;
      },
    };
    const first = userOAuth({ tokenStore: shared });
    const second = userOAuth({ tokenStore: shared });
    await authorize(first);
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).getAccessToken("u1")));
    expect(new Set(tokens)).toEqual(new Set(["access-2"]));
    expect(zoom.refreshes).toBe(1);
    expect(lockCalls).toBe(2); // one per helper: each process single-flights, the lock orders the two
  });

  it("refuses to hand out a rotated token it could not store", async () => {
    zoom.expiresIn = 30;
    const memory = createMemoryTokenStore();
    let broken = false;
    const store: TokenStore = {
      get: (key) => memory.get(key),
      set: (key, token) => {
        if (broken) throw new Error("store down");
        memory.set(key, token);
      },
    };
    const oauth = userOAuth({ tokenStore: store });
    await authorize(oauth);
    broken = true;
    const error = await failure(oauth.getAccessToken("u1"));
    expect(error.message).toMatch(/could not be stored \(store down\)/);
  });
});

describe("a failing store", () => {
  it("an unreadable store is an AuthError that says so", async () => {
    const oauth = userOAuth({ tokenStore: { get: () => Promise.reject(new Error("connection lost")), set: () => undefined } });
    const error = await failure(oauth.getAccessToken("u1"));
    expect(error.message).toMatch(/Could not read the user's tokens from the token store: connection lost/);
  });
});

describe("across real processes sharing one store", () => {
  const tempDir = useTempDir("zoomgen-user-oauth-");

  /** Starts `count` worker processes, releases them at once, and returns what each got. */
  async function fleet(storeDir: string, count: number, calls: number, lock: "lock" | "nolock"): Promise<string[][]> {
    const workers = Array.from({ length: count }, () =>
      spawn(process.execPath, [TSX, "test/support/user-oauth-worker.ts", storeDir, server.url, String(calls), lock], { cwd: REPO_ROOT }),
    );
    const lines = workers.map(
      (worker) =>
        new Promise<string[]>((resolve, reject) => {
          let out = "";
          let err = "";
          worker.stderr.on("data", (chunk: Buffer) => (err += chunk));
          worker.stdout.on("data", (chunk: Buffer) => (out += chunk));
          worker.on("exit", (code) => (code === 0 ? resolve(out.trim().split("\n")) : reject(new Error(`worker exited ${code}: ${err}`))));
        }),
    );
    // Wait until every worker is loaded, then release them together so that their refreshes race.
    await Promise.all(workers.map((worker) => new Promise<void>((resolve) => worker.stdout.once("data", () => resolve()))));
    for (const worker of workers) worker.stdin.end("go\n");
    return (await Promise.all(lines)).map((output) => JSON.parse(output.at(-1)!) as string[]);
  }

  async function prepare(name: string): Promise<string> {
    const dir = path.join(tempDir(), name);
    await mkdir(dir);
    zoom.expiresIn = 30; // the first token is due for refresh...
    await authorize(userOAuth({ tokenStore: fileTokenStore(dir) }));
    zoom.expiresIn = 3600; // ...the refreshed one is not
    zoom.refreshDelayMs = 500; // processes released together all arrive while the first refresh is under way
    return dir;
  }

  it("3 processes × 20 calls on an expiring token: one refresh, one token for all", { timeout: 60_000 }, async () => {
    const results = await fleet(await prepare("locked"), 3, 20, "lock");
    expect(new Set(results.flat())).toEqual(new Set(["access-2"]));
    expect(zoom.refreshes).toBe(1);
  });

  it("without the store's lock the same race refreshes more than once and loses users (what withLock prevents)", { timeout: 60_000 }, async () => {
    const results = await fleet(await prepare("unlocked"), 3, 20, "nolock");
    expect(zoom.refreshes).toBeGreaterThan(1);
    expect(results.flat().some((r) => r.includes("Invalid Token!"))).toBe(true);
  });
});

describe("with the client, revocation and secrets", () => {
  it("the client sends the user's token, and after a 401 code 124 uses one refreshed token", async () => {
    const oauth = userOAuth();
    await authorize(oauth);
    server.script("/v2/users/me", json(401, { code: 124, message: "Invalid access token." }), json(200, { id: "me-id" }));
    const client = createZoomClient({ accessToken: oauth.accessToken("u1"), baseUrl: `${server.url}/v2` });
    expect(await client.users.getUser({ path: { userId: "me" } })).toEqual({ id: "me-id" });
    const calls = server.requests.filter((r) => r.path === "/v2/users/me").map((r) => r.headers.authorization);
    expect(calls).toEqual(["Bearer access-1", "Bearer access-2"]);
    expect(zoom.refreshes).toBe(1);
  });

  it("revokes at Zoom with Basic auth and forgets the user's tokens", async () => {
    const oauth = userOAuth();
    await authorize(oauth);
    await oauth.revoke("u1");
    expect(zoom.revoked).toEqual(["access-1"]);
    expect(server.requests.find((r) => r.path === "/oauth/revoke")?.headers.authorization).toBe(BASIC);
    const error = await failure(oauth.getAccessToken("u1"));
    expect(error.message).toMatch(/must authorise the app/);
  });

  it("never puts the client secret, the Basic credential or a token in an error, even when the server echoes them", async () => {
    zoom.expiresIn = 30;
    const oauth = userOAuth();
    await authorize(oauth);
    server.script("/oauth/token", (request, res) =>
      reply(res, 400, { error: "invalid_request", reason: `echo ${request.headers.authorization} ${request.text()} ${CLIENT_SECRET}` }),
    );
    const error = await failure(oauth.getAccessToken("u1"));
    const shown = `${error.message} ${error.body ?? ""} ${String(error.stack)}`;
    for (const secret of [CLIENT_SECRET, BASIC.slice(6), "refresh-1", "access-1"]) expect(shown).not.toContain(secret);
    expect(shown).toContain("[REDACTED]");
  });

  it("says what is wrong with its options", () => {
    expect(() => createZoomUserOAuth({ clientId: "", clientSecret: "s", redirectUri: REDIRECT })).toThrow(/userOAuth\.clientId must be a non-empty string/);
    expect(() => userOAuth({ timeoutMs: -1 })).toThrow(/userOAuth\.timeoutMs must be a number/);
    expect(() => userOAuth({ timeoutMs: 40_000, lockTtlMs: 30_000 })).toThrow(/lockTtlMs must be longer than userOAuth\.timeoutMs/);
  });
});
