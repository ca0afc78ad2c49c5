/**
 * Request contract: calling the generated method with an item's recorded values sends exactly
 * the recorded request — method, path with its variables substituted and percent-encoded, the
 * query keys and values, `Authorization: Bearer`, and the body — in both encodings: JSON (the
 * fields with their JSON types) and multipart/form-data (each field a text part, parsed by the
 * platform's own parser, with exactly its recorded text).
 *
 * Driven by the fixtures and the spec: a new fixture needs no new code here.
 */
import { describe, it } from "vitest";
import { loadContract, need, schemaTypes, type ContractCase } from "../support/postman.js";
import type { ReplayServer } from "../support/replay-server.js";
import { ContractFailure, Mismatches, checkRequest, show } from "./checks.js";
import { callInput, methodOf, useReplayClient } from "./client.js";

const contract = await loadContract();
let server: ReplayServer;
let client: unknown;

useReplayClient(contract.model.factoryName, (started, created) => {
  server = started;
  client = created;
});

/** JSON and multipart for an item that recorded a body; one run without a body otherwise. */
function encodings(c: ContractCase): Array<string | undefined> {
  return c.recorded.fields ? ["application/json", "multipart/form-data"] : [undefined];
}

/** The item's first recorded 2xx, so the call completes the way the recording did. */
function successOf(c: ContractCase) {
  const ok = c.fixture.item.response.find((r) => r.code >= 200 && r.code < 300);
  return ok ? { status: ok.code, headers: (ok.header ?? []).map((h) => [h.key, h.value ?? ""] as const), body: ok.body ?? "" } : { status: 204 };
}

describe("requests: the generated client sends exactly the recorded request", () => {
  for (const c of contract.cases) {
    for (const encoding of encodings(c)) {
      it(`${c.name} › request (${encoding ?? "no body"})`, async () => {
        const { operation, input } = need(c);
        const where = `${c.name} › request (${encoding ?? "no body"}), ${operation.method} ${operation.path}`;
        if (encoding && !operation.requestBody?.mediaTypes.includes(encoding)) {
          throw new ContractFailure(`${where}: the spec lists ${show(operation.requestBody?.mediaTypes ?? [])} for ${operation.id}, not ${encoding}`);
        }
        server.reset();
        server.respondWith(successOf(c));
        let callError: unknown;
        try {
          await methodOf(client, c)(callInput(input, encoding));
        } catch (error) {
          callError = error;
        }
        if (server.requests.length !== 1) {
          const why = callError ? `; the call threw ${(callError as Error).name}: ${(callError as Error).message}` : "";
          throw new ContractFailure(`${where}: expected exactly 1 request to arrive, ${server.requests.length} did${why}`);
        }
        const m = new Mismatches(`${where}: the server received something else than the recording`);
        await checkRequest(m, c, operation, server.lastRequest(), encoding, input.body);
        m.assertNone();
      });
    }
  }
});

/** Characters that change a URL's meaning unless percent-encoded, plus a space and non-ASCII. */
const AWKWARD = "a b/c?d#e%f&g=h+i;é";

describe("requests: path variables are percent-encoded", () => {
  for (const c of contract.cases) {
    if (c.recorded.pathVariables.length === 0) continue;
    it(`${c.name} › path variables holding ${JSON.stringify(AWKWARD)} arrive percent-encoded, one segment each`, async () => {
      const { operation, input } = need(c);
      const where = `${c.name} › ${operation.method} ${operation.path} with awkward path values`;
      const path: Record<string, unknown> = { ...input.path };
      const changed: string[] = [];
      for (const param of operation.pathParams) {
        if (!schemaTypes(contract.document, param.schema).includes("string")) continue;
        path[param.name] = AWKWARD;
        changed.push(param.name);
      }
      if (changed.length === 0) return; // no string path variable to try
      server.reset();
      server.respondWith(successOf(c));
      try {
        await methodOf(client, c)({ ...callInput(input, undefined), path });
      } catch (error) {
        if (server.requests.length === 0) throw new ContractFailure(`${where}: nothing was sent; the call threw ${(error as Error).name}: ${(error as Error).message}`);
      }
      const received = server.lastRequest();
      const m = new Mismatches(`${where}: the server received ${show(received.rawPath)}`);
      const template = operation.path.split("/");
      const segments = received.path.split("/");
      m.equal("number of path segments", template.length, segments.length);
      template.forEach((part, i) => {
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (name === undefined || !changed.includes(name)) return;
        const got = segments[i] ?? "";
        if (!/^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/.test(got) || /[?#&=+;]/.test(got)) {
          m.add(`path variable ${name}`, `not fully percent-encoded: actual ${show(got)}`);
        }
        let decoded: string | undefined;
        try {
          decoded = decodeURIComponent(got);
        } catch {
          decoded = undefined;
        }
        m.equal(`path variable ${name} (decoded)`, AWKWARD, decoded);
      });
      m.equal("query (the path's ? and # must not start one)", c.recorded.query.map(([k]) => k).sort(), [...new Set(received.query.map(([k]) => k))].sort());
      m.assertNone();
    });
  }
});
