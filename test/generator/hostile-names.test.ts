/**
 * Names from a spec that the generated code could trip over: an operationId equal to a type the
 * client file uses itself (`call` → `CallInput`), `Object.prototype` members, letters of other
 * scripts. The client must type-check under strict TypeScript and every method must work over HTTP.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckStrict } from "../support/type-check.js";

const OPERATIONS: [operationId: string, tag: string][] = [
  ["call", "calls"],
  ["valueOf", "calls"],
  ["hasOwnProperty", "calls"],
  ["__proto__", "calls"],
  ["constructor", "calls"],
  ["toString", "calls"],
  ["créerCafé", "cafés"],
  ["一覧", "日本語"],
  ["列表", "中文"],
  ["取得する", "取得する"],
];

let work: string;
const workDir = useRepoTempDir("hostile-names-");
let out: string;
beforeAll(async () => {
  work = workDir();
  out = path.join(work, "client");
  const paths = Object.fromEntries(
    OPERATIONS.map(([operationId, tag], i) => [
      `/op/${i}`,
      {
        get: {
          operationId,
          tags: [tag],
          summary: `Operation ${i}`,
          responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { op: { type: "string" } } } } } } },
        },
      },
    ]),
  );
  const spec = path.join(work, "names.json");
  await writeFile(spec, JSON.stringify({ openapi: "3.1.0", info: { title: "Café 日本語", version: "1" }, paths }, null, 2));
  const result = runCli(["--spec", spec, "--out", out]);
  expect(result.status, result.stderr).toBe(0);
}, 120_000);

describe("names a spec chooses", { timeout: 120_000 }, () => {
  it("keep the letters JavaScript identifiers allow, and distinct scripts stay distinct names", async () => {
    const client = await readFile(path.join(out, "client.ts"), "utf8");
    // Groups live in resources/<group>.ts; the client composes them.
    const resources = await Promise.all((await readdir(path.join(out, "resources"))).map((f) => readFile(path.join(out, "resources", f), "utf8")));
    const methods = resources.join("\n");
    expect(client).toContain("export function createCafé日本語Client(");
    expect(client).toMatch(/\n {4}日本語: create日本語Resource\(runtime\)/);
    expect(client).toMatch(/\n {4}中文: create中文Resource\(runtime\)/);
    expect(client).toMatch(/\n {4}取得する: create取得するResource\(runtime\)/);
    // Methods are members of the resource's interface (`export interface 日本語Resource { créerCafé: (...) => ... }`).
    expect(methods).toMatch(/\n {2}créerCafé: \(input\?: CréerCaféInput\) => /);
    expect(methods).toContain("export interface OpCallInput");
  });

  it("type-check under strict TypeScript", async () => {
    const tsc = await typeCheckStrict(work);
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("each method calls its own operation over HTTP", async () => {
    const server: Server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ op: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      type Method = (input?: object) => Promise<{ op: string }>;
      // Generated at test time, so typed here by hand; the strict type-check above covers the real types.
      const module = (await import(path.join(out, "index.ts"))) as Record<string, (options: object) => Record<string, Record<string, Method>>>;
      const client = module["createCafé日本語Client"]!({ accessToken: "t", baseUrl: `http://127.0.0.1:${port}` });
      const methods: [group: string, method: string][] = [
        ["calls", "call"],
        ["calls", "valueOf"],
        ["calls", "hasOwnProperty"],
        ["calls", "proto"],
        ["calls", "constructor"],
        ["calls", "toString"],
        ["cafés", "créerCafé"],
        ["日本語", "一覧"],
        ["中文", "列表"],
        ["取得する", "取得する"],
      ];
      for (const [i, [group, method]] of methods.entries()) {
        const call = client[group]?.[method];
        expect(Object.hasOwn(client[group]!, method), `${group}.${method}`).toBe(true);
        await expect(call!({}), `${group}.${method}`).resolves.toEqual({ op: `/op/${i}` });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
