/**
 * The full client's transport in Node (runtime/node-http-fetch.ts) keeps fetch's contract: each case runs
 * against a real server on 127.0.0.1 through it and through Node's own fetch, and both must see and
 * return the same.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRuntime, type OperationSpec } from "@zoomgen/runtime";
import { createNodeHttpFetch } from "../../runtime/node-http-fetch.js";
import { ATTEMPT_CANCEL, BODY_BYTES, WHOLE_BODY, type OnAttemptCancel } from "../../runtime/types.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const routes: Record<string, Handler> = {
  "/json": (_req, res) => {
    res.setHeader("set-cookie", ["a=1", "b=2"]);
    res.writeHead(200, "Fine", { "content-type": "application/json", "x-trace": "t1" });
    res.end(JSON.stringify({ ok: true, name: "Café 日本" }));
  },
  "/echo": (req, res, body) => {
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify({ method: req.method, type: req.headers["content-type"] ?? null, length: req.headers["content-length"] ?? null, body }));
  },
  "/gzip": (_req, res) => {
    res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain" });
    res.end(gzipSync("gzipped text"));
  },
  "/deflate": (_req, res) => {
    res.writeHead(200, { "content-encoding": "deflate" });
    res.end(deflateSync("deflated text"));
  },
  "/br": (_req, res) => {
    res.writeHead(200, { "content-encoding": "br" });
    res.end(brotliCompressSync("brotli text"));
  },
  "/empty": (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  "/not-found": (_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"code":1001,"message":"User does not exist"}');
  },
  "/see-other": (_req, res) => {
    res.writeHead(303, { location: "/echo" });
    res.end("moved");
  },
  "/temporary": (_req, res) => {
    res.writeHead(307, { location: "/echo" });
    res.end();
  },
  "/loop": (_req, res) => {
    res.writeHead(302, { location: "/loop" });
    res.end();
  },
  "/cut": (_req, res) => {
    // Promises 100 bytes, sends 5, then the connection drops.
    res.writeHead(200, { "content-length": "100" });
    res.write("hello");
    setTimeout(() => res.socket?.destroy(), 20);
  },
  "/slow-body": (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("first;");
    const timer = setTimeout(() => res.end("second"), 300);
    res.on("close", () => clearTimeout(timer));
  },
  "/hang": (req) => void hanging.push(req.socket), // never answers
};

const hanging: import("node:net").Socket[] = [];
let main: Awaited<ReturnType<typeof listen>>;
let other: Awaited<ReturnType<typeof listen>>;
const nodeFetch = createNodeHttpFetch()!;

beforeAll(async () => {
  main = await listen((req, res, body) => {
    const route = routes[new URL(req.url!, "http://x").pathname];
    if (route) route(req, res, body);
    else if (req.url === "/to-other") {
      res.writeHead(302, { location: `${other.url}/echo` });
      res.end();
    } else {
      res.writeHead(500);
      res.end();
    }
  });
  other = await listen((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("other origin");
  });
});
afterAll(async () => {
  for (const { server } of [main, other]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterEach(() => {
  main.seen.length = 0;
  other.seen.length = 0;
});

/** What a response says, read whole: the fields a caller of fetch relies on. */
async function answer(response: Response) {
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    url: response.url,
    redirected: response.redirected,
    contentType: response.headers.get("content-type"),
    setCookie: response.headers.getSetCookie(),
    body: await response.text(),
  };
}

/** Runs `init` on `path` through Node's fetch and the transport; returns both answers and what the server saw. */
async function both(path: string, init: RequestInit = {}) {
  const viaFetch = await answer(await fetch(`${main.url}${path}`, init));
  const seenByFetch = main.seen.splice(0);
  const viaNode = await answer(await nodeFetch(`${main.url}${path}`, init));
  const seenByNode = main.seen.splice(0);
  return { viaFetch, viaNode, seenByFetch, seenByNode };
}

