/** The change report through the real CLI process: after a regeneration, `--fail-on-breaking`, `zoomgen diff`, `diff --against` on a real git repo. */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../generator/index.js";
import { runCli } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("zoomgen-changes-");

function spec(edit: (doc: any) => void = () => {}): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = {
    openapi: "3.1.0",
    info: { title: "Pets API", version: "1.0.0" },
    servers: [{ url: "https://pets.example.com" }],
    paths: {
      "/pets/{petId}": {
        get: {
          operationId: "getPet",
          tags: ["Pets"],
          summary: "Get a pet",
          parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The pet", content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } } } },
        },
      },
    },
    components: { schemas: { Pet: { type: "object", required: ["id"], properties: { id: { type: "string" }, name: { type: "string" } } } } },
  };
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

describe("change report on the command line", { timeout: 180_000 }, () => {
  it("reports after each regeneration; --fail-on-breaking exits 3 on a breaking change", async () => {
    const dir = tempDir();
    const specFile = path.join(dir, "pets.json");
    const out = path.join(dir, "out");
    await writeFile(specFile, spec());
    const first = runCli([ "--spec", specFile, "--out", out]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("no earlier api-surface.json");

    await writeFile(specFile, spec((d) => (d.paths["/pets"] = { get: { operationId: "listPets", tags: ["Pets"], responses: { "200": { description: "ok" } } } })));
    const added = runCli(["--spec", specFile, "--out", out, "--report", path.join(dir, "r.md"), "--fail-on-breaking"]);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/API changes: 1 \(non-breaking additions: a minor version\)/);
    expect(added.stdout).toContain("GET /pets (pets: listPets): new operation");
    expect(await readFile(path.join(dir, "r.md"), "utf8")).toContain("**Semver: minor**");

    await writeFile(specFile, spec((d) => delete d.components.schemas.Pet.properties.name));
    const removed = runCli(["--spec", specFile, "--out", out, "--report-json", path.join(dir, "r.json"), "--fail-on-breaking"]);
    expect(removed.status).toBe(3);
    expect(removed.stdout).toContain("response 200 .name: field removed [BREAKING]");
    expect(removed.stderr).toContain("breaking API changes");
    const json = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8"));
    expect(json).toMatchObject({ bump: "major", breaking: true });
    expect(json.changes).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "operation-removed" }), expect.objectContaining({ rule: "response-property-removed" })]));
  });

  it("zoomgen diff OLD NEW: a description-only edit is a patch with no API change; nothing is generated", async () => {
    const dir = path.join(tempDir(), "diff");
    await mkdir(dir);
    await writeFile(path.join(dir, "old.json"), spec());
    await writeFile(path.join(dir, "new.json"), spec((d) => (d.paths["/pets/{petId}"].get.summary = "Fetch a pet")));
    const result = runCli(["diff", path.join(dir, "old.json"), path.join(dir, "new.json"), "--fail-on-breaking"], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("no API change: a patch version");
    expect(runCli(["diff", "only-one.json"], dir).status).toBe(2);
  });

  it("zoomgen diff --against REF reads the old spec and its $ref'd files from git", async () => {
    const repo = path.join(tempDir(), "repo");
    await mkdir(path.join(repo, "spec/schemas"), { recursive: true });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
    git("init", "-q");
    const newPet = (required: string[]) => JSON.stringify({ type: "object", required, properties: { name: { type: "string" }, tag: { type: "string" } } });
    await writeFile(path.join(repo, "spec/schemas/new-pet.json"), newPet(["name"]));
    await writeFile(
      path.join(repo, "spec/api.json"),
      spec((d) => (d.paths["/pets"] = { post: { operationId: "addPet", tags: ["Pets"], requestBody: { required: true, content: { "application/json": { schema: { $ref: "schemas/new-pet.json" } } } }, responses: { "201": { description: "ok" } } } })),
    );
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "spec");
    await writeFile(path.join(repo, "spec/schemas/new-pet.json"), newPet(["name", "tag"]));

    const result = runCli(["diff", "--against", "HEAD", "spec/api.json", "--fail-on-breaking"], repo);
    expect(result.stdout).toContain("request body .tag is now required [BREAKING]");
    expect(result.status).toBe(3);
    const unknownRef = runCli(["diff", "--against", "no-such-ref", "spec/api.json"], repo);
    expect(unknownRef.status).toBe(1);
    expect(unknownRef.stderr).toContain("cannot read spec/api.json from git");
  });

  it("takes the spec as an argument with -o, and generate() returns the change report as a library", async () => {
    const dir = path.join(tempDir(), "library");
    await mkdir(dir);
    const specFile = path.join(dir, "pets.json");
    await writeFile(specFile, spec());
    const cli = runCli([specFile, "-o", path.join(dir, "out")]);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain("1 operations");
    expect(runCli([specFile, "-i", specFile]).status).toBe(2);

    await writeFile(specFile, spec((d) => d.paths["/pets/{petId}"].get.parameters.push({ name: "fields", in: "query", schema: { type: "string" } })));
    const result = await generate({ spec: specFile, out: path.join(dir, "out") });
    expect(result.wrote).toBe(true);
    expect(result.changes).toMatchObject({ bump: "minor", breaking: false, changes: [{ rule: "parameter-added-optional" }] });
  });
});
