/**
 * A generated client for a spec that uses every request and response body the client carries
 * (test/fixtures/specs/media-types.yaml): it warns about the media types it can carry only as bytes, it
 * type-checks with each body typed by its media type, and each call is checked byte for byte on a
 * real server on 127.0.0.1, which answers JSON, text, binary, streamed and error bodies.
 */
import type { ServerResponse } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { reply, startRecordingServer, type RecordedRequest, type RecordingServer } from "../support/replay-server.js";
import { typeCheckUse } from "../support/type-check.js";

const SPEC = "test/fixtures/specs/media-types.yaml";
/** Every byte value, so a body decoded as text anywhere on the way (0xff → U+FFFD) shows. */
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const PROBLEM = { error: "not_found", detail: "no pet 404" };

let work: string;
const workDir = useRepoTempDir("bodies-spec-");
let out: string;
let generation: { status: number | null; stderr: string };
let server: RecordingServer;
/** Ends the held-open streamed download (see "/blobs/slow"). */
let finishSlowDownload: () => void = () => undefined;

beforeAll(async () => {
  work = workDir();
  out = path.join(work, "client");
  generation = runCli(["--spec", SPEC, "--out", out, "--no-cache"]);
  expect(generation.status, generation.stderr).toBe(0);
  server = await startRecordingServer(answer);
}, 120_000);
afterAll(async () => {
  finishSlowDownload();
  await server?.close();
});

function answer(request: RecordedRequest, res: ServerResponse): void | Promise<void> {
  const route = `${request.method} ${request.path}`;
  const bytes = (status: number, type: string, body: Uint8Array) => {
    res.writeHead(status, { "content-type": type });
    res.end(body);
  };
  switch (route) {
    case "PUT /blobs/a.bin":
      return reply(res, 204);
    case "GET /blobs/a.bin":
      return bytes(200, "application/octet-stream", ALL_BYTES);
    case "GET /blobs/missing":
      return reply(res, 404, { error: "no_blob", detail: "missing" });
    case "GET /blobs/slow":
      // The first chunk now, the rest only when the test says: a buffered read would never resolve.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write(Buffer.from([0x00, 0xff]));
      return new Promise<void>((resolve) => {
        finishSlowDownload = () => {
          res.end(Buffer.from([0xfe, 0x01]));
          resolve();
        };
      });
    case "POST /notes":
      return reply(res, 200, `stored: ${request.text()}`, { "content-type": "text/plain; charset=utf-8" });
    case "POST /forms":
      return reply(res, 200, { received: request.text() });
    case "POST /pets": {
      const pet = request.json() as { name: string };
      if (pet.name === "bad") return reply(res, 400, { error: "invalid", detail: "name is taken" });
      if (pet.name === "teapot") return reply(res, 418, "I'm a teapot");
      return reply(res, 201, { id: 7, ...pet });
    }
    case "GET /pets/1":
      return reply(res, 200, { id: 1, name: "Rex" });
    case "GET /pets/404":
      return reply(res, 404, PROBLEM);
    case "GET /pets/405":
      return reply(res, 404, "<html>not json</html>", { "content-type": "text/html" });
    case "GET /pets/503":
      return reply(res, 503, { retryInSeconds: 30 });
    case "GET /pets/418":
      return reply(res, 418, "short and stout");
    case "POST /pets/1/photos":
      return reply(res, 201, { parts: 3 });
    case "GET /images/raw":
      return bytes(200, "application/x-zoomgen-unknown", ALL_BYTES);
    case "GET /reports":
      return reply(res, 200, "<report><title>Q3</title></report>", { "content-type": "application/xml" });
    default:
      return reply(res, 500, `unexpected ${route}`);
  }
}

interface ErrorLike extends Error {
  status: number;
  body: string;
  data: unknown;
}
type Call = (input?: object) => Promise<unknown> & { asStream(): Promise<ReadableStream<Uint8Array>>; asArrayBuffer(): Promise<ArrayBuffer> };
interface Module {
  createBodiesClient(options: { accessToken: string; baseUrl: string; retry: false }): { default: Record<string, Call> };
  isGetPetError(error: unknown, status?: number | string): boolean;
  isCreatePetError(error: unknown, status?: number | string): boolean;
  ApiError: new (...args: never[]) => ErrorLike;
}

