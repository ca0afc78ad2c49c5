/**
 * Remote `$ref`s and remote specs are an explicit opt-in (--allow-remote-refs), and then fetched
 * with a time limit and a size cap: a server that never answers or sends too much cannot stall or
 * swamp the generator.
 */
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("zoomgen-remote-");
const ITEM_SCHEMA = "Item:\n  type: object\n  properties:\n    remoteId:\n      type: string\n";
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/schemas.yaml") return void res.end(ITEM_SCHEMA);
    if (req.url === "/huge.yaml") {
      // 21 MB of YAML comments, in 1 MB chunks
      const chunk = `#${"x".repeat(1024 * 1024 - 2)}\n`;
      res.writeHead(200, { "content-type": "application/yaml" });
      let sent = 0;
      const more = () => {
        while (sent < 21) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end(ITEM_SCHEMA);
      };
      return more();
    }
    if (req.url === "/hang.yaml") return; // never answers
    if (req.url === "/spec.yaml") return void res.end(specText(`${base}/schemas.yaml#/Item`));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function specText(ref: string): string {
  return `openapi: 3.1.0
info: { title: Remote, version: "1" }
paths:
  /items:
    get:
      operationId: listItems
      summary: Lists items
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "${ref}"
`;
}

async function specFile(ref: string): Promise<string> {
  const file = path.join(tempDir(), "spec.yaml");
  await writeFile(file, specText(ref));
  return file;
}

describe("remote $refs", { timeout: 120_000 }, () => {
  it("are refused without --allow-remote-refs, naming the ref and its place, and nothing is fetched", async () => {
    let fetched = 0;
    server.once("request", () => fetched++);
    const { status, stderr } = await runCliAsync(["--spec", await specFile(`${base}/schemas.yaml#/Item`), "--out", path.join(tempDir(), "out")]);
    expect(status).toBe(1);
    expect(stderr).toMatch(new RegExp(`spec\\.yaml:14:17: \\$ref ${base}/schemas\\.yaml is a remote reference: it is fetched only with --allow-remote-refs`));
    expect(fetched).toBe(0);
  });

  it("are fetched with --allow-remote-refs", async () => {
    const { status, stderr } = await runCliAsync(["--spec", await specFile(`${base}/schemas.yaml#/Item`), "--out", path.join(tempDir(), "out"), "--allow-remote-refs"]);
    expect(status, stderr).toBe(0);
  });

  it("give up on a server that does not answer", async () => {
    const started = performance.now();
    const { status, stderr } = await runCliAsync(["--spec", await specFile(`${base}/hang.yaml#/Item`), "--out", path.join(tempDir(), "out"), "--allow-remote-refs"]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/hang\.yaml could not be fetched: no answer within 10 s/);
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it("stop reading past the size cap", async () => {
    const { status, stderr } = await runCliAsync(["--spec", await specFile(`${base}/huge.yaml#/Item`), "--out", path.join(tempDir(), "out"), "--allow-remote-refs"]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/huge\.yaml is larger than 20 MB: not read/);
  });
});

describe("a spec given as a URL", { timeout: 120_000 }, () => {
  it("says that remote specs need --allow-remote-refs", async () => {
    const { status, stderr } = await runCliAsync(["--spec", `${base}/spec.yaml`, "--out", path.join(tempDir(), "out")]);
    expect(status).toBe(1);
    expect(stderr).toContain(`the spec ${base}/spec.yaml is a URL: remote specs are read only with --allow-remote-refs`);
  });

  it("is read with --allow-remote-refs", async () => {
    const { status, stderr, stdout } = await runCliAsync(["--spec", `${base}/spec.yaml`, "--out", path.join(tempDir(), "out"), "--allow-remote-refs"]);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/1 operations/);
  });
});
