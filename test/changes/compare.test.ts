/**
 * The change report's rules, case by case: each row is a small spec, an edit to it and the
 * classification a caller of the generated client expects (docs/CHANGES.md).
 */
import { describe, expect, it } from "vitest";
import { buildModel } from "../../generator/build-model.js";
import { compareModels, compareSurfaces, parseSurface, serializeSurface, surfaceFromModel, type ChangeReport } from "../../generator/changes/index.js";
import type { OpenApiDocument } from "../../generator/load.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const json = (schema: object) => ({ content: { "application/json": { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function baseSpec(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "Test API", version: "1.0.0", description: "A small API." },
    servers: [{ url: "https://api.example.com/v2" }],
    security: [{ oauth: [] }],
    components: {
      securitySchemes: { oauth: { type: "http", scheme: "bearer" }, apiKey: { type: "apiKey", in: "header", name: "x-key" } },
      schemas: {
        User: {
          type: "object",
          required: ["id", "email"],
          properties: {
            id: { type: "string" },
            email: { type: "string", format: "email" },
            status: { type: "string", enum: ["active", "inactive"] },
            nickname: { type: "string" },
            manager: ref("User"),
          },
        },
        NewUser: {
          type: "object",
          required: ["email"],
          properties: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", enum: ["admin", "member"] } },
        },
        Named: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
        Pet: { allOf: [ref("Named"), { type: "object", required: ["kind"], properties: { kind: { type: "string" } } }] },
      },
    },
    paths: {
      "/users/{userId}": {
        get: {
          operationId: "getUser",
          tags: ["Users"],
          summary: "Get a user",
          parameters: [
            { name: "userId", in: "path", required: true, schema: { type: "string" } },
            { name: "login_type", in: "query", schema: { type: "integer" } },
          ],
          responses: { "200": { description: "The user", ...json(ref("User")) }, "404": { description: "Not found" } },
        },
      },
      "/users": {
        get: {
          operationId: "listUsers",
          tags: ["Users"],
          parameters: [{ name: "page_size", in: "query", schema: { type: "integer" } }],
          responses: {
            "200": {
              description: "A page",
              ...json({ type: "object", properties: { users: { type: "array", items: ref("User") }, next_page_token: { type: "string" } } }),
            },
          },
        },
        post: {
          operationId: "createUser",
          tags: ["Users"],
          requestBody: { required: true, ...json(ref("NewUser")) },
          responses: { "201": { description: "Created", ...json(ref("User")) } },
        },
      },
      "/pets/{petId}": {
        get: {
          operationId: "getPet",
          tags: ["Pets"],
          parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The pet", ...json(ref("Pet")) } },
        },
        put: {
          operationId: "updatePet",
          tags: ["Pets"],
          parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { ...json(ref("Pet")) },
          responses: { "204": { description: "Updated" } },
        },
      },
      "/things": {
        get: {
          operationId: "getThing",
          tags: ["Things"],
          responses: {
            "200": {
              description: "One of two",
              ...json({ oneOf: [{ type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { b: { type: "string" } } }] }),
            },
          },
        },
      },
    },
  };
}

const schemas = (d: Doc) => d.components.schemas;
const getUser = (d: Doc) => d.paths["/users/{userId}"].get;
const listUsers = (d: Doc) => d.paths["/users"].get;
const createUser = (d: Doc) => d.paths["/users"].post;

interface Case {
  readonly name: string;
  readonly edit: (spec: Doc) => void;
  readonly bump: ChangeReport["bump"];
  /** The rules expected to fire, exactly (order does not matter). */
  readonly rules: readonly string[];
  readonly exhaustive?: boolean;
}

/** User is returned by getUser, createUser and listUsers: a change to it shows once per use. */
const inUserResponses = (rule: string) => [rule, rule, rule];

