/**
 * The generated Zoom webhook handler over real HTTP: a node:http server on 127.0.0.1 (port 0) runs
 * `createZoomWebhookHandler` through `toNodeListener`; requests are signed here, independently, with
 * node:crypto. Valid events of each type reach their typed handler; forged, unsigned, stale, replayed,
 * malformed, unknown and oversized requests get their status and never reach a handler; the secret
 * token appears in no answer, error or `inspect()` output.
 */
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT, TSX } from "../support/cli.js";
import {
  createZoomWebhookHandler,
  toNodeListener,
  type WebhookFailure,
  type WebhookHandlerOptions,
  type ZoomWebhookEvent,
  ConfigError,
} from "../../generated/index.js";

const SECRET = "zoom-webhook-secret-under-test-8f3a";
const OTHER_SECRET = "some-other-secret-token-1234";
const MAX_BODY_BYTES = 4096;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

// The documented examples of the spec's webhooks section, one per event.
const spec = parse(readFileSync(new URL("../../spec/zoom.yaml", import.meta.url), "utf8")) as {
  webhooks: Record<string, { post: { requestBody: { content: { "application/json": { examples: Record<string, { value: ZoomWebhookEvent }> } } } } }>;
};
const documented = Object.fromEntries(
  Object.entries(spec.webhooks).map(([name, item]) => [name, Object.values(item.post.requestBody.content["application/json"].examples)[0]!.value]),
) as Record<string, ZoomWebhookEvent>;
const eventNames = Object.keys(documented).filter((name) => name !== "endpoint.url_validation");

function sign(body: string | Buffer, timestamp: string, secret = SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;
}

function nowSeconds(offset = 0): string {
  return String(Math.floor(Date.now() / 1000) + offset);
}

function signedHeaders(body: string | Buffer, timestamp = nowSeconds()): Record<string, string> {
  return { "content-type": "application/json", "x-zm-request-timestamp": timestamp, "x-zm-signature": sign(body, timestamp) };
}

// ---- one server per test group, its handler options swappable per test ------------------------------

const received: { name: string; event: unknown }[] = [];
const failures: WebhookFailure[] = [];
const answers: Answer[] = [];
let arrival: () => void = () => undefined;
let listener: (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let origin: string;

function useHandler(overrides: Partial<WebhookHandlerOptions<ZoomWebhookEvent>> = {}): void {
  const record = (name: string) => (event: unknown) => {
    received.push({ name, event });
    arrival();
  };
  listener = toNodeListener(
    createZoomWebhookHandler({
      secretToken: SECRET,
      maxBodyBytes: MAX_BODY_BYTES,
      onError: (failure) => failures.push(failure),
      handlers: {
        "chat_channel.member_invited": (event) => record(event.event)(event),
        "group.member_added": (event) => record(event.event)(event),
        "group.member_deleted": (event) => record(event.event)(event),
        "meeting.registration_created": (event) => record(event.event)(event),
        "user.updated": (event) => record(event.event)(event),
      },
      ...overrides,
    }),
  ) as typeof listener;
}

beforeAll(async () => {
  useHandler();
  server = createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // Nothing the endpoint ever answered, in any test, carried the secret token.
  const everything = JSON.stringify(answers);
  expect(answers.length).toBeGreaterThan(20);
  expect(everything).not.toContain(SECRET);
});

afterEach(() => {
  received.length = 0;
  failures.length = 0;
  useHandler();
});

/** Sends one request with exactly these bytes and headers (nothing added but Host and Content-Length). */
function send(body: string | Buffer, headers: Record<string, string>, method = "POST"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}/zoom/webhook`, { method, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        const answer = { status: res.statusCode ?? 0, headers: res.headers, text };
        answers.push(answer);
        resolve(answer);
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

function sendEvent(event: unknown, headers?: Record<string, string>): Promise<Answer> {
  const body = JSON.stringify(event);
  return send(body, headers ?? signedHeaders(body));
}

/** Resolves when a handler has been called `count` times in all (handlers run after the 204). */
async function handlerCalls(count: number): Promise<void> {
  if (received.length >= count) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${count} handler calls`)), 5000);
    arrival = () => {
      if (received.length >= count) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
}