async function client() {
  const module = (await import(path.join(out, "index.ts"))) as Module;
  return { module, api: module.createBodiesClient({ accessToken: "t", baseUrl: server.url, retry: false }).default };
}

async function rejection(promise: Promise<unknown>): Promise<ErrorLike> {
  return promise.then(
    () => expect.fail("the call should have failed"),
    (error: unknown) => error as ErrorLike,
  );
}

describe("a client for a spec with every kind of body", () => {
  it("warns, with file:line and the JSON pointer, about media types it can carry only as bytes", () => {
    expect(generation.stderr).toMatch(/^2 warnings \(generation went on\):$/m);
    expect(generation.stderr).toMatch(
      /warning: test\/fixtures\/specs\/media-types\.yaml:\d+:\d+: response body application\/xml has a structure the client cannot encode or parse: the client returns the raw bytes \(a Blob\), unparsed \(#\/paths\/~1reports\/get\/responses\/200\/content\/application~1xml\)/,
    );
    expect(generation.stderr).toMatch(
      /warning: test\/fixtures\/specs\/media-types\.yaml:\d+:\d+: request body multipart\/mixed has a structure .* \(#\/paths\/~1reports\/post\/requestBody\/content\/multipart~1mixed\)/,
    );
  });

  it("types each body by its media type, streamed and binary answers, and error bodies by status", async () => {
    const { output } = await typeCheckUse(
      work,
      [
        'import { createBodiesClient, isGetPetError, isCreatePetError, type UploadPhotoBody } from "./client/index.js";',
        'const api = createBodiesClient({ accessToken: "t" }).default;',
        "export async function use(stream: ReadableStream<Uint8Array>, error: unknown) {",
        '  await api.uploadBlob({ path: { name: "a" }, body: new Blob(["x"]) });',
        '  await api.uploadBlob({ path: { name: "a" }, body: new Uint8Array([0, 255]) });',
        '  await api.uploadBlob({ path: { name: "a" }, body: stream });',
        "  // @ts-expect-error bytes, not an object",
        '  await api.uploadBlob({ path: { name: "a" }, body: { a: 1 } });',
        '  const note: string = await api.addNote({ body: "hi" });',
        "  // @ts-expect-error a text body is a string",
        "  await api.addNote({ body: 42 });",
        '  await api.sendForm({ body: { name: "n", tags: ["a"], age: 3 } });',
        '  const photo: UploadPhotoBody = { photo: new File(["x"], "cat.png", { type: "image/png" }), meta: { caption: "c" } };',
        "  await api.uploadPhoto({ path: { petId: 1 }, body: photo });",
        "  // @ts-expect-error a format: binary part is a Blob, not a string",
        '  await api.uploadPhoto({ path: { petId: 1 }, body: { photo: "x", meta: { caption: "c" } } });',
        '  const blob: Blob = await api.downloadBlob({ path: { name: "a" } });',
        '  const unknownType: Blob = await api.getImage({ path: { name: "a" } });',
        '  const chunks: ReadableStream<Uint8Array> = await api.downloadBlob({ path: { name: "a" } }).asStream();',
        '  const buffer: ArrayBuffer = await api.downloadBlob({ path: { name: "a" } }).asArrayBuffer();',
        '  const pet: { id: number; name: string } = await api.createPet({ body: { name: "Rex" } });',
        "  if (isGetPetError(error, 404)) { const detail: string = error.data.detail; void detail; }",
        "  if (isGetPetError(error, \"5XX\")) { const seconds: number = error.data.retryInSeconds; void seconds; }",
        "  if (isGetPetError(error, \"default\")) { const text: string = error.data; void text; }",
        "  if (isCreatePetError(error, 400)) { const status: number = error.status; const problem: string = error.data.error; void status; void problem; }",
        "  // @ts-expect-error getPet documents no 400",
        "  isGetPetError(error, 400);",
        "  return [note, blob, unknownType, chunks, buffer, pet];",
        "}",
        "",
      ].join("\n"),
    );
    expect(output).toBe("");
  }, 120_000);

  it("sends bytes (Blob, Uint8Array view, stream) byte for byte and reads binary answers intact", async () => {
    const { api } = await client();
    server.reset();
    await api.uploadBlob!({ path: { name: "a.bin" }, body: new Blob([ALL_BYTES]) });
    await api.uploadBlob!({ path: { name: "a.bin" }, body: new Uint8Array([9, 0x00, 0xff, 9]).subarray(1, 3) });
    const chunks = [ALL_BYTES.subarray(0, 100), ALL_BYTES.subarray(100)];
    const stream = new ReadableStream<Uint8Array>({ pull: (controller) => (chunks.length > 0 ? controller.enqueue(chunks.shift()!) : controller.close()) });
    await api.uploadBlob!({ path: { name: "a.bin" }, body: stream });
    const [blob, view, streamed] = server.requests;
    expect(blob!.headers["content-type"]).toBe("application/octet-stream");
    expect([...blob!.body]).toEqual([...ALL_BYTES]);
    expect([...view!.body]).toEqual([0x00, 0xff]);
    expect(streamed!.headers["content-type"]).toBe("application/octet-stream");
    // Sent as it was read: chunked, with no length known in advance.
    expect(streamed!.headers["transfer-encoding"]).toBe("chunked");
    expect([...streamed!.body]).toEqual([...ALL_BYTES]);

    const downloaded = (await api.downloadBlob!({ path: { name: "a.bin" } })) as Blob;
    expect(downloaded).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await downloaded.arrayBuffer())]).toEqual([...ALL_BYTES]);
    const buffer = await api.downloadBlob!({ path: { name: "a.bin" } }).asArrayBuffer();
    expect([...new Uint8Array(buffer)]).toEqual([...ALL_BYTES]);
    // An unknown media type falls back to bytes, and so does a structure the client cannot parse.
    const unknown = (await api.getImage!({ path: { name: "raw" } })) as Blob;
    expect([...new Uint8Array(await unknown.arrayBuffer())]).toEqual([...ALL_BYTES]);
    const report = (await api.getReport!()) as Blob;
    expect(await report.text()).toBe("<report><title>Q3</title></report>");
  });

  it("hands a download over as a stream before it has finished arriving", async () => {
    const { api } = await client();
    const stream = await api.downloadBlob!({ path: { name: "slow" } }).asStream();
    // The server still holds the rest back: only a stream that was not buffered can be here.
    const reader = stream.getReader();
    const first = await reader.read();
    expect([...(first.value ?? [])]).toEqual([0x00, 0xff]);
    finishSlowDownload();
    const rest: number[] = [];
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest.push(...chunk.value);
    expect(rest).toEqual([0xfe, 0x01]);
  });

  it("refuses asStream() asked too late, rather than buffering silently", async () => {
    const { api } = await client();
    const call = api.downloadBlob!({ path: { name: "a.bin" } });
    await call;
    await expect(call.asStream()).rejects.toThrow(/asStream\(\) must be called on the call's promise at once/);
  });

  it("sends text and URL-encoded bodies and reads text answers", async () => {
    const { api } = await client();
    expect(await api.addNote!({ body: "héllo\u0000" })).toBe("stored: héllo\u0000");
    expect(server.lastRequest().headers["content-type"]).toBe("text/plain");
    expect([...server.lastRequest().body]).toEqual([...Buffer.from("héllo\u0000", "utf8")]);
    expect(await api.sendForm!({ body: { name: "a&b =c", tags: ["x", "y"], age: 3 } })).toEqual({ received: "name=a%26b+%3Dc&tags=x&tags=y&age=3" });
    expect(server.lastRequest().headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("sends multipart file parts with the filename and the content type the spec's encoding gives", async () => {
    const { api } = await client();
    const photo = new File([ALL_BYTES], "cat.png", { type: "image/png" });
    const thumbnail = new Blob([Uint8Array.of(0xff, 0x00)]); // no type of its own: the encoding's
    expect(await api.uploadPhoto!({ path: { petId: 1 }, body: { photo, thumbnail, meta: { caption: "a \"cat\"" }, note: "hi" } })).toEqual({ parts: 3 });
    const request = server.lastRequest();
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(String(request.headers["content-type"]))?.[1];
    expect(boundary).toBeDefined();
    const part = (headers: string, body: Uint8Array | string) => [Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from("\r\n")];
    const expected = Buffer.concat([
      ...part('Content-Disposition: form-data; name="photo"; filename="cat.png"\r\nContent-Type: image/png', ALL_BYTES),
      ...part('Content-Disposition: form-data; name="thumbnail"; filename="thumbnail"\r\nContent-Type: image/webp', Uint8Array.of(0xff, 0x00)),
      // encoding: application/json on a non-file field: a text part holding JSON, which servers read as the field's value.
      ...part('Content-Disposition: form-data; name="meta"', JSON.stringify({ caption: 'a "cat"' })),
      ...part('Content-Disposition: form-data; name="note"', "hi"),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    expect(request.body.toString("latin1")).toBe(expected.toString("latin1"));

    // A file of a type the encoding does not allow is sent as the first allowed type.
    await api.uploadPhoto!({ path: { petId: 1 }, body: { photo: new File(["x"], "cat.gif", { type: "image/gif" }), meta: { caption: "c" } } });
    expect(server.lastRequest().text()).toContain('filename="cat.gif"\r\nContent-Type: image/png\r\n');
  });

  it("sends JSON and makes a typed error body reachable by status, default included", async () => {
    const { module, api } = await client();
    expect(await api.createPet!({ body: { name: "Rex" } })).toEqual({ id: 7, name: "Rex" });
    expect(server.lastRequest().headers["content-type"]).toBe("application/json");
    expect(server.lastRequest().text()).toBe('{"name":"Rex"}');

    const invalid = await rejection(api.createPet!({ body: { name: "bad" } }));
    expect(invalid).toBeInstanceOf(module.ApiError);
    expect(module.isCreatePetError(invalid, 400)).toBe(true);
    expect(invalid.data).toEqual({ error: "invalid", detail: "name is taken" });
    expect(invalid.body).toBe('{"error":"invalid","detail":"name is taken"}');
    const teapot = await rejection(api.createPet!({ body: { name: "teapot" } }));
    expect(module.isCreatePetError(teapot, "default")).toBe(true);
    expect(module.isCreatePetError(teapot, 400)).toBe(false);
    expect(teapot.data).toBe("I'm a teapot");

    const missing = await rejection(api.getPet!({ path: { petId: 404 } }));
    expect(module.isGetPetError(missing, 404)).toBe(true);
    expect(module.isGetPetError(missing)).toBe(true);
    expect(module.isGetPetError(missing, "default")).toBe(false);
    expect(module.isCreatePetError(missing)).toBe(false); // another operation's error
    expect(missing.data).toEqual(PROBLEM);
    const outage = await rejection(api.getPet!({ path: { petId: 503 } }));
    expect(outage.status).toBe(503);
    expect(module.isGetPetError(outage, "5XX")).toBe(true);
    expect(outage.data).toEqual({ retryInSeconds: 30 });
    const other = await rejection(api.getPet!({ path: { petId: 418 } }));
    expect(module.isGetPetError(other, "default")).toBe(true);
    expect(other.data).toBe("short and stout");
    // A 404 whose body is not the documented JSON: the raw text stays reachable, the guard says no.
    const html = await rejection(api.getPet!({ path: { petId: 405 } }));
    expect(html.status).toBe(404);
    expect(html.data).toBeUndefined();
    expect(html.body).toBe("<html>not json</html>");
    expect(module.isGetPetError(html, 404)).toBe(false);
  });
});
