/**
 * Schema contract: every recorded JSON body (responses, and the recorded request bodies once
 * typed) and every example in the spec validates against the spec's schema for it, with ajv
 * (JSON Schema 2020-12, formats on). A mutated copy of each recorded body (a field of the wrong
 * type, a required field removed) must fail — proof the validation can fail at all.
 *
 * Driven by the fixtures and the spec; no item or schema is named here.
 */
import { describe, expect, it } from "vitest";
import {
  loadContract,
  need,
  recordedJson,
  resolveSchema,
  schemaTypes,
  specResponse,
  type ContractCase,
} from "../support/postman.js";
import { ContractFailure, SpecValidator, mutationsOf, show, type Mutation } from "./checks.js";

const contract = await loadContract();
const { document } = contract;
const validator = new SpecValidator(document);
const resolve = (schema: unknown) => resolveSchema(document, schema);
const typesOf = (schema: unknown) => schemaTypes(document, schema);

/** A recorded JSON body and the spec's schema it must match. */
interface BodyCase {
  readonly c: ContractCase;
  readonly label: string;
  readonly value: unknown;
  /** The schema, or why there is none (a failure of its own). */
  readonly schema: Record<string, unknown> | string;
}

function schemaName(schema: Record<string, unknown> | string): string {
  if (typeof schema === "string") return schema;
  return typeof schema.$ref === "string" ? schema.$ref : "inline schema";
}

/** Recorded response bodies that are JSON (a 204 carries none on the wire, so it is left out). */
function responseBodies(c: ContractCase): BodyCase[] {
  const out: BodyCase[] = [];
  for (const response of c.fixture.item.response) {
    const json = recordedJson(response);
    if (!json.ok || response.code === 204) continue;
    const label = `${response.code} recorded body`;
    if (!c.match) {
      out.push({ c, label, value: json.value, schema: "" });
      continue;
    }
    const spec = specResponse(c.match.operation.responses, response.code);
    out.push({ c, label, value: json.value, schema: spec?.schema ?? "" });
  }
  return out;
}

/** The recorded request body, typed by the spec, against the request body schema. */
function requestBodies(c: ContractCase): BodyCase[] {
  if (!c.recorded.fields) return [];
  return [{ c, label: "recorded request body (typed)", value: c.input?.body, schema: c.match?.operation.requestBody?.schema ?? "" }];
}

const bodies = contract.cases.flatMap((c) => [...responseBodies(c), ...requestBodies(c)]);

