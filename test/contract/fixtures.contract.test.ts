/**
 * The fixtures themselves: each is a Postman item that names one operation of the spec (method +
 * path template, through the generator's model) and whose recorded values can be typed by that
 * operation's schemas; each is byte for byte the item in shared/postman/ (when shared/ is beside
 * the checkout), since recorded data is never "fixed"; and the spec's examples named `recorded`
 * (a parameter's, a request body's, a response's) hold exactly the recorded values, typed.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FIXTURE_DIR, loadContract, need, pathTemplate, recordedJson, resolvePointer } from "../support/postman.js";
import { ContractFailure, Mismatches, diffJson, show } from "./checks.js";

const contract = await loadContract();
const SHARED_DIR = fileURLToPath(new URL("../../../shared/postman/", import.meta.url));

describe("fixtures", () => {
  it("there are fixtures", () => {
    expect(contract.cases.length).toBeGreaterThan(0);
  });

  for (const c of contract.cases) {
    it(`${c.name} › is ${c.fixture.item.request.method} ${pathTemplate(c.fixture.item)} in the spec, with typed values`, () => {
      const { operation, input } = need(c);
      expect(`${operation.method} ${operation.path}`).toBe(`${c.fixture.item.request.method.toUpperCase()} ${pathTemplate(c.fixture.item)}`);
      expect(input).toBeDefined();
    });
  }

  it("every operation of the spec has a recorded item, except the list operations (no Postman recording)", () => {
    const covered = new Set(contract.cases.map((c) => c.match?.operation.id));
    // Added with pagination (issue 11); their paging is exercised over HTTP in test/runtime/pagination.test.ts.
    const unrecorded = ["listChannelMembers", "listGroupMembers", "listMeetingRegistrants", "listUsers"];
    expect(contract.model.operations.map((o) => o.id).filter((id) => !covered.has(id))).toEqual(unrecorded);
  });
});

describe.skipIf(!existsSync(SHARED_DIR))("fixtures are the shared recordings, byte for byte", () => {
  const shared = existsSync(SHARED_DIR) ? readdirSync(SHARED_DIR).filter((f) => f.endsWith(".json")).sort() : [];
  it("every shared item is a fixture", () => {
    const ours = new Set(contract.cases.map((c) => c.fixture.file));
    expect(shared.filter((f) => !ours.has(f))).toEqual([]);
  });
  for (const file of shared) {
    it(`${file} is identical`, () => {
      if (!existsSync(path.join(FIXTURE_DIR, file))) return; // reported by the test above
      const ours = readFileSync(path.join(FIXTURE_DIR, file));
      const theirs = readFileSync(path.join(SHARED_DIR, file));
      if (ours.equals(theirs)) return;
      const name = (JSON.parse(theirs.toString("utf8")) as { name?: string }).name ?? file;
      let differences;
      try {
        differences = diffJson(JSON.parse(theirs.toString("utf8")), JSON.parse(ours.toString("utf8")));
      } catch (error) {
        throw new ContractFailure(`${name} (test/fixtures/postman/${file}): not JSON any more: ${(error as Error).message}`);
      }
      const lines = differences.map((d) => `  - ${d.path}: expected ${show(d.expected)} (as recorded), actual ${show(d.actual)}`);
      throw new ContractFailure(
        `${name} (test/fixtures/postman/${file}) differs from the recording shared/postman/${file}:\n` +
          (lines.length > 0 ? lines.join("\n") : "  - same JSON, different bytes (whitespace or key order)"),
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The spec's `recorded` examples agree with the fixtures

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deref(value: unknown): Record<string, unknown> | undefined {
  let current = value;
  for (let i = 0; i < 32 && isRecord(current) && typeof current.$ref === "string"; i++) {
    current = resolvePointer(contract.document, current.$ref);
  }
  return isRecord(current) ? current : undefined;
}

/** The value of the example named `recorded` in an `examples` map, if any. */
function recordedExample(owner: Record<string, unknown> | undefined): { found: true; value: unknown } | { found: false } {
  const example = deref(deref(owner?.examples)?.recorded);
  return example && "value" in example ? { found: true, value: example.value } : { found: false };
}

describe("the spec's examples named `recorded` hold the recorded values", () => {
  for (const c of contract.cases) {
    it(`${c.name} › the spec's recorded examples match the fixture`, () => {
      const { operation, input } = need(c);
      const m = new Mismatches(`${c.name} (${c.fixture.file}) disagrees with the spec's \`recorded\` examples of ${operation.id}`);
      const paths = deref(contract.document.paths) ?? {};
      const pathItem = deref(paths[operation.path]) ?? {};
      const raw = deref(pathItem[operation.method.toLowerCase()]) ?? {};
      const compare = (where: string, example: unknown, recorded: unknown) => {
        for (const d of diffJson(example, recorded)) {
          const at = d.path === "(root)" ? "" : ` ${d.path}`;
          m.add(`${where}${at}`, `the spec's example says ${show(d.expected)}, the fixture records ${show(d.actual)}`);
        }
      };
      const parameters = [...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []), ...(Array.isArray(raw.parameters) ? raw.parameters : [])];
      // A parameter shared through #/components/parameters serves several operations (and so
      // several items): only an operation's own parameters are held to its item.
      for (const p of parameters.map((raw) => (isRecord(raw) && typeof raw.$ref === "string" ? undefined : deref(raw)))) {
        if (!p || (p.in !== "path" && p.in !== "query") || typeof p.name !== "string") continue;
        const example = recordedExample(p);
        if (!example.found) continue;
        const values = p.in === "path" ? input.path : input.query;
        compare(`${p.in} ${p.name}`, example.value, values?.[p.name]);
      }
      for (const [mediaType, media] of Object.entries(deref(deref(raw.requestBody)?.content) ?? {})) {
        const example = recordedExample(deref(media));
        if (example.found) compare(`request body (${mediaType})`, example.value, input.body);
      }
      for (const [status, response] of Object.entries(deref(raw.responses) ?? {})) {
        for (const [mediaType, media] of Object.entries(deref(deref(response)?.content) ?? {})) {
          const example = recordedExample(deref(media));
          if (!example.found) continue;
          const recorded = c.fixture.item.response.find((r) => String(r.code) === status);
          const json = recorded ? recordedJson(recorded) : { ok: false as const };
          if (!json.ok) {
            m.add(`response ${status} (${mediaType})`, "the spec has a recorded example, the fixture records no JSON body for it");
            continue;
          }
          compare(`response ${status} body`, example.value, json.value);
        }
      }
      m.assertNone();
    });
  }
});
