/**
 * The fixture helpers the contracts stand on: path templates, matching an item to an operation,
 * and turning recorded text into typed values by a schema (with `$ref`s resolved).
 */
import { describe, expect, it } from "vitest";
import {
  CoercionError,
  coerce,
  loadFixtures,
  matchOperation,
  pathTemplate,
  recordedCall,
  replayOf,
  type Fixture,
  type OperationLike,
} from "../support/postman.js";

const document = {
  components: {
    schemas: {
      Flag: { type: "boolean" },
      Members: { type: "array", items: { $ref: "#/components/schemas/Member" } },
      Member: { type: "object", properties: { email: { type: "string" } } },
      MeetingId: { anyOf: [{ type: "integer" }, { type: "string" }] },
    },
  },
};

describe("coerce: recorded text → typed value by schema", () => {
  const cases: Array<[string, unknown, string, unknown]> = [
    ["string stays text", { type: "string" }, "100", "100"],
    ["integer", { type: "integer" }, "100", 100],
    ["integer enum", { type: "integer", enum: [0, 100] }, "100", 100],
    ["number", { type: "number" }, "1.5", 1.5],
    ["boolean via $ref", { $ref: "#/components/schemas/Flag" }, "false", false],
    ["JSON-text array via $ref", { $ref: "#/components/schemas/Members" }, '[{"email":"a@b.co"}]', [{ email: "a@b.co" }]],
    ["anyOf integer|string: a number", { $ref: "#/components/schemas/MeetingId" }, "85746065432", 85746065432],
    ["anyOf integer|string: a placeholder", { $ref: "#/components/schemas/MeetingId" }, "quis officia", "quis officia"],
    ["nullable integer", { type: ["integer", "null"] }, "null", null],
    ["no type: text", {}, "x", "x"],
  ];
  for (const [name, schema, text, expected] of cases) {
    it(name, () => expect(coerce(document, schema, text, "item field")).toEqual(expected));
  }

  it("says which field, what was recorded and the schema type when it cannot", () => {
    expect(() => coerce(document, { type: "integer" }, "abc", '"Get a user" query login_type')).toThrow(
      new CoercionError('"Get a user" query login_type: recorded "abc" is not a valid value of that type (schema type: integer)'),
    );
    expect(() => coerce(document, { type: "boolean" }, "yes", "f")).toThrow(/recorded "yes"/);
    expect(() => coerce(document, { type: "integer" }, " 100", "f")).toThrow(CoercionError);
    expect(() => coerce(document, { type: "array" }, "{}", "f")).toThrow(CoercionError);
    expect(() => coerce(document, { type: "integer" }, "99999999999999999999", "f")).toThrow(/MAX_SAFE_INTEGER/);
  });
});

describe("fixtures and matching", () => {
  const fixtures = loadFixtures();
  const user = fixtures.find((f) => f.item.request.method === "GET") as Fixture;

  it("turns Postman paths into templates", () => {
    expect(pathTemplate(user.item)).toBe("/users/{userId}");
  });

  it("reads the recorded request as text, as it went over the wire", () => {
    expect(recordedCall(user.item)).toEqual({
      method: "GET",
      pathVariables: [["userId", "quis officia in reprehenderit"]],
      query: [["login_type", "100"], ["encrypted_email", "true"], ["search_by_unique_id", "true"]],
      fields: undefined,
      bodyMode: undefined,
    });
  });

  it("replays a recorded response with status, reason, headers in order, body", () => {
    const created = fixtures.flatMap((f) => f.item.response).find((r) => r.code === 201 && (r.header ?? []).length === 2)!;
    expect(replayOf(created)).toEqual({
      status: 201,
      statusText: "Created",
      headers: [["Content-Location", "quis officia in reprehenderit"], ["Content-Type", "application/json"]],
      body: "{}",
    });
  });

  const op = (method: string, path: string): OperationLike => ({
    id: `${method} ${path}`, methodName: "m", method, path, pathParams: [], queryParams: [], requestBody: undefined, responses: [],
  });

  it("matches by method and path template, and says what the spec has when nothing matches", () => {
    const groups = [{ tag: "Users", propertyName: "users", operations: [op("PATCH", "/users/{userId}"), op("GET", "/users/{userId}")] }];
    expect(matchOperation(groups, user).operation.method).toBe("GET");
    const other = [{ tag: "Users", propertyName: "users", operations: [op("GET", "/users/{id}")] }];
    expect(() => matchOperation(other, user)).toThrow(
      '"Get a user" (get-a-user.json): no operation GET /users/{userId} in the spec (it has: GET /users/{id})',
    );
  });
});
