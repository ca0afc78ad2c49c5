/**
 * The generated README is documentation a user copies from: its examples must compile against
 * the client next to it, import it from where --out put it, and show bodies that fit the schema
 * (a `$ref` body was shown as `body: "string"`).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckStrict } from "../support/type-check.js";

const SPEC = {
  openapi: "3.1.0",
  info: { title: "Shop", version: "1" },
  paths: {
    "/orders": {
      post: {
        operationId: "createOrder",
        summary: "Places an order",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewOrder" } } } },
        responses: { "201": { description: "created", content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } } },
      },
    },
    "/orders/{orderId}": {
      put: {
        operationId: "replaceOrder",
        summary: "Replaces an order",
        parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "integer" } }],
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } },
        responses: { "204": { description: "replaced" } },
      },
    },
  },
  components: {
    schemas: {
      NewOrder: {
        type: "object",
        required: ["customer", "lines", "placedAt", "channel"],
        properties: {
          customer: { $ref: "#/components/schemas/Customer" },
          lines: { type: "array", items: { $ref: "#/components/schemas/Line" } },
          placedAt: { type: "string", format: "date-time" },
          channel: { type: "string", enum: ["web", "shop"] },
          note: { type: "string" },
        },
      },
      Order: { allOf: [{ $ref: "#/components/schemas/NewOrder" }, { type: "object", required: ["id"], properties: { id: { type: "integer", readOnly: true } } }] },
      Customer: { type: "object", required: ["email"], properties: { email: { type: "string", format: "email" }, vip: { type: "boolean" } } },
      Line: { type: "object", required: ["sku", "quantity"], properties: { sku: { type: "string" }, quantity: { type: "integer", minimum: 1 } } },
    },
  },
};

// Inside the repo so the output resolves openapi-fetch and @types/node from node_modules.
let work: string;
const workDir = useRepoTempDir("readme-examples-");
beforeAll(async () => {
  work = workDir();
  await writeFile(path.join(work, "shop.json"), JSON.stringify(SPEC, null, 2));
  const result = runCli(["--spec", "shop.json", "--out", "src/api"], work);
  expect(result.status, result.stderr).toBe(0);
}, 120_000);

describe("the generated README's examples", { timeout: 120_000 }, () => {
  it("import the client from where --out put it and show $ref bodies by their schema", async () => {
    const readme = await readFile(path.join(work, "src/api/README.md"), "utf8");
    expect(readme).toContain('import { createShopClient } from "./src/api/index.js";');
    expect(readme).not.toContain('body: "string"');
    expect(readme).toMatch(/email: "user@example\.com"/);
    expect(readme).toMatch(/channel: "web"/);
  });

  it("compile under strict TypeScript, put together as a user would", async () => {
    const readme = await readFile(path.join(work, "src/api/README.md"), "utf8");
    const blocks = [...readme.matchAll(/^```+ts\n([\s\S]*?)\n```+$/gm)].map((m) => m[1]!);
    expect(blocks.length).toBe(4); // the setup, the lean client, then one per operation
    const [setup, lean, ...calls] = blocks;
    expect(lean).toContain("= createOpDefaultResource(createShopClientCore({ validate: validateInput }));");
    // Each example declares `data`, so each goes in a block of its own.
    await writeFile(path.join(work, "example.ts"), `${setup}\n${lean}\n${calls.map((call) => `{\n${call}\n}`).join("\n")}\nexport {};\n`);
    const tsc = await typeCheckStrict(work, ["example.ts"], ["node"]);
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
  });
});