describe("recorded bodies validate against the spec", () => {
  for (const body of bodies) {
    it(`${body.c.name} › ${body.label} matches the spec's schema`, () => {
      need(body.c);
      if (body.schema === "") {
        throw new ContractFailure(`${body.c.name} › ${body.label}: the spec documents no JSON schema for it, but the recording carries ${show(body.value)}`);
      }
      const problems = validator.problems(body.schema, body.value);
      if (problems.length > 0) {
        throw new ContractFailure(
          `${body.c.name} › ${body.label} does not match ${schemaName(body.schema)}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
      }
    });
  }
});

describe("mutated copies of recorded bodies fail validation", () => {
  for (const body of bodies) {
    if (body.schema === "" || body.value === undefined) continue;
    const mutations: Mutation[] = mutationsOf(resolve, typesOf, body.schema, body.value);
    for (const mutation of mutations) {
      it(`${body.c.name} › ${body.label} with ${mutation.description} fails validation`, () => {
        const errors = validator.errors(body.schema, mutation.mutant);
        if (errors.length === 0) {
          throw new ContractFailure(
            `${body.c.name} › ${body.label} with ${mutation.description}: expected ${schemaName(body.schema)} to reject it, it passed: ${show(mutation.mutant)}`,
          );
        }
        const located = errors.some((e) => e.instancePath === mutation.instancePath || e.instancePath.startsWith(`${mutation.instancePath}/`));
        expect(located, `${body.c.name} › ${body.label}: errors ${show(errors.map((e) => `${e.instancePath} ${e.message}`))} do not point at ${mutation.instancePath || "(root)"}`).toBe(true);
      });
    }
  }

  it("a mutation exists for every recorded body (a wrong type at least)", () => {
    const without = bodies.filter((b) => b.schema !== "" && b.value !== undefined && mutationsOf(resolve, typesOf, b.schema, b.value).length === 0);
    expect(without.map((b) => `${b.c.name} › ${b.label}`)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Every example in the spec

interface SpecExample {
  /** JSON pointer of the example, e.g. `#/paths/~1users~1{userId}/get/responses/200/content/application~1json/examples/recorded`. */
  readonly pointer: string;
  readonly value: unknown;
  readonly schema: Record<string, unknown>;
}

function escape(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deref(value: unknown): Record<string, unknown> | undefined {
  let current = value;
  for (let i = 0; i < 32 && isRecord(current) && typeof current.$ref === "string"; i++) {
    current = resolveSchema(document, { $ref: current.$ref });
  }
  return isRecord(current) ? current : undefined;
}

/** `example` and each of `examples` (an OpenAPI map of Example objects) of an object with a schema. */
function examplesOf(owner: Record<string, unknown>, pointer: string, schema: unknown): SpecExample[] {
  if (!isRecord(schema)) return [];
  const out: SpecExample[] = [];
  if (owner.example !== undefined) out.push({ pointer: `${pointer}/example`, value: owner.example, schema });
  for (const [name, raw] of Object.entries(deref(owner.examples) ?? {})) {
    const example = deref(raw);
    if (example && "value" in example) out.push({ pointer: `${pointer}/examples/${escape(name)}`, value: example.value, schema });
  }
  return out;
}

function contentExamples(content: unknown, pointer: string): SpecExample[] {
  return Object.entries(deref(content) ?? {}).flatMap(([mediaType, raw]) => {
    const media = deref(raw);
    return media ? examplesOf(media, `${pointer}/content/${escape(mediaType)}`, media.schema) : [];
  });
}

function parameterExamples(parameters: unknown, pointer: string): SpecExample[] {
  return (Array.isArray(parameters) ? parameters : []).flatMap((raw, i) => {
    const parameter = deref(raw);
    return parameter ? examplesOf(parameter, `${pointer}/parameters/${i}`, parameter.schema) : [];
  });
}

function allSpecExamples(): SpecExample[] {
  const out: SpecExample[] = [];
  const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  for (const [route, rawItem] of Object.entries(deref(document.paths) ?? {})) {
    const item = deref(rawItem) ?? {};
    const itemPointer = `#/paths/${escape(route)}`;
    out.push(...parameterExamples(item.parameters, itemPointer));
    for (const method of methods) {
      const operation = deref(item[method]);
      if (!operation) continue;
      const pointer = `${itemPointer}/${method}`;
      out.push(...parameterExamples(operation.parameters, pointer));
      const body = deref(operation.requestBody);
      if (body) out.push(...contentExamples(body.content, `${pointer}/requestBody`));
      for (const [status, rawResponse] of Object.entries(deref(operation.responses) ?? {})) {
        const response = deref(rawResponse);
        if (!response) continue;
        const responsePointer = `${pointer}/responses/${escape(status)}`;
        out.push(...contentExamples(response.content, responsePointer));
        for (const [name, rawHeader] of Object.entries(deref(response.headers) ?? {})) {
          const header = deref(rawHeader);
          if (header) out.push(...examplesOf(header, `${responsePointer}/headers/${escape(name)}`, header.schema));
        }
      }
    }
  }
  const components = deref(document.components) ?? {};
  for (const [name, raw] of Object.entries(deref(components.schemas) ?? {})) {
    const schema = deref(raw);
    if (!schema) continue;
    const pointer = `#/components/schemas/${escape(name)}`;
    if (schema.example !== undefined) out.push({ pointer: `${pointer}/example`, value: schema.example, schema: { $ref: pointer } });
    (Array.isArray(schema.examples) ? schema.examples : []).forEach((value, i) =>
      out.push({ pointer: `${pointer}/examples/${i}`, value, schema: { $ref: pointer } }),
    );
  }
  for (const [kind, key] of [["parameters", "parameters"], ["headers", "headers"]] as const) {
    for (const [name, raw] of Object.entries(deref(components[kind]) ?? {})) {
      const owner = deref(raw);
      if (owner) out.push(...examplesOf(owner, `#/components/${key}/${escape(name)}`, owner.schema));
    }
  }
  // The same example can be reached twice (a component and its use); test each pointer once.
  return [...new Map(out.map((e) => [e.pointer, e])).values()];
}

const specExamples = allSpecExamples();

describe("every example in the spec validates against its schema", () => {
  it("the spec has examples to check", () => {
    expect(specExamples.length).toBeGreaterThan(0);
  });
  for (const example of specExamples) {
    it(`spec example ${example.pointer}`, () => {
      const problems = validator.problems(example.schema, example.value);
      if (problems.length > 0) {
        throw new ContractFailure(
          `spec example ${example.pointer} does not match ${schemaName(example.schema)}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
      }
    });
  }
});
