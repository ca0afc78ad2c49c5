import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTree } from "../../generator/write.js";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { useTempDir } from "../support/temp-dir.js";

const tempDir = useTempDir("zoomgen-bad-input-");

describe("bad input: one clear message, a non-zero exit, the output untouched", { timeout: 60_000 }, () => {
  const cases: [file: string, message: RegExp][] = [
    ["invalid-yaml.yaml", /invalid-yaml\.yaml:11:\d+: invalid YAML/],
    ["invalid-json.json", /invalid-json\.json:1:\d+: invalid YAML/],
    ["duplicate-key.yaml", /duplicate-key\.yaml:\d+:\d+: invalid YAML: Map keys must be unique/],
    ["unresolved-ref.yaml", /is not a valid OpenAPI document: Can't resolve \$ref at .*unresolved-ref\.yaml:13:\d+/],
    ["wrong-type.yaml", /is not a valid OpenAPI document: Expected type `Responses` \(object\) but got `integer` at .*wrong-type\.yaml:8:\d+/],
    ["undefined-path-param.yaml", /is not a valid OpenAPI document: .*id.* at .*undefined-path-param\.yaml:\d+:\d+/],
    ["swagger2.yaml", /unsupported Swagger version "1\.2": expected 2\.0/],
    ["name-clash.yaml", /name-clash\.yaml:\d+:\d+: operations "list_items" and "listItems" both become the method/],
    ["not-a-mapping.yaml", /expected an OpenAPI document \(a mapping at the top level\), found a list/],
    ["empty.yaml", /expected an OpenAPI document .* found an empty document/],
    ["does-not-exist.yaml", /cannot read spec .*does-not-exist\.yaml: no such file/],
    // Hostile or odd documents: bad input with a place, never an internal error.
    ["remote-ref.yaml", /remote-ref\.yaml:16:17: \$ref http:\/\/127\.0\.0\.1:9\/schemas\.yaml is a remote reference: it is fetched only with --allow-remote-refs/],
    ["outside-ref.yaml", /outside-ref\.yaml:16:17: \$ref test\/fixtures\/schemas\/item\.yaml is outside test\/fixtures\/bad-specs\/, the folder local \$refs may read/],
    ["ref-cycle.yaml", /ref-cycle\.yaml:\d+:\d+: \$ref cycle with no way out: #\/components\/schemas\/A → #\/components\/schemas\/B → #\/components\/schemas\/A/],
    ["future-version.yaml", /future-version\.yaml:1:10: unsupported OpenAPI version "3\.9\.0": expected 3\.0\.x or 3\.1\.x/],
    ["duplicate-id.yaml", /duplicate-id\.yaml:25:12: two schemas have the same \$id "https:\/\/example\.com\/item": #\/components\/schemas\/A and #\/components\/schemas\/B/],
    ["alias-bomb.yaml", /alias-bomb\.yaml:7:\d+: invalid YAML: its aliases \(\*name\) expand too many times/],
  ];

  it.each(cases)("%s", async (file, message) => {
    const out = path.join(REPO_ROOT, "generated");
    const before = await readTree(out);
    const { status, stderr, stdout } = runCli(["--spec", path.join("test/fixtures/bad-specs", file)]);
    expect(status, stdout + stderr).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Nothing was written.");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await readTree(out)).toEqual(before);
  });

  it("a local $ref outside the spec's folder is read when --ref-root allows it", async () => {
    const out = path.join(tempDir(), "o");
    const { status, stderr } = runCli(["--spec", "test/fixtures/bad-specs/outside-ref.yaml", "--out", out, "--ref-root", "test/fixtures"]);
    expect(status, stderr).toBe(0);
    expect(await readFile(path.join(out, "openapi.ts"), "utf8")).toMatch(/id\?: string/);
  });

  it("a missing templates folder", () => {
    const { status, stderr } = runCli(["--out", path.join(tempDir(), "t"), "--templates", "no/such/dir"]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/cannot read templates folder no\/such\/dir: no such folder/);
  });

  it("an invalid --name", () => {
    const { status, stderr } = runCli(["--out", path.join(tempDir(), "n"), "--name", "*/evil"]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--name must start with a letter/);
  });
});