const CASES: readonly Case[] = [
  // Acceptance cases (issue 10).
  { name: "adding an operation", edit: (d) => (d.paths["/users/{userId}"].delete = { operationId: "deleteUser", tags: ["Users"], responses: { "204": { description: "Gone" } } }), bump: "minor", rules: ["operation-added"] },
  { name: "removing a response field", edit: (d) => delete schemas(d).User.properties.nickname, bump: "major", rules: inUserResponses("response-property-removed") },
  { name: "making an optional request field required", edit: (d) => schemas(d).NewUser.required.push("name"), bump: "major", rules: ["request-property-made-required"] },
  { name: "adding an optional query parameter", edit: (d) => getUser(d).parameters.push({ name: "fields", in: "query", schema: { type: "string" } }), bump: "minor", rules: ["parameter-added-optional"] },
  { name: "editing only a description", edit: (d) => (getUser(d).summary = "Fetch one user"), bump: "patch", rules: ["documentation-changed"] },
  // Operations.
  { name: "nothing changes", edit: () => {}, bump: "none", rules: [] },
  { name: "removing an operation", edit: (d) => delete d.paths["/things"], bump: "major", rules: ["operation-removed"] },
  { name: "renaming an operation (same method and path)", edit: (d) => (getUser(d).operationId = "fetchUser"), bump: "major", rules: ["operation-renamed"] },
  { name: "moving an operation to another group", edit: (d) => (getUser(d).tags = ["Accounts"]), bump: "major", rules: ["operation-moved"] },
  { name: "deprecating an operation", edit: (d) => (getUser(d).deprecated = true), bump: "minor", rules: ["operation-deprecated"] },
  { name: "renaming a path parameter", edit: (d) => { d.paths["/users/{id}"] = d.paths["/users/{userId}"]; delete d.paths["/users/{userId}"]; d.paths["/users/{id}"].get.parameters[0].name = "id"; }, bump: "major", rules: ["parameter-added-required", "parameter-removed"] },
  // Parameters.
  { name: "adding a required query parameter", edit: (d) => getUser(d).parameters.push({ name: "fields", in: "query", required: true, schema: { type: "string" } }), bump: "major", rules: ["parameter-added-required"] },
  { name: "removing a query parameter", edit: (d) => getUser(d).parameters.pop(), bump: "major", rules: ["parameter-removed"] },
  { name: "making a query parameter required", edit: (d) => (getUser(d).parameters[1].required = true), bump: "major", rules: ["parameter-made-required"] },
  { name: "making a required query parameter optional", edit: (d) => (listUsers(d).parameters[0].required = true), bump: "major", rules: ["parameter-made-required"] },
  { name: "retyping a query parameter integer → string", edit: (d) => (getUser(d).parameters[1].schema = { type: "string" }), bump: "major", rules: ["request-retyped"] },
  { name: "widening a query parameter integer → number", edit: (d) => (getUser(d).parameters[1].schema = { type: "number" }), bump: "minor", rules: ["request-type-widened"] },
  { name: "adding an optional header parameter", edit: (d) => getUser(d).parameters.push({ name: "X-Trace", in: "header", schema: { type: "string" } }), bump: "minor", rules: ["parameter-added-optional"] },
  { name: "a path-level parameter moved into the operation changes nothing", edit: (d) => { const item = d.paths["/pets/{petId}"]; item.parameters = [item.get.parameters[0]]; delete item.get.parameters; delete item.put.parameters; }, bump: "none", rules: [] },
  // Request bodies.
  { name: "adding an optional request field", edit: (d) => (schemas(d).NewUser.properties.phone = { type: "string" }), bump: "minor", rules: ["request-property-added"] },
  { name: "adding a required request field", edit: (d) => { schemas(d).NewUser.properties.phone = { type: "string" }; schemas(d).NewUser.required.push("phone"); }, bump: "major", rules: ["request-property-added-required"] },
  { name: "removing a request field", edit: (d) => delete schemas(d).NewUser.properties.name, bump: "major", rules: ["request-property-removed"] },
  { name: "making a required request field optional", edit: (d) => (schemas(d).NewUser.required = []), bump: "minor", rules: ["request-property-made-optional"] },
  { name: "adding an enum value to a request", edit: (d) => schemas(d).NewUser.properties.role.enum.push("owner"), bump: "minor", rules: ["request-enum-value-added"] },
  { name: "removing an enum value from a request", edit: (d) => (schemas(d).NewUser.properties.role.enum = ["member"]), bump: "major", rules: ["request-enum-value-removed"] },
  { name: "making a request field nullable", edit: (d) => (schemas(d).NewUser.properties.name.type = ["string", "null"]), bump: "minor", rules: ["request-made-nullable"] },
  { name: "making the request body optional", edit: (d) => (createUser(d).requestBody.required = false), bump: "minor", rules: ["request-body-made-optional"] },
  { name: "making the request body required", edit: (d) => (d.paths["/pets/{petId}"].put.requestBody.required = true), bump: "major", rules: ["request-body-made-required"] },
  { name: "adding a request media type", edit: (d) => (createUser(d).requestBody.content["multipart/form-data"] = { schema: ref("NewUser") }), bump: "minor", rules: ["request-media-type-added"] },
  { name: "removing the request body", edit: (d) => delete createUser(d).requestBody, bump: "major", rules: ["request-body-removed"] },
  // Responses.
  { name: "adding a response field", edit: (d) => (schemas(d).User.properties.phone = { type: "string" }), bump: "minor", rules: inUserResponses("response-property-added") },
  { name: "making a response field optional", edit: (d) => (schemas(d).User.required = ["id"]), bump: "major", rules: inUserResponses("response-property-made-optional") },
  { name: "making a response field nullable", edit: (d) => (schemas(d).User.properties.nickname = { type: ["string", "null"] }), bump: "major", rules: inUserResponses("response-made-nullable") },
  { name: "making a response field nullable (3.0 style via oneOf null)", edit: (d) => (schemas(d).User.properties.nickname = { oneOf: [{ type: "string" }, { type: "null" }] }), bump: "major", rules: inUserResponses("response-made-nullable") },
  { name: "retyping a response field", edit: (d) => (schemas(d).User.properties.id = { type: "integer" }), bump: "major", rules: inUserResponses("response-retyped") },
  { name: "adding an enum value to a response", edit: (d) => schemas(d).User.properties.status.enum.push("pending"), bump: "minor", rules: inUserResponses("response-enum-value-added"), exhaustive: true },
  { name: "removing an enum value from a response", edit: (d) => (schemas(d).User.properties.status.enum = ["active"]), bump: "minor", rules: inUserResponses("response-enum-value-removed") },
  { name: "adding an error status", edit: (d) => (getUser(d).responses["429"] = { description: "Slow down" }), bump: "patch", rules: ["error-status-added"] },
  { name: "adding a success status with another body", edit: (d) => (getUser(d).responses["202"] = { description: "Accepted" }), bump: "major", rules: ["success-status-added-new-body"] },
  { name: "removing a response media type", edit: (d) => { getUser(d).responses["200"].content = { "application/xml": { schema: ref("User") } }; }, bump: "major", rules: ["response-media-type-added", "response-media-type-removed"] },
  { name: "adding a response media type", edit: (d) => (getUser(d).responses["200"].content["application/xml"] = { schema: ref("User") }), bump: "minor", rules: ["response-media-type-added"] },
  { name: "removing a field of array items in a response", edit: (d) => (listUsers(d).responses["200"].content["application/json"].schema.properties.users.items = { type: "object", required: ["id"], properties: { id: { type: "string" } } }), bump: "major", rules: ["response-property-removed", "response-property-removed", "response-property-removed", "response-property-removed"] },
  // $ref, allOf, oneOf.
  { name: "renaming a component changes nothing for the caller", edit: (d) => { schemas(d).Person = schemas(d).User; delete schemas(d).User; const text = JSON.stringify(d).replaceAll("#/components/schemas/User", "#/components/schemas/Person"); Object.assign(d, JSON.parse(text)); }, bump: "none", rules: [] },
  { name: "inlining a $ref'd schema changes nothing", edit: (d) => (createUser(d).requestBody.content["application/json"].schema = structuredClone(schemas(d).NewUser)), bump: "none", rules: [] },
  { name: "a change behind a $ref shows where it is used", edit: (d) => (schemas(d).Named.properties.name = { type: "integer" }), bump: "major", rules: ["request-retyped", "response-retyped"] },
  { name: "a field added to an allOf part", edit: (d) => (schemas(d).Named.properties.tag = { type: "string" }), bump: "minor", rules: ["request-property-added", "response-property-added"] },
  { name: "allOf flattened into one schema changes nothing", edit: (d) => (schemas(d).Pet = { type: "object", required: ["kind", "name"], properties: { kind: { type: "string" }, name: { type: "string" } } }), bump: "none", rules: [] },
  { name: "a required field added through allOf", edit: (d) => schemas(d).Pet.allOf.push({ type: "object", required: ["age"], properties: { age: { type: "integer" } } }), bump: "major", rules: ["request-property-added-required", "response-property-added"] },
  { name: "reordering oneOf alternatives changes nothing", edit: (d) => d.paths["/things"].get.responses["200"].content["application/json"].schema.oneOf.reverse(), bump: "none", rules: [] },
  { name: "a field added to one oneOf alternative", edit: (d) => (d.paths["/things"].get.responses["200"].content["application/json"].schema.oneOf[1].properties.c = { type: "string" }), bump: "minor", rules: ["response-property-added"] },
  { name: "a oneOf alternative added to a response", edit: (d) => d.paths["/things"].get.responses["200"].content["application/json"].schema.oneOf.push({ type: "string" }), bump: "major", rules: ["response-alternative-added"] },
  { name: "a change inside a recursive schema", edit: (d) => (schemas(d).User.properties.manager = { type: "string" }), bump: "major", rules: inUserResponses("response-retyped") },
  { name: "a key order change changes nothing", edit: (d) => { const p = schemas(d).User.properties; schemas(d).User.properties = Object.fromEntries(Object.entries(p).reverse()); }, bump: "none", rules: [] },
  // Security and servers.
  { name: "requiring another auth scheme", edit: (d) => (d.security = [{ apiKey: [] }]), bump: "major", rules: Array<string>(6).fill("security-removed").concat(Array<string>(6).fill("security-added")) },
  { name: "accepting another auth scheme", edit: (d) => (getUser(d).security = [{ oauth: [] }, { apiKey: [] }]), bump: "minor", rules: ["security-added"] },
  { name: "making an operation anonymous-only changes the accepted auth", edit: (d) => (getUser(d).security = []), bump: "major", rules: ["security-removed", "security-added"] },
  { name: "a declared scheme now takes another credential", edit: (d) => (d.components.securitySchemes.apiKey = { type: "http", scheme: "basic" }), bump: "major", rules: ["security-scheme-retyped"] },
  { name: "an API key sent elsewhere needs no code change", edit: (d) => (d.components.securitySchemes.apiKey = { type: "apiKey", in: "query", name: "key" }), bump: "patch", rules: ["security-scheme-moved"] },
  { name: "removing a declared scheme removes its auth option", edit: (d) => delete d.components.securitySchemes.apiKey, bump: "major", rules: ["security-scheme-removed"] },
  { name: "declaring another scheme", edit: (d) => (d.components.securitySchemes.basic = { type: "http", scheme: "basic" }), bump: "minor", rules: ["security-scheme-added"] },
  { name: "changing the default server", edit: (d) => (d.servers = [{ url: "https://api.example.com/v3" }]), bump: "major", rules: ["default-server-changed"] },
  { name: "adding a second server", edit: (d) => d.servers.push({ url: "https://eu.example.com/v2" }), bump: "patch", rules: ["server-added"] },
];