describe("node:http transport, side by side with Node's fetch", () => {
  it("is there in Node", () => {
    expect(typeof nodeFetch).toBe("function");
  });

  it.each(["/json", "/gzip", "/deflate", "/br", "/empty", "/not-found"])("answers %s as fetch does", async (path) => {
    const { viaFetch, viaNode } = await both(path, { headers: new Headers({ authorization: "Bearer t" }) });
    expect(viaNode).toEqual(viaFetch);
  });

  it("sends a string body with its length and fetch's default content type, and keeps a given one", async () => {
    const plain = await both("/echo", { method: "POST", body: "héllo" });
    expect(plain.viaNode).toEqual(plain.viaFetch);
    expect(JSON.parse(plain.viaNode.body)).toEqual({ method: "POST", type: "text/plain;charset=UTF-8", length: "6", body: "héllo" });
    const json = await both("/echo", { method: "PUT", body: '{"a":1}', headers: { "Content-Type": "application/json" } });
    expect(json.viaNode).toEqual(json.viaFetch);
    expect(JSON.parse(json.viaNode.body).type).toBe("application/json");
  });

  it("sends bytes, an empty POST with content-length 0, and what fetch sends for accept and accept-encoding", async () => {
    const bytes = await both("/echo", { method: "PATCH", body: new TextEncoder().encode("raw") });
    expect(JSON.parse(bytes.viaNode.body)).toMatchObject({ method: "PATCH", length: "3", body: "raw" });
    const empty = await both("/echo", { method: "POST" });
    expect(JSON.parse(empty.viaNode.body)).toMatchObject({ length: "0", body: "" });
    expect(empty.seenByNode[0]!.headers["accept"]).toBe(empty.seenByFetch[0]!.headers["accept"]);
    expect(empty.seenByNode[0]!.headers["accept-encoding"]).toContain("gzip");
  });

  it("follows a 303 with a GET and no body, and a 307 with the same method and body", async () => {
    const seeOther = await both("/see-other", { method: "POST", body: "x", headers: { "content-type": "text/plain" } });
    expect(seeOther.viaNode).toEqual(seeOther.viaFetch);
    expect(JSON.parse(seeOther.viaNode.body)).toMatchObject({ method: "GET", body: "" });
    expect(seeOther.viaNode.redirected).toBe(true);
    const temporary = await both("/temporary", { method: "POST", body: "kept" });
    expect(temporary.viaNode).toEqual(temporary.viaFetch);
    expect(JSON.parse(temporary.viaNode.body)).toMatchObject({ method: "POST", body: "kept" });
  });

  it("drops the credentials on a redirect to another origin, as fetch does", async () => {
    const init = { headers: { authorization: "Bearer secret", cookie: "s=1", "x-keep": "yes" } };
    const viaFetch = await answer(await fetch(`${main.url}/to-other`, init));
    const byFetch = other.seen.splice(0);
    const viaNode = await answer(await nodeFetch(`${main.url}/to-other`, init));
    const byNode = other.seen.splice(0);
    expect(viaNode).toEqual(viaFetch);
    expect(byNode[0]!.headers["authorization"]).toBeUndefined();
    expect(byNode[0]!.headers["cookie"]).toBe(byFetch[0]!.headers["cookie"]);
    expect(byNode[0]!.headers["authorization"]).toBe(byFetch[0]!.headers["authorization"]);
    expect(byNode[0]!.headers["x-keep"]).toBe("yes");
  });

  it("returns a redirect as it is with redirect: manual, and rejects with redirect: error or after 20 hops", async () => {
    const manual = await both("/see-other", { redirect: "manual" });
    expect(manual.viaNode).toEqual(manual.viaFetch);
    expect(manual.viaNode.status).toBe(303);
    const error = await nodeFetch(`${main.url}/see-other`, { redirect: "error" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
    const loop = await nodeFetch(`${main.url}/loop`, {}).catch((e: unknown) => e);
    expect(loop).toBeInstanceOf(TypeError);
    expect(String((loop as Error).cause)).toContain("redirect count exceeded");
    expect(main.seen.length).toBe(1 + 21);
  });

  it("resolves at the headers and streams the body as it comes", async () => {
    const response = await nodeFetch(`${main.url}/slow-body`, {});
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first;");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("second");
  });

  it("fails a body cut short as fetch does: the headers resolve, reading rejects with a TypeError", async () => {
    const viaFetch = await fetch(`${main.url}/cut`).then((r) => r.text()).catch((e: unknown) => e);
    const viaNode = await nodeFetch(`${main.url}/cut`, {}).then((r) => r.text()).catch((e: unknown) => e);
    expect(viaFetch).toBeInstanceOf(TypeError);
    expect(viaNode).toBeInstanceOf(TypeError);
    expect((viaNode as Error).message).toBe((viaFetch as Error).message);
  });

  it("rejects a refused connection with TypeError('fetch failed') and ECONNREFUSED as its cause", async () => {
    const error = await nodeFetch("http://127.0.0.1:1/x", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
    expect((error as { cause: { code: string } }).cause.code).toBe("ECONNREFUSED");
  });

  it("rejects with the signal's reason when aborted before the answer, or while the body streams", async () => {
    const before = AbortSignal.timeout(100);
    const hung = await nodeFetch(`${main.url}/hang`, { signal: before }).catch((e: unknown) => e);
    expect(hung).toBe(before.reason);
    expect((hung as Error).name).toBe("TimeoutError");

    const controller = new AbortController();
    const response = await nodeFetch(`${main.url}/slow-body`, { signal: controller.signal });
    const reading = response.text().catch((e: unknown) => e);
    controller.abort(new Error("stop"));
    expect(await reading).toBe(controller.signal.reason);

    const already = AbortSignal.abort();
    expect(await nodeFetch(`${main.url}/json`, { signal: already }).catch((e: unknown) => e)).toBe(already.reason);
  });

  it("takes the runtime's cancel hook instead of reading init.signal, and closes the connection when the attempt ends", async () => {
    let cancel: ((reason: unknown) => void) | undefined;
    const init = {
      get signal(): AbortSignal {
        throw new Error("init.signal was read");
      },
      [ATTEMPT_CANCEL]: ((fn) => (cancel = fn)) satisfies OnAttemptCancel,
    };
    hanging.length = 0;
    const pending = nodeFetch(`${main.url}/hang`, init as RequestInit).catch((e: unknown) => e);
    while (hanging.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = new Promise((resolve) => (hanging[0]!.destroyed ? resolve(undefined) : hanging[0]!.once("close", resolve)));
    const reason = new Error("timed out");
    cancel!(reason);
    expect(await pending).toBe(reason);
    await closed; // the server saw the connection go: nothing is left holding it
    main.seen.length = 0;

    // An attempt that ended before the request was made: the hook calls back at once and nothing is sent.
    const ended = { [ATTEMPT_CANCEL]: ((fn) => fn(reason)) satisfies OnAttemptCancel };
    expect(await nodeFetch(`${main.url}/json`, ended as RequestInit).catch((e: unknown) => e)).toBe(reason);
    expect(main.seen).toEqual([]);
  });

  it("keeps the whole body's bytes beside a body-less Response when the runtime reads it all (WHOLE_BODY)", async () => {
    const init = () => ({ [ATTEMPT_CANCEL]: ((_fn) => undefined) satisfies OnAttemptCancel, [WHOLE_BODY]: true }) as RequestInit;
    const bytesOf = (response: Response) => (response as unknown as { [BODY_BYTES]: Promise<ArrayBuffer> })[BODY_BYTES];
    const gzip = await nodeFetch(`${main.url}/gzip`, init());
    expect(gzip.body).toBeNull();
    expect(new TextDecoder().decode(await bytesOf(gzip))).toBe("gzipped text");
    const cut = await nodeFetch(`${main.url}/cut`, init());
    const error = await bytesOf(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("terminated");
    // Without the runtime's hook the flag is ignored: a plain fetch caller always gets a body.
    const plain = await nodeFetch(`${main.url}/json`, { [WHOLE_BODY]: true } as RequestInit);
    expect(JSON.parse(await plain.text())).toEqual({ ok: true, name: "Café 日本" });
  });

  it("gives a call the whole body without a web stream, with the default timeout and with none (timeoutMs: Infinity)", async () => {
    const json: OperationSpec = { id: "json", method: "GET", path: "/json", idempotent: true, successes: { "200": "json" } };
    for (const timeoutMs of [undefined, Infinity]) {
      const runtime = createRuntime({ accessToken: "t", baseUrl: main.url, fetch: createNodeHttpFetch(), timeoutMs }, { sdkName: "t", sdkVersion: "1", defaultBaseUrl: main.url });
      const { data, response } = await runtime.call<{ name: string }>(json, undefined).withResponse();
      expect(data.name).toBe("Café 日本");
      // The bytes came beside the Response (BODY_BYTES): it has no body of its own, as docs/RUNTIME.md says.
      expect(response.body, `timeoutMs: ${String(timeoutMs)}`).toBeNull();
      expect(response.headers.get("x-trace")).toBe("t1");
    }
  });

  it("leaves a FormData body, and any fetch the app installed, to the global fetch", async () => {
    const form = new FormData();
    form.set("name", "g");
    const viaNode = await nodeFetch(`${main.url}/echo`, { method: "POST", body: form });
    expect(JSON.parse(await viaNode.text()).type).toMatch(/^multipart\/form-data; boundary=/);

    const original = globalThis.fetch;
    const urls: string[] = [];
    globalThis.fetch = (input, init) => {
      urls.push(String(input));
      return original(input, init);
    };
    try {
      await (await nodeFetch(`${main.url}/json`, {})).text();
    } finally {
      globalThis.fetch = original;
    }
    expect(urls).toEqual([`${main.url}/json`]);
  });
});
