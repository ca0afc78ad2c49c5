/** A Swagger 2.0 document is converted (swagger2openapi), said so, and gives a client that type-checks under strict TypeScript. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useRepoTempDir } from "../support/temp-dir.js";
import { typeCheckStrict } from "../support/type-check.js";

const workDir = useRepoTempDir("swagger2-");

describe("Swagger 2.0 input", { timeout: 180_000 }, () => {
  it("is converted with a note, and the client type-checks", async () => {
    const work = workDir();
    const result = runCli(["test/fixtures/swagger2/petstore.yaml", "-o", path.join(work, "client")]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/petstore\.yaml is Swagger 2\.0; converted to OpenAPI 3\.0\.\d+ with swagger2openapi/);
    const index = await readFile(path.join(work, "client/index.ts"), "utf8");
    expect(index).toContain("createSwaggerPetstoreClient");
    const operations = await readFile(path.join(work, "client/operations.ts"), "utf8"); // every operation, whatever its group
    for (const method of ["listPets", "createPet", "showPetById"]) expect(operations).toContain(method);
    const client = await readFile(path.join(work, "client/client.ts"), "utf8");
    expect(client).toContain("https://petstore.example.com/v1"); // host + basePath became the server

    const tsc = await typeCheckStrict(work);
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
  });
});