/** Gives a wrongly called handler time to run, then checks none was. */
async function expectNoHandlerCall(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(received).toEqual([]);
}

function errorOf(answer: Answer): { error: string; message: string } {
  expect(answer.headers["content-type"]).toBe("application/json");
  return JSON.parse(answer.text) as { error: string; message: string };
}

describe("signed events reach their typed handler", () => {
  it("covers every event of the spec's webhooks section", () => {
    expect(eventNames.sort()).toEqual(["chat_channel.member_invited", "group.member_added", "group.member_deleted", "meeting.registration_created", "user.updated"]);
  });

  it.each(eventNames)("%s: 204, then its handler gets the parsed event", async (name) => {
    const answer = await sendEvent(documented[name]);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    await handlerCalls(1);
    expect(received).toEqual([{ name, event: documented[name] }]);
  });

  it("verifies the raw bytes: odd key order, spacing and escapes pass; the same JSON re-serialised does not", async () => {
    const raw = '{ "payload" :{"object":{ "first_name":"J\\u00f6rg" , "id":"z8dsdsdsdsdCfp8uQ"},\n\t"account_id":"EAAAAAbbbbbCCCCHMA"},"event_ts":1700000000000,   "event":"user.updated"}';
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).not.toBe(raw);
    const headers = signedHeaders(raw);
    expect(sign(reserialised, headers["x-zm-request-timestamp"]!)).not.toBe(headers["x-zm-signature"]);

    expect((await send(reserialised, headers)).status).toBe(401); // a verifier that re-serialised would accept this pair
    expect((await send(raw, headers)).status).toBe(204);
    await handlerCalls(1);
    expect(received[0]!.event).toEqual({ event: "user.updated", event_ts: 1700000000000, payload: { account_id: "EAAAAAbbbbbCCCCHMA", object: { id: "z8dsdsdsdsdCfp8uQ", first_name: "Jörg" } } });
  });

  it("acknowledges a known event that has no handler, and calls nothing", async () => {
    useHandler({ handlers: {} });
    const answer = await sendEvent(documented["user.updated"]);
    expect(answer.status).toBe(204);
    await expectNoHandlerCall();
  });
});

describe("URL validation", () => {
  const challenge = documented["endpoint.url_validation"]!;

  it("answers 200 with plainToken and its HMAC, computed independently", async () => {
    const answer = await sendEvent(challenge);
    expect(answer.status).toBe(200);
    const plainToken = (challenge as { payload: { plainToken: string } }).payload.plainToken;
    expect(JSON.parse(answer.text)).toEqual({ plainToken, encryptedToken: createHmac("sha256", SECRET).update(plainToken).digest("hex") });
    await expectNoHandlerCall();
  });

  it("gives the spec's documented answer for its documented secret token", async () => {
    useHandler({ secretToken: "example-secret-token" });
    const body = JSON.stringify(challenge);
    const timestamp = nowSeconds();
    const answer = await send(body, { "x-zm-request-timestamp": timestamp, "x-zm-signature": sign(body, timestamp, "example-secret-token") });
    const documentedAnswer = spec.webhooks["endpoint.url_validation"]!.post as unknown as {
      responses: { "200": { content: { "application/json": { examples: { answer: { value: unknown } } } } } };
    };
    expect(JSON.parse(answer.text)).toEqual(documentedAnswer.responses["200"].content["application/json"].examples.answer.value);
  });

  it("refuses an unsigned challenge (no HMAC of chosen text for strangers)", async () => {
    const answer = await send(JSON.stringify(challenge), { "content-type": "application/json" });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain("encryptedToken");
  });

  it("refuses a challenge without plainToken with 400", async () => {
    const answer = await sendEvent({ event: "endpoint.url_validation", event_ts: 1, payload: {} });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).error).toBe("invalid_payload");
  });
});