function report(edit: (spec: Doc) => void): ChangeReport {
  const before = baseSpec();
  const after = baseSpec();
  edit(after);
  const [beforeModel, afterModel] = [buildModel(before as OpenApiDocument), buildModel(after as OpenApiDocument)];
  const result = compareModels(beforeModel, afterModel);
  // The next regeneration compares against the surface read back from api-surface.json: the same report.
  const recorded = parseSurface(serializeSurface(surfaceFromModel(beforeModel)));
  expect(recorded).toBeDefined();
  expect(compareSurfaces(recorded!, surfaceFromModel(afterModel))).toEqual(result);
  return result;
}

describe("change classification", () => {
  it("has at least 40 cases", () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const result = report(c.edit);
    expect(result.changes.map((change) => change.rule).sort()).toEqual([...c.rules].sort());
    expect(result.bump).toBe(c.bump);
    expect(result.breaking).toBe(c.bump === "major");
    if (c.exhaustive) expect(result.changes.some((change) => change.breaksExhaustiveSwitches)).toBe(true);
  });

  it("says no API change for a description-only edit", () => {
    const result = report((d) => (schemas(d).User.properties.email.description = "Where mail goes"));
    expect(result).toMatchObject({ bump: "patch", apiChanged: false, breaking: false });
  });
});
