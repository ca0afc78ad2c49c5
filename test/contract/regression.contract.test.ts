/**
 * Regressions of the seed code samples: the other generator's samples sent wrong multipart parts
 * (values leaking between fields like `movevelit pariatur dolor`, `true[{...}]`,
 * `Excepteur proident innormalfalse...`, a value sent as a field name). The table of what they
 * sent is data (test/fixtures/postman/regressions/seed-samples.json); each wrong part is a test
 * that our client, called with the item's recorded values, does not send it — asserted on what
 * the replay server actually received, parsed by the platform's multipart parser.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_DIR, loadContract, need, type ContractCase } from "../support/postman.js";
import { startReplayServer, type ReplayServer } from "../support/replay-server.js";
import { ContractFailure, Mismatches, show } from "./checks.js";
import { callInput, createClient, methodOf } from "./client.js";

interface SeedSample {
  readonly item: string;
  readonly seed: string;
  readonly bug: string;
  readonly sent: ReadonlyArray<readonly [name: string, value: string, kind: "text" | "file"]>;
}

const samples = (JSON.parse(readFileSync(`${FIXTURE_DIR}regressions/seed-samples.json`, "utf8")) as { samples: SeedSample[] }).samples;
const contract = await loadContract();
let server: ReplayServer;
let client: unknown;

beforeAll(async () => {
  server = await startReplayServer({ response: { status: 200, headers: [["Content-Type", "application/json"]], body: "{}" } });
  client = createClient(contract.model.factoryName, server);
});
afterAll(async () => {
  await server.close();
});

/** Calls the item's operation as multipart with its recorded values; the form the server parsed. */
async function sendMultipart(c: ContractCase, where: string): Promise<FormData> {
  const { input } = need(c);
  server.reset();
  try {
    await methodOf(client, c)(callInput(input, "multipart/form-data"));
  } catch {
    // The outcome does not matter here, only what was sent.
  }
  if (server.requests.length !== 1) throw new ContractFailure(`${where}: expected 1 request, ${server.requests.length} arrived`);
  return server.lastRequest().formData();
}

describe("seed sample regressions: our client sends each field's own value", () => {
  it("every sample names a fixture", () => {
    expect(samples.filter((s) => !contract.cases.some((c) => c.name === s.item)).map((s) => s.item)).toEqual([]);
  });

  for (const sample of samples) {
    const c = contract.cases.find((x) => x.name === sample.item);
    if (!c) continue;
    const recorded = new Map(c.recorded.fields ?? []);
    for (const [name, value, kind] of sample.sent) {
      // Parts the seed got right are no regression.
      if (kind === "text" && recorded.get(name) === value) continue;
      const short = (text: string) => show(text.length > 40 ? `${text.slice(0, 40)}…` : text);
      const what =
        kind === "file" ? `no file part (the seed sent ${short(value)} as a file named ${show(name)})` :
        recorded.has(name) ? `form field ${name} is not ${short(value)}` :
        `no form field named ${show(name)}`;
      const title = `${sample.item} › seed bug (${sample.bug}): ${what}`;
      it(title, async () => {
        const form = await sendMultipart(c, title);
        const m = new Mismatches(`${title} [seed ${sample.seed}]`);
        if (kind === "file") {
          for (const [key, part] of form) {
            if (typeof part !== "string") m.add(`form field ${show(key)}`, `expected a text part, actual a file part named ${show(part.name)}`);
          }
        } else if (recorded.has(name)) {
          const got = form.getAll(name);
          if (got.length === 1 && got[0] === value) m.add(`form field ${name}`, `repeats the seed's bug: actual ${show(value)}`);
          m.equal(`form field ${name}`, [recorded.get(name)], got);
        } else if (form.has(name)) {
          m.add(`form field ${show(name)}`, `expected no such field, actual ${show(form.getAll(name).map(String))}`);
        }
        // The seed's wrong value must not turn up under any field.
        if (value !== "" && !(recorded.get(name) === value)) {
          for (const [key, part] of form) {
            if (part === value) m.add(`form field ${key}`, `carries the seed's wrong value ${show(value)}`);
          }
        }
        m.assertNone();
      });
    }
  }
});
