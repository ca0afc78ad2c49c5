/**
 * runtime/body.ts through `runtime.call` on a real server on 127.0.0.1: a streamed upload gets one
 * attempt (a stream cannot be resent), a streamed download is cancelled by the call's signal and an
 * error answer to it is still a decoded `ApiError`, wildcard media types send a real Content-Type, and
 * an error body is decoded into `ApiError.data` (an API's own `{error, detail}`, Zoom's `{code, message}`).
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, isOperationError, NotFoundError, ServerError, type OperationSpec } from "../../runtime/index.js";
import { reply, startRecordingServer, type RecordedRequest, type RecordingServer } from "../support/replay-server.js";
import { getUser, runtimeFor } from "./fixtures.js";

let server: RecordingServer;
let holdOpen: ServerResponse | undefined;
beforeAll(async () => {
  server = await startRecordingServer((request: RecordedRequest, res) => {
    if (request.path === "/v2/blobs/busy") return reply(res, 503, { error: "busy", detail: "try later" });
    if (request.path === "/v2/blobs/held") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write(Buffer.from([1, 2, 3]));
      holdOpen = res; // never ended: only the caller's signal ends this download
      return new Promise<void>((resolve) => res.on("close", resolve));
    }
    if (request.path === "/v2/users/gone") return reply(res, 404, { code: 1001, message: "User does not exist: gone" });
    if (request.path === "/v2/users/other") return reply(res, 404, { error: "not_found", detail: "no such user" });
    return reply(res, 204);
  });
});
afterAll(async () => {
  holdOpen?.destroy();
  await server.close();
});

const upload: OperationSpec = {
  id: "upload",
  method: "PUT",
  path: "/blobs/{name}",
  idempotent: true,
  requestBody: { required: true, mediaTypes: ["application/octet-stream"] },
  successes: { "204": "empty" },
};
const download: OperationSpec = { id: "download", method: "GET", path: "/blobs/{name}", idempotent: true, successes: { "200": "binary" }, errors: { "5XX": "json" } };

function bytes(...values: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => (controller.enqueue(Uint8Array.from(values)), controller.close()) });
}

describe("streamed bodies", () => {
  it("sends a streamed upload once, even where a buffered one would be retried", async () => {
    server.reset();
    const runtime = runtimeFor(server, { retry: { maxRetries: 2, initialDelayMs: 1 } });
    await expect(runtime.call(upload, { path: { name: "busy" }, body: bytes(0, 255) })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
    // The same upload from bytes is replayable, so the 503 is retried.
    await expect(runtime.call(upload, { path: { name: "busy" }, body: Uint8Array.of(0, 255) })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(4);
    expect([...server.lastRequest().body]).toEqual([0, 255]);
  });

  it("cancels a streamed download with the call's signal, after the call has resolved", async () => {
    const controller = new AbortController();
    const stream = await runtimeFor(server).call(download, { path: { name: "held" }, signal: controller.signal }).asStream();
    const reader = stream.getReader();
    expect([...((await reader.read()).value ?? [])]).toEqual([1, 2, 3]);
    const next = reader.read();
    controller.abort();
    await expect(next).rejects.toThrow();
  });

  it("reads an error answer to a streamed call as a decoded ApiError", async () => {
    const error = await runtimeFor(server)
      .call(download, { path: { name: "busy" } })
      .asStream()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ApiError).data).toEqual({ error: "busy", detail: "try later" });
    expect(isOperationError(error, download, "5XX")).toBe(true);
    expect(isOperationError(error, download, 404)).toBe(false);
  });
});

describe("wildcard media types", () => {
  const anyImage: OperationSpec = { ...upload, id: "anyImage", requestBody: { required: true, mediaTypes: ["image/*"] } };
  const anything: OperationSpec = { ...upload, id: "anything", requestBody: { required: true, mediaTypes: ["*/*"] } };

  it("send the Blob's own type when it fits the range, else application/octet-stream", async () => {
    const runtime = runtimeFor(server);
    await runtime.call(anyImage, { path: { name: "a" }, body: new Blob(["x"], { type: "image/png" }) });
    expect(server.lastRequest().headers["content-type"]).toBe("image/png");
    await runtime.call(anyImage, { path: { name: "a" }, body: new Blob(["x"], { type: "text/csv" }) });
    expect(server.lastRequest().headers["content-type"]).toBe("application/octet-stream");
    await runtime.call(anything, { path: { name: "a" }, body: new Blob(["x"], { type: "text/csv" }) });
    expect(server.lastRequest().headers["content-type"]).toBe("text/csv");
    await runtime.call(anything, { path: { name: "a" }, body: Uint8Array.of(1) });
    expect(server.lastRequest().headers["content-type"]).toBe("application/octet-stream");
  });
});

describe("error bodies", () => {
  it("decode an API's own JSON error body into data, beside the raw text", async () => {
    const error = (await runtimeFor(server).call(getUser, { path: { userId: "other" } }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.data).toEqual({ error: "not_found", detail: "no such user" });
    expect(error.body).toBe('{"error":"not_found","detail":"no such user"}');
  });

  it("keep Zoom's code and message as they were", async () => {
    const error = (await runtimeFor(server).call(getUser, { path: { userId: "gone" } }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe(1001);
    expect(error.zoomMessage).toBe("User does not exist: gone");
    expect(error.data).toEqual({ code: 1001, message: "User does not exist: gone" });
  });
});
