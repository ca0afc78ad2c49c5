/**
 * The generator is not Zoom-only: a different, deliberately awkward spec (hostile texts,
 * a reserved word as operationId, no tags, no operationIds, hyphenated parameters)
 * must give a client that type-checks under strict TypeScript and works over HTTP.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckStrict } from "../support/type-check.js";

let work: string;
const workDir = useRepoTempDir("other-spec-");
let out: string;
beforeAll(async () => {
  work = workDir();
  out = path.join(work, "client");
  const result = runCli(["--spec", "test/fixtures/specs/tasks.yaml", "--out", out]);
  expect(result.status, result.stderr).toBe(0);
}, 120_000);

describe("a client for another OpenAPI document", () => {
  it("takes its factory name from the spec's title", async () => {
    const index = await readFile(path.join(out, "index.ts"), "utf8");
    expect(index).toContain("createAcmeTasksClient");
  });

  it("type-checks under strict TypeScript, hostile descriptions included", async () => {
    const tsc = await typeCheckStrict(work);
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
    // The comment closer from the spec is escaped, never emitted raw inside a doc comment.
    const resource = await readFile(path.join(out, "resources", "taskLists.ts"), "utf8");
    expect(resource).toContain('List the tasks of a list *\\/ console.log("pwned")');
    expect(resource).not.toContain("*/ console.log");
  });

  it("calls the API over HTTP with a hyphenated path parameter and typed query", async () => {
    const seen: { method?: string; url?: string; auth?: string } = {};
    const server: Server = createServer((req: IncomingMessage, res) => {
      Object.assign(seen, { method: req.method, url: req.url, auth: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([{ id: 1, title: "Write spec", done: false }]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // Generated at test time, so typed here by hand; the strict type-check above covers the real types.
      type TasksModule = {
        createAcmeTasksClient(options: { accessToken: string; baseUrl: string }): {
          taskLists: { listTasks(input: object): Promise<unknown>; delete(input: object): Promise<unknown> };
        };
        ValidationError: new (...args: never[]) => Error;
      };
      const module = (await import(path.join(out, "index.ts"))) as TasksModule;
      const client = module.createAcmeTasksClient({ accessToken: "t", baseUrl: `http://127.0.0.1:${port}` });
      const tasks = await client.taskLists.listTasks({ path: { "list-id": "inbox/2024" }, query: { limit: 10, status: "open" } });
      expect(tasks).toEqual([{ id: 1, title: "Write spec", done: false }]);
      expect(seen).toEqual({ method: "GET", url: "/lists/inbox%2F2024/tasks?limit=10&status=open", auth: "Bearer t" });

      // OpenAPI 3.0 schema keywords are validated as 3.0 means them.
      const atTheBound = client.taskLists.listTasks({ path: { "list-id": "a" }, query: { min_priority: 0 } });
      await expect(atTheBound).rejects.toBeInstanceOf(module.ValidationError);
      await expect(atTheBound).rejects.toThrow(/query\.min_priority \(exclusiveMinimum/);
      await client.taskLists.listTasks({ path: { "list-id": "a" }, query: { min_priority: 0.5 } });
      expect(seen.url).toBe("/lists/a/tasks?min_priority=0.5");
      await client.taskLists.delete({ path: { "list-id": "a" }, body: { title: "t", note: null } });
      expect(seen.method).toBe("POST");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("uses templates from --templates in place of the built-in ones of the same name", async () => {
    const templates = path.join(work, "templates");
    await mkdir(templates);
    await writeFile(path.join(templates, "README.md.hbs"), "{{{header}}}\n# {{{mdInline model.title}}}: {{model.operations.length}} operations\n");
    const custom = path.join(work, "custom");
    const result = runCli(["--spec", "test/fixtures/specs/tasks.yaml", "--out", custom, "--templates", templates]);
    expect(result.status, result.stderr).toBe(0);
    expect(await readFile(path.join(custom, "README.md"), "utf8")).toMatch(/# Acme Tasks \\\*\/ API: 3 operations\n$/);
    expect(await readFile(path.join(custom, "client.ts"), "utf8")).toContain("createAcmeTasksClient");
  });
});
