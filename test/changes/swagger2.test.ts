/** A Swagger 2.0 document is converted (swagger2openapi), said so, and gives a client that type-checks under strict TypeScript. */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../support/cli.js";

let work: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("Swagger 2.0 input", { timeout: 180_000 }, () => {
  it("is converted with a note, and the client type-checks", async () => {
    // Inside the repo so the output resolves openapi-fetch from node_modules, as a user's project would.
    await mkdir(path.join(REPO_ROOT, ".tmp"), { recursive: true });
    work = await mkdtemp(path.join(REPO_ROOT, ".tmp", "swagger2-"));
    const result = runCli(["test/fixtures/specs/petstore-swagger2.yaml", "-o", path.join(work, "client")]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/petstore-swagger2\.yaml is Swagger 2\.0; converted to OpenAPI 3\.0\.\d+ with swagger2openapi/);
    const index = await readFile(path.join(work, "client/index.ts"), "utf8");
    expect(index).toContain("createSwaggerPetstoreClient");
    const client = await readFile(path.join(work, "client/client.ts"), "utf8");
    for (const method of ["listPets", "createPet", "showPetById"]) expect(client).toContain(method);
    expect(client).toContain("https://petstore.example.com/v1"); // host + basePath became the server

    await writeFile(
      path.join(work, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM"], skipLibCheck: true, types: [] }, include: ["client/**/*.ts"] }),
    );
    const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", work], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });
});
