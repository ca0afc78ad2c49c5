/**
 * A generated client for a spec whose parameters use non-default styles, headers, cookies and a
 * JSON (`content`) query parameter: it type-checks with the header typed and required, and sends
 * each parameter as the spec says, checked on a real server on 127.0.0.1.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { startReplayServer, type ReplayServer } from "../support/replay-server.js";
import { typeCheckUse } from "../support/type-check.js";

let work: string;
const workDir = useRepoTempDir("styles-spec-");
let out: string;
let server: ReplayServer;
beforeAll(async () => {
  work = workDir();
  out = path.join(work, "client");
  const result = runCli(["--spec", "test/fixtures/specs/styles.yaml", "--out", out]);
  expect(result.status, result.stderr).toBe(0);
  server = await startReplayServer({ response: { status: 200, headers: { "content-type": "application/json" }, body: "[1]" } });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe("a client for a spec with parameter styles", () => {
  it("types header parameters from the spec and requires the required ones", async () => {
    const tsc = await typeCheckUse(
      work,
      [
        'import { createStylesClient } from "./client/index.js";',
        'const client = createStylesClient({ accessToken: "t" });',
        'void client.default.findItems({ path: { ids: [1] }, header: { "X-Trace-Id": "x" }, query: { filter: { a: 1, status: "open" } } });',
        "// @ts-expect-error the required header parameter is missing",
        "void client.default.findItems({ path: { ids: [1] } });",
        "// @ts-expect-error a deepObject property of the wrong type",
        'void client.default.findItems({ path: { ids: [1] }, header: { "X-Trace-Id": "x" }, query: { filter: { a: "1" } } });',
        'void client.default.uploadFile({ path: { name: "f" }, body: new Blob(["x"]) }).then(() => undefined);',
        'const download: Promise<Blob> = client.default.downloadFile({ path: { name: "f" } });',
        "void download;",
        "",
      ].join("\n"),
    );
    expect(tsc.output).toBe("");
  });

  it("sends matrix, form without explode, deepObject, JSON, header and cookie parameters as the spec says", async () => {
    type Module = {
      createStylesClient(options: { accessToken: string; baseUrl: string }): { default: { findItems(input: object): Promise<unknown> } };
      ValidationError: new (...args: never[]) => Error;
    };
    const module = (await import(path.join(out, "index.ts"))) as Module;
    const client = module.createStylesClient({ accessToken: "t", baseUrl: server.url });
    const data = await client.default.findItems({
      path: { ids: [3, 4] },
      query: { tags: ["a", "b"], filter: { a: 1, status: "open" }, where: { owner: "me" } },
      header: { "X-Trace-Id": "trace 1" },
      cookie: { session: "s1" },
    });
    expect(data).toEqual([1]);
    const request = server.lastRequest();
    expect(request.rawPath).toBe(
      `/items/;ids=3;ids=4?tags=a,b&filter%5Ba%5D=1&filter%5Bstatus%5D=open&where=${encodeURIComponent('{"owner":"me"}')}`,
    );
    expect(request.headers["x-trace-id"]).toBe("trace 1");
    expect(request.headers.cookie).toBe("session=s1");

    // Validation reads the deepObject's schema: a wrong enum value is refused before sending.
    server.reset();
    const wrong = client.default.findItems({ path: { ids: [1] }, query: { filter: { status: "closed" } }, header: { "X-Trace-Id": "x" } });
    await expect(wrong).rejects.toBeInstanceOf(module.ValidationError);
    const missingHeader = client.default.findItems({ path: { ids: [1] } });
    await expect(missingHeader).rejects.toThrow(/header\.X-Trace-Id/);
    expect(server.requests).toHaveLength(0);
  });

  it("sends octet-stream, text and URL-encoded bodies, and returns binary bytes intact and text as text", async () => {
    type Module = {
      createStylesClient(options: { accessToken: string; baseUrl: string }): {
        default: { uploadFile(input: object): Promise<unknown>; downloadFile(input: object): Promise<unknown>; addNote(input: object): Promise<unknown>; sendForm(input: object): Promise<unknown> };
      };
    };
    const module = (await import(path.join(out, "index.ts"))) as Module;
    const client = module.createStylesClient({ accessToken: "t", baseUrl: server.url });
    const bytes = new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x41]);

    server.respondWith({ status: 204 });
    await client.default.uploadFile({ path: { name: "a.bin" }, body: new Blob([bytes]) });
    expect(server.lastRequest().headers["content-type"]).toBe("application/octet-stream");
    expect([...server.lastRequest().body]).toEqual([...bytes]);
    await client.default.uploadFile({ path: { name: "a.bin" }, body: bytes.subarray(1, 3) });
    expect([...server.lastRequest().body]).toEqual([0xff, 0xfe]);

    server.respondWith({ status: 200, headers: { "content-type": "application/octet-stream" }, body: bytes });
    const blob = await client.default.downloadFile({ path: { name: "a.bin" } });
    expect(blob).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await (blob as Blob).arrayBuffer())]).toEqual([...bytes]);
    // Listed under two tags: reachable from both groups, one entry in the operations table.
    const again = await (client as unknown as { files: { downloadFile(input: object): Promise<Blob> } }).files.downloadFile({ path: { name: "b.bin" } });
    expect(server.lastRequest().path).toBe("/files/b.bin");
    expect(again.size).toBe(bytes.length);
    const table = await readFile(path.join(out, "operations.ts"), "utf8");
    expect(table.match(/"id":"downloadFile"/g)).toHaveLength(1);

    server.respondWith({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: "saved ✓" });
    expect(await client.default.addNote({ body: "hello, world" })).toBe("saved ✓");
    expect(server.lastRequest().headers["content-type"]).toBe("text/plain");
    expect(server.lastRequest().text()).toBe("hello, world");
    await client.default.sendForm({ body: { text: "a&b", tags: ["x", "y"] } });
    expect(server.lastRequest().headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(server.lastRequest().text()).toBe("text=a%26b&tags=x&tags=y");
  });

  it("builds the base URL from the spec's servers: variables from their defaults, overridable, servers selectable", async () => {
    type Options = { accessToken: string; server?: number; serverVariables?: Record<string, string> };
    type Module = {
      createStylesClient(options: Options): { files: { downloadFile(input: object): Promise<unknown> } };
      ConfigError: new (...args: never[]) => Error;
    };
    const module = (await import(path.join(out, "index.ts"))) as Module;
    server.respondWith({ status: 200, headers: { "content-type": "application/octet-stream" }, body: "x" });
    const port = String(server.port);
    await module.createStylesClient({ accessToken: "t", serverVariables: { scheme: "http", host: "127.0.0.1", port } }).files.downloadFile({ path: { name: "f" } });
    expect(server.lastRequest().path).toBe("/v1/files/f");
    await module.createStylesClient({ accessToken: "t", server: 1, serverVariables: { port } }).files.downloadFile({ path: { name: "f" } });
    expect(server.lastRequest().path).toBe("/alt/files/f");
    expect(() => module.createStylesClient({ accessToken: "t", serverVariables: { scheme: "ftp" } })).toThrow(/serverVariables\.scheme` must be one of http, https/);
    expect(() => module.createStylesClient({ accessToken: "t", server: 2 })).toThrow(module.ConfigError);
  });
});
