/**
 * Response contract: each recorded response, replayed exactly over HTTP, gives the right outcome
 * through the generated client —
 * - a 2xx: typed data deep-equal to the recorded body; `undefined` for a status the spec documents
 *   without content (the 204 recorded with `{}`) and for an empty body; every recorded header
 *   reaches the caller through `withResponse()`;
 * - a 4xx/5xx: an `ApiError` of the status's subclass, with the status, even from the recorded
 *   empty `text/plain` bodies.
 * And the live API's shape: each error status with a JSON body `{code, message}` for every code
 * the spec's error examples document, exposing Zoom's code, message and tracking id.
 *
 * Driven by the fixtures and the spec: a new fixture needs no new code here.
 */
import { describe, it } from "vitest";
import {
  loadContract,
  need,
  recordedContentType,
  replayOf,
  responseLabel,
  specResponse,
  type ContractCase,
  type PostmanResponse,
} from "../support/postman.js";
import { zoomError, type ReplayServer } from "../support/replay-server.js";
import { ContractFailure, Mismatches, errorExamples, rejection, show } from "./checks.js";
import { callInput, errorClass, errorClassName, methodOf, useReplayClient, type ApiErrorLike } from "./client.js";

const contract = await loadContract();
let server: ReplayServer;
let client: unknown;

useReplayClient(contract.model.factoryName, (started, created) => {
  server = started;
  client = created;
});

/** What a recorded 2xx must resolve to, by the spec's response for its status. */
function expectedData(c: ContractCase, response: PostmanResponse): { value: unknown; why: string } {
  const body = response.body ?? "";
  const spec = c.match ? specResponse(c.match.operation.responses, response.code) : undefined;
  if (spec?.bodyKind === "empty") return { value: undefined, why: `the spec documents ${response.code} without content` };
  if (body === "") return { value: undefined, why: "the recorded body is empty" };
  if (spec?.bodyKind === "text") return { value: body, why: "the spec documents a text body" };
  try {
    return { value: JSON.parse(body) as unknown, why: "the recorded JSON body" };
  } catch {
    return { value: body, why: "the recorded (non-JSON) body" };
  }
}

function outcomeLabel(c: ContractCase, response: PostmanResponse): string {
  if (response.code >= 400) return errorClassName(response.code);
  return expectedData(c, response).value === undefined ? "undefined" : "data";
}

/** Calls without retries: each test is about one exchange, and a retried 429 would only be slower. */
function call(c: ContractCase) {
  const { input } = need(c);
  return methodOf(client, c)(callInput(input, undefined, { retry: false }));
}

/** The call's result, or a failure that names the test and what the call threw instead. */
async function succeed<T>(where: string, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    const e = error instanceof Error ? `${error.name}: ${error.message}` : show(error);
    throw new ContractFailure(`${where}: expected the call to succeed, it threw ${e}`);
  }
}

/** Checks class, status and operation of a thrown error; returns it typed. */
function checkError(m: Mismatches, c: ContractCase, status: number, thrown: unknown): ApiErrorLike | undefined {
  const { operation } = need(c);
  const ApiError = errorClass("ApiError");
  const expectedClass = errorClassName(status);
  if (!(thrown instanceof ApiError)) {
    m.add("error", `expected an ApiError (${expectedClass}), actual ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : show(thrown)}`);
    return undefined;
  }
  const error = thrown as unknown as ApiErrorLike;
  if (!(thrown instanceof errorClass(expectedClass))) m.add("error class", `expected ${expectedClass}, actual ${error.constructor.name}`);
  m.equal("error.status", status, error.status);
  m.equal("error.operationId", operation.id, error.operationId);
  return error;
}

describe("recorded responses: each gives the right outcome", () => {
  for (const c of contract.cases) {
    for (const response of c.fixture.item.response) {
      const name = `${c.name} › ${responseLabel(response)} → ${outcomeLabel(c, response)}`;
      it(name, async () => {
        need(c);
        server.reset();
        server.respondWith(replayOf(response));
        const m = new Mismatches(name);
        if (response.code >= 400) {
          const thrown = await rejection(name, call(c));
          const error = checkError(m, c, response.code, thrown);
          if (error && (response.body ?? "") === "") {
            m.equal("error.code (no body, so no Zoom code)", undefined, error.code);
          }
          m.assertNone();
          return;
        }
        const expected = expectedData(c, response);
        const data = await succeed(name, call(c));
        m.equal(`data (${expected.why})`, expected.value, data);
        const result = await succeed(name, call(c).withResponse());
        m.equal("withResponse().status", response.code, result.status);
        m.equal(`withResponse().data (${expected.why})`, expected.value, result.data);
        for (const header of response.header ?? []) {
          m.equal(`withResponse().headers.get(${show(header.key)})`, header.value, result.headers.get(header.key));
        }
        m.assertNone();
      });
    }
  }
});

describe("live API shape: JSON {code, message} errors with the codes the spec documents", () => {
  for (const c of contract.cases) {
    const examples = c.match ? errorExamples(contract.document, c.match.operation) : [];
    // Every error status the item recorded must have at least one documented code.
    const recordedErrors = [...new Set(c.fixture.item.response.filter((r) => r.code >= 400).map((r) => r.code))];
    for (const status of recordedErrors) {
      if (examples.some((e) => e.status === status)) continue;
      it(`${c.name} › ${status} (live JSON) has a documented Zoom code`, () => {
        need(c);
        throw new ContractFailure(`${c.name} › ${status}: the item records a ${status}, but the spec's ${c.match?.operation.id} documents no {code, message} example for it`);
      });
    }
    for (const example of examples) {
      const name = `${c.name} › ${example.status} (live JSON code ${example.code}) → ${errorClassName(example.status)}`;
      it(name, async () => {
        need(c);
        server.reset();
        const served = zoomError(example.status, example.code, example.message);
        server.respondWith(served);
        const thrown = await rejection(name, call(c));
        const m = new Mismatches(name);
        const error = checkError(m, c, example.status, thrown);
        if (error) {
          m.equal("error.code (Zoom's code)", example.code, error.code);
          m.equal("error.zoomMessage", example.message, error.zoomMessage);
          const tracking = new Map((served.headers as ReadonlyArray<readonly [string, string]>).map(([k, v]) => [k.toLowerCase(), v]));
          m.equal("error.trackingId (x-zm-trackingid)", tracking.get("x-zm-trackingid"), error.trackingId);
          m.equal("error.body (the raw body text)", served.body, error.body);
        }
        m.assertNone();
      });
    }
  }
});

describe("recorded responses are the ones the spec documents", () => {
  for (const c of contract.cases) {
    it(`${c.name} › every recorded status is documented, with the recorded media type's kind`, () => {
      const { operation } = need(c);
      const m = new Mismatches(`${c.name} (${operation.id})`);
      for (const response of c.fixture.item.response) {
        const spec = specResponse(operation.responses, response.code);
        if (!spec) {
          m.add(`response ${response.code}`, `recorded, but the spec documents only ${show(operation.responses.map((r) => r.status))}`);
          continue;
        }
        // A recorded JSON body on a 2xx other than 204 needs a JSON response in the spec.
        const type = recordedContentType(response);
        if (response.code < 300 && response.code !== 204 && (response.body ?? "") !== "" && /json/i.test(type)) {
          m.equal(`response ${response.code} body kind`, "json", spec.bodyKind);
        }
      }
      m.assertNone();
    });
  }
});