describe("bad requests get their status and never reach a handler", () => {
  const event = documented["user.updated"]!;
  const body = JSON.stringify(event);

  it.each([
    ["a signature made with another secret", () => ({ ...signedHeaders(body), "x-zm-signature": sign(body, nowSeconds(), OTHER_SECRET) }), "invalid_signature"],
    ["a signature of another body", () => signedHeaders(body.replace("Harry", "Harri")), "invalid_signature"],
    ["a signature over another timestamp", () => ({ ...signedHeaders(body), "x-zm-request-timestamp": nowSeconds(-1) }), "invalid_signature"],
    ["a signature that is not v0=<64 hex>", () => ({ ...signedHeaders(body), "x-zm-signature": "v1=abc" }), "invalid_signature"],
    ["no x-zm-signature", () => ({ "x-zm-request-timestamp": nowSeconds() }), "missing_signature"],
    ["no x-zm-request-timestamp", () => ({ "x-zm-signature": sign(body, nowSeconds()) }), "missing_signature"],
    ["a timestamp that is not a number", () => ({ ...signedHeaders(body), "x-zm-request-timestamp": "yesterday" }), "stale_timestamp"],
    ["a correctly signed timestamp 6 minutes old", () => signedHeaders(body, nowSeconds(-360)), "stale_timestamp"],
    ["a correctly signed timestamp 6 minutes ahead", () => signedHeaders(body, nowSeconds(360)), "stale_timestamp"],
    ["a timestamp in milliseconds", () => signedHeaders(body, String(Date.now())), "stale_timestamp"],
  ])("%s: 401", async (_name, headers, code) => {
    const answer = await send(body, headers());
    expect(answer.status).toBe(401);
    expect(errorOf(answer).error).toBe(code);
    await expectNoHandlerCall();
  });

  it("refuses a replay of a request already accepted (401), even inside the window", async () => {
    const headers = signedHeaders(body);
    expect((await send(body, headers)).status).toBe(204);
    await handlerCalls(1);
    const replay = await send(body, headers);
    expect(replay.status).toBe(401);
    expect(errorOf(replay).error).toBe("replayed");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(received).toHaveLength(1);
  });

  it("honours a shorter window set by the caller", async () => {
    useHandler({ toleranceSeconds: 10 });
    const answer = await send(body, signedHeaders(body, nowSeconds(-60)));
    expect(answer.status).toBe(401);
    expect(errorOf(answer).error).toBe("stale_timestamp");
  });

  it.each([
    ["text that is not JSON", "event=user.updated"],
    ["JSON without an event", '{"payload":{}}'],
    ["a JSON array", "[]"],
    ["bytes that are not UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ])("signed %s: 400", async (_name, payload) => {
    const answer = await send(payload, signedHeaders(payload));
    expect(answer.status).toBe(400);
    expect(errorOf(answer).error).toBe("invalid_json");
    await expectNoHandlerCall();
  });

  it.each(["meeting.started", "constructor", "__proto__", "toString"])("a signed unknown event %s: 400 naming the events it accepts", async (name) => {
    const answer = await sendEvent({ event: name, event_ts: 1, payload: {} });
    expect(answer.status).toBe(400);
    const { error, message } = errorOf(answer);
    expect(error).toBe("unknown_event");
    expect(message).toContain(`"${name}"`);
    expect(message).toContain("user.updated");
    await expectNoHandlerCall();
  });

  it("a signed event that does not match its schema: 400 naming the field", async () => {
    const broken = structuredClone(documented["chat_channel.member_invited"]!) as { payload: { object: Record<string, unknown> } };
    delete broken.payload.object.id;
    broken.payload.object.type = 9;
    const answer = await sendEvent(broken);
    expect(answer.status).toBe(400);
    const { error, message } = errorOf(answer);
    expect(error).toBe("invalid_payload");
    expect(message).toContain("event.payload.object.id (required");
    expect(message).toContain("event.payload.object.type (enum");
    await expectNoHandlerCall();
  });

  it("a GET: 405 with Allow: POST", async () => {
    const answer = await send("", {}, "GET");
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("POST");
  });
});

describe("oversized bodies are refused before they are read", () => {
  it("by Content-Length: 413 without reading the body", async () => {
    const big = JSON.stringify({ ...documented["user.updated"]!, padding: "x".repeat(MAX_BODY_BYTES) });
    const answer = await send(big, signedHeaders(big));
    expect(answer.status).toBe(413);
    expect(errorOf(answer).error).toBe("body_too_large");
    await expectNoHandlerCall();
  });

  it("chunked, without Content-Length: 413 while the sender is still sending", async () => {
    const timestamp = nowSeconds();
    const answer = await new Promise<Answer & { sentBytes: number }>((resolve, reject) => {
      let sentBytes = 0;
      let answered = false;
      const req = httpRequest(
        `${origin}/zoom/webhook`,
        { method: "POST", headers: { "content-type": "application/json", "x-zm-request-timestamp": timestamp, "x-zm-signature": sign("irrelevant", timestamp) } },
        (res) => {
          answered = true;
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            const result = { status: res.statusCode ?? 0, headers: res.headers, text, sentBytes };
            answers.push(result);
            req.destroy();
            resolve(result);
          });
        },
      );
      req.on("error", (error) => (answered ? undefined : reject(error)));
      // Never ends the request: an answer can only come from a server that stopped reading early.
      const chunk = Buffer.alloc(1024, 0x20);
      const pump = (): void => {
        if (answered || sentBytes > 64 * MAX_BODY_BYTES) return;
        sentBytes += chunk.length;
        if (req.write(chunk)) setImmediate(pump);
        else req.once("drain", pump);
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(errorOf(answer).error).toBe("body_too_large");
    expect(answer.sentBytes).toBeLessThan(64 * MAX_BODY_BYTES);
    await expectNoHandlerCall();
  });
});

describe("handlers that fail", () => {
  const event = documented["group.member_added"]!;

  it("acknowledge before-handler (default): 204, the error goes to onError", async () => {
    useHandler({ handlers: { "group.member_added": () => Promise.reject(new Error("database down")) } });
    expect((await sendEvent(event)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.event).toBe("group.member_added");
    expect((failures[0]!.error as Error).message).toBe("database down");
  });

  it("without onError, logs the failure with console.error, and the log has no secret", async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      useHandler({ onError: undefined, handlers: { "group.member_added": () => Promise.reject(new Error("queue full")) } });
      expect((await sendEvent(event)).status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(1);
    expect(String(logged[0]![0])).toContain("group.member_added");
    expect(inspect(logged, { depth: 5 })).toContain("queue full");
    expect(inspect(logged, { depth: 5 })).not.toContain(SECRET);
  });

  it("acknowledge after-handler: the handler is awaited; a throw answers 500 so Zoom retries", async () => {
    let finished = false;
    useHandler({
      acknowledge: "after-handler",
      handlers: {
        "group.member_added": async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          finished = true;
        },
        "group.member_deleted": () => {
          throw new Error(`failed with ${SECRET.slice(0, 3)}`);
        },
      },
    });
    expect((await sendEvent(event)).status).toBe(204);
    expect(finished).toBe(true);
    const failed = await sendEvent(documented["group.member_deleted"]);
    expect(failed.status).toBe(500);
    expect(errorOf(failed)).toEqual({ error: "handler_failed", message: "The handler for group.member_deleted failed; Zoom will retry." });
    expect(failures.map((f) => f.event)).toEqual(["group.member_deleted"]);
  });
});

describe("adapters and configuration", () => {
  it("refuses, with a message saying why, a body another middleware already parsed", async () => {
    const parsedFirst = toNodeListener(createZoomWebhookHandler({ secretToken: SECRET, handlers: {} }));
    listener = (req, res) => {
      Object.assign(req, { body: { event: "user.updated" } }); // what express.json() leaves behind
      parsedFirst(req, res);
    };
    const answer = await sendEvent(documented["user.updated"]);
    expect(answer.status).toBe(500);
    expect(errorOf(answer).error).toBe("body_already_parsed");
  });

  it("accepts the raw Buffer that express.raw() leaves in req.body", async () => {
    const rawFirst = toNodeListener(createZoomWebhookHandler({ secretToken: SECRET, handlers: { "user.updated": (e) => void received.push({ name: e.event, event: e }) } }));
    listener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        Object.assign(req, { body: Buffer.concat(chunks) });
        rawFirst(req, res);
      });
    };
    expect((await sendEvent(documented["user.updated"])).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(received).toHaveLength(1);
  });

  it("the Request → Response handler runs without any server (edge runtimes, Next.js)", async () => {
    const handler = createZoomWebhookHandler({ secretToken: SECRET, handlers: {} });
    const body = JSON.stringify(documented["user.updated"]);
    const pending: Promise<unknown>[] = [];
    const response = await handler(new Request("https://example.com/zoom", { method: "POST", headers: signedHeaders(body), body }), { waitUntil: (p) => pending.push(p) });
    expect(response.status).toBe(204);
    expect(pending).toHaveLength(0); // no handler for the event, nothing scheduled
  });

  it("answers 400 when the body stream fails before its end, and calls nothing", async () => {
    const handler = createZoomWebhookHandler({ secretToken: SECRET, handlers: { "user.updated": () => void received.push({ name: "user.updated", event: null }) } });
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"event":"user.updated"'));
        controller.error(new Error("connection reset"));
      },
    });
    const request = new Request("https://example.com/zoom", { method: "POST", headers: signedHeaders("{}"), body: failing, duplex: "half" } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("unreadable_body");
    await expectNoHandlerCall();
  });

  it.each([
    ["an empty secret token", { secretToken: "", handlers: {} }, /secretToken/],
    ["a negative window", { secretToken: SECRET, toleranceSeconds: -1, handlers: {} }, /toleranceSeconds/],
    ["a zero body limit", { secretToken: SECRET, maxBodyBytes: 0, handlers: {} }, /maxBodyBytes/],
    ["a handler for an event the API does not have", { secretToken: SECRET, handlers: { "meeting.started": () => undefined } }, /handlers\.meeting\.started: not an event of this API/],
    ["a handler for the URL validation", { secretToken: SECRET, handlers: { "endpoint.url_validation": () => undefined } }, /answered by the webhook handler itself/],
  ])("throws ConfigError for %s, without the secret", (_name, options, message) => {
    let thrown: unknown;
    try {
      createZoomWebhookHandler(options as unknown as WebhookHandlerOptions<ZoomWebhookEvent>);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect(inspect(thrown)).not.toContain(SECRET);
  });

  it("keeps the secret out of inspect() of the handler and its listener", () => {
    const handler = createZoomWebhookHandler({ secretToken: SECRET, handlers: {} });
    expect(inspect(handler, { showHidden: true, depth: 10 })).not.toContain(SECRET);
    expect(inspect(toNodeListener(handler), { showHidden: true, depth: 10 })).not.toContain(SECRET);
  });
});

describe("scripts/webhook-demo.ts", () => {
  it("plays Zoom and an attacker against a local endpoint and gets every expected answer", async () => {
    const child = spawn(process.execPath, [TSX, "scripts/webhook-demo.ts"], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(output).not.toContain("FAIL");
    expect(output).toContain("handlers called: user.updated for z8dsdsdsdsdCfp8uQ");
    expect(status, output).toBe(0);
  });
});
