/**
 * The replay server itself, over real HTTP: it must serve recordings exactly and record
 * requests exactly, or every contract built on it proves nothing.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startReplayServer, zoomError, type ReplayServer } from "../support/replay-server.js";
import { loadFixtures, replayOf } from "../support/postman.js";

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

/** A raw HTTP/1.1 exchange, to see the response exactly as it was put on the wire. */
function rawExchange(path: string, method = "GET"): Promise<{ status: number; statusMessage: string; rawHeaders: string[]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("replay server", () => {
  it("listens on 127.0.0.1 with an ephemeral port", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it("answers 500 with a clear text until a response is configured", async () => {
    const fresh = await startReplayServer();
    try {
      const res = await fetch(`${fresh.url}/x`);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain("no response configured");
    } finally {
      await fresh.close();
    }
  });

  it("serves status, reason, headers in recorded order and casing, and body bytes exactly", async () => {
    const body = Buffer.from([0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x3a, 0x31, 0x7d]); // {"é":1}
    server.respondWith({
      status: 201,
      statusText: "Created",
      headers: [
        ["Content-Location", "quis officia in reprehenderit"],
        ["Content-Type", "application/json"],
        ["X-Twice", "a"],
        ["X-Twice", "b"],
      ],
      body,
    });
    const res = await rawExchange("/im/groups", "POST");
    expect(res.status).toBe(201);
    expect(res.statusMessage).toBe("Created");
    expect(res.body.equals(body)).toBe(true);
    const names = res.rawHeaders.filter((_, i) => i % 2 === 0);
    expect(names.slice(0, 4)).toEqual(["Content-Location", "Content-Type", "X-Twice", "X-Twice"]);
    expect(res.rawHeaders.slice(0, 8)).toEqual([
      "Content-Location", "quis officia in reprehenderit",
      "Content-Type", "application/json",
      "X-Twice", "a",
      "X-Twice", "b",
    ]);
    expect(names).not.toContain("Date");
    expect(res.rawHeaders).toContain("Content-Length");
  });

  it("serves a recorded empty text/plain error as an empty body with its status", async () => {
    server.respondWith({ status: 404, headers: [["Content-Type", "text/plain"]], body: "" });
    const res = await fetch(`${server.url}/users/x`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("");
  });

  it("keeps the 204's headers; HTTP itself carries no body on a 204", async () => {
    server.respondWith({ status: 204, headers: [["Content-Type", "application/json"]], body: "{}" });
    const res = await rawExchange("/groups/a/members/b", "PATCH");
    expect(res.status).toBe(204);
    expect(res.rawHeaders.slice(0, 2)).toEqual(["Content-Type", "application/json"]);
    expect(res.body.byteLength).toBe(0);
  });

  it("serves every recorded fixture response with its status, headers and body", async () => {
    for (const { item } of loadFixtures()) {
      for (const recorded of item.response) {
        const replay = replayOf(recorded);
        server.respondWith(replay);
        const res = await fetch(`${server.url}/`);
        const where = `${item.name} › ${recorded.code}`;
        expect(res.status, where).toBe(recorded.code);
        for (const h of recorded.header ?? []) expect(res.headers.get(h.key), `${where} header ${h.key}`).toBe(h.value);
        expect(await res.text(), where).toBe(recorded.code === 204 ? "" : (recorded.body ?? ""));
      }
    }
  });

  it("records method, raw path, query, headers and raw body bytes", async () => {
    server.respondWith({ status: 200, body: "ok" });
    const body = "caf\u00e9 \u{1F600}";
    await fetch(`${server.url}/users/a%20b%2Fc?login_type=100&x=1&x=2&e=a%2Bb`, {
      method: "POST",
      headers: { Authorization: "Bearer t0k3n", "Content-Type": "text/plain; charset=utf-8", "X-Custom": "One" },
      body,
    });
    const got = server.lastRequest();
    expect(server.requests).toHaveLength(1);
    expect(got.method).toBe("POST");
    expect(got.rawPath).toBe("/users/a%20b%2Fc?login_type=100&x=1&x=2&e=a%2Bb");
    expect(got.path).toBe("/users/a%20b%2Fc");
    expect(got.rawQuery).toBe("login_type=100&x=1&x=2&e=a%2Bb");
    expect(got.query).toEqual([["login_type", "100"], ["x", "1"], ["x", "2"], ["e", "a+b"]]);
    expect(got.headers.authorization).toBe("Bearer t0k3n");
    expect(got.rawHeaders).toContain("X-Custom");
    expect(got.body.equals(Buffer.from(body, "utf8"))).toBe(true);
    expect(got.text()).toBe(body);
  });

  it("parses a multipart body with the platform's own parser", async () => {
    server.respondWith({ status: 200 });
    const form = new FormData();
    form.append("members", '[{"email":"a@b.co"}]');
    form.append("action", "move");
    await fetch(`${server.url}/x`, { method: "PATCH", body: form });
    const got = server.lastRequest();
    expect(String(got.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    const parsed = await got.formData();
    expect([...parsed.entries()]).toEqual([
      ["members", '[{"email":"a@b.co"}]'],
      ["action", "move"],
    ]);
  });

  it("parses JSON bodies and says what it got when they are not JSON", async () => {
    server.respondWith({ status: 200 });
    await fetch(`${server.url}/j`, { method: "POST", body: '{"a":[1,true]}', headers: { "content-type": "application/json" } });
    expect(server.lastRequest().json()).toEqual({ a: [1, true] });
    await fetch(`${server.url}/j`, { method: "POST", body: "nope" });
    expect(() => server.lastRequest().json()).toThrow(/body is not JSON: "nope"/);
  });

  it("answers from a handler, and a failing handler becomes a 500 that says why", async () => {
    server.respondWith((req) => ({ status: req.method === "GET" ? 200 : 405, body: req.path }));
    expect(await (await fetch(`${server.url}/p`)).text()).toBe("/p");
    expect((await fetch(`${server.url}/p`, { method: "DELETE" })).status).toBe(405);
    server.respondWith(() => {
      throw new Error("boom");
    });
    const res = await fetch(`${server.url}/p`);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("handler failed: boom");
  });

  it("can drop the connection instead of answering, and wait before answering", async () => {
    server.respondWith({ status: 200, fault: "reset" });
    await expect(fetch(`${server.url}/reset`)).rejects.toThrow();
    expect(server.lastRequest().path).toBe("/reset");
    server.respondWith({ status: 200, body: "late", delayMs: 120 });
    const started = Date.now();
    expect(await (await fetch(`${server.url}/slow`)).text()).toBe("late");
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("serves the live API's JSON error shape {code, message}", async () => {
    server.respondWith(zoomError(409, 4132, "Group name Excepteur is already in use."));
    const res = await fetch(`${server.url}/im/groups`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-zm-trackingid")).toBeTruthy();
    expect(await res.json()).toEqual({ code: 4132, message: "Group name Excepteur is already in use." });
  });

  it("can stop recording (for benchmarks) and close with keep-alive connections open", async () => {
    const quiet = await startReplayServer({ record: false, response: { status: 200, body: "x" } });
    await fetch(`${quiet.url}/a`);
    await fetch(`${quiet.url}/b`);
    expect(quiet.requests).toHaveLength(0);
    expect(() => quiet.lastRequest()).toThrow(/no request has arrived/);
    await quiet.close();
    await expect(fetch(`${quiet.url}/c`)).rejects.toThrow();
  });
});
