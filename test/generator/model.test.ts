import { describe, expect, it } from "vitest";
import { buildModel } from "../../generator/build-model.js";
import { GeneratorError } from "../../generator/errors.js";
import { loadSpec } from "../../generator/load.js";

const zoom = await loadSpec("spec/zoom.yaml");
const model = buildModel(zoom.document, { locate: zoom.locate });
const operation = (id: string) => {
  const found = model.operations.find((op) => op.id === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
};

describe("the model of spec/zoom.yaml", () => {
  it("groups the operations by tag, as client properties and method names", () => {
    expect(model.factoryName).toBe("createZoomClient");
    expect(model.clientTypeName).toBe("ZoomClient");
    expect(model.defaultBaseUrl).toBe("https://api.zoom.us/v2");
    expect(model.groups.map((g) => [g.propertyName, g.operations.map((op) => op.methodName)])).toEqual([
      ["chatChannels", ["inviteChannelMembers", "listChannelMembers"]],
      ["groups", ["listGroupMembers", "updateGroupMember"]],
      ["imGroups", ["createImGroup"]],
      ["meetings", ["addBatchRegistrants", "listMeetingRegistrants"]],
      ["users", ["getUser", "listUsers"]],
    ]);
  });

  it("recognises Zoom's token pagination: next_page_token in and out, the one other array is the items", () => {
    const paged = model.operations.filter((op) => op.pagination).map((op) => [op.id, op.pagination?.itemsField]);
    expect(paged).toEqual([
      ["listChannelMembers", "members"],
      ["listGroupMembers", "members"],
      ["listMeetingRegistrants", "registrants"],
      ["listUsers", "users"],
    ]);
    expect(operation("listUsers").pagination).toEqual({ cursorParam: "next_page_token", cursorField: "next_page_token", itemsField: "users" });
    expect(operation("getUser").pagination).toBeUndefined();
  });

  it("resolves shared parameters and keeps their schemas", () => {
    const getUser = operation("getUser");
    expect(getUser.method).toBe("GET");
    expect(getUser.idempotent).toBe(true);
    expect(getUser.pathParams.map((p) => [p.name, p.required])).toEqual([["userId", true]]);
    expect(getUser.queryParams.map((p) => p.name).sort()).toEqual(["encrypted_email", "login_type", "search_by_unique_id"]);
    const loginType = getUser.queryParams.find((p) => p.name === "login_type")!;
    expect(loginType.schema).toMatchObject({ type: "integer" });
    expect(loginType.schema.enum).toContain(100);
  });

  it("lists both body media types, JSON first", () => {
    for (const id of ["inviteChannelMembers", "updateGroupMember", "createImGroup", "addBatchRegistrants"]) {
      expect(operation(id).requestBody?.mediaTypes).toEqual(["application/json", "multipart/form-data"]);
      expect(operation(id).idempotent).toBe(false);
    }
    expect(operation("getUser").requestBody).toBeUndefined();
  });

  it("knows how each success response is read", () => {
    const kinds = (id: string) => Object.fromEntries(operation(id).responses.filter((r) => r.status.startsWith("2")).map((r) => [r.status, r.bodyKind]));
    expect(kinds("updateGroupMember")).toEqual({ "204": "empty" });
    expect(kinds("createImGroup")).toEqual({ "200": "empty", "201": "json" });
    expect(kinds("getUser")).toEqual({ "200": "json" });
    expect(operation("createImGroup").responses.find((r) => r.status === "201")?.headers).toEqual(["content-location"]);
  });

  it("reads the oauth2 scheme and each operation's requirement, scopes left out and duplicates merged", () => {
    expect(model.securitySchemes).toEqual([expect.objectContaining({ name: "oauth2", type: "oauth2", kind: "bearer" })]);
    expect(model.operations.map((op) => op.credentials)).toEqual(model.operations.map(() => [["oauth2"]]));
    expect(operation("getUser").security).toEqual([["oauth2", "oauth2:user:read:admin"], ["oauth2", "oauth2:user:read"], ["oauth2", "oauth2:user_info:read"]]);
  });
});

describe("the model of another spec", () => {
  it("names operations without an operationId or tag, and never emits a reserved type name", async () => {
    const tasks = await loadSpec("test/fixtures/specs/tasks.yaml");
    const other = buildModel(tasks.document);
    expect(other.factoryName).toBe("createAcmeTasksClient");
    expect(other.groups.map((g) => g.propertyName)).toEqual(["default", "taskLists"]);
    expect(other.operations.map((op) => [op.methodName, op.typeName])).toEqual([
      ["getHealth", "GetHealth"],
      ["delete", "OpDelete"],
      ["listTasks", "ListTasks"],
    ]);
    expect(buildModel(tasks.document, { name: "Acme" }).factoryName).toBe("createAcmeClient");
  });

  it("keeps a schema from taking the name of a resource's interface (UsersResource)", () => {
    const model = buildModel({
      openapi: "3.1.0",
      info: { title: "T", version: "1" },
      paths: { "/u": { get: { operationId: "listUsers", tags: ["users"], responses: { "204": { description: "none" } } } } },
      components: { schemas: { UsersResource: { type: "object" }, Other: { type: "string" } } },
    });
    expect(model.schemas.map((s) => s.typeName)).toEqual(["Other", "UsersResourceSchema"]);
  });

  it("refuses two operationIds that become the same method, naming both and the place", async () => {
    const clash = await loadSpec("test/fixtures/bad-specs/name-clash.yaml");
    let error: unknown;
    try {
      buildModel(clash.document, { locate: clash.locate });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as Error).message).toMatch(/name-clash\.yaml:\d+:\d+: operations "list_items" and "listItems" both become the method default\.listItems/);
  });

  describe("x-zoomgen-pagination, for APIs with other cursor names", () => {
    const spec = (list: Record<string, unknown>) => ({
      openapi: "3.1.0",
      info: { title: "Feed", version: "1" },
      paths: {
        "/events": {
          get: {
            operationId: "listEvents",
            parameters: [{ name: "cursor", in: "query", schema: { type: "string" } }],
            responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { next: { type: "string" }, data: { type: "array", items: {} }, tags: { type: "array", items: {} } } } } } } },
            ...list,
          },
        },
      },
    });
    const build = (list: Record<string, unknown>) => buildModel(spec(list)).operations[0]?.pagination;

    it("takes the declared names, even where the Zoom convention would not apply", () => {
      expect(build({ "x-zoomgen-pagination": { cursorParam: "cursor", cursorField: "next", itemsField: "data" } })).toEqual({ cursorParam: "cursor", cursorField: "next", itemsField: "data" });
      expect(build({})).toBeUndefined();
    });

    it("refuses a declaration that does not fit the operation, saying which field and why", () => {
      expect(() => build({ "x-zoomgen-pagination": "cursor" })).toThrow(/x-zoomgen-pagination must be an object/);
      expect(() => build({ "x-zoomgen-pagination": { cursorParam: "cursor", itemsField: "data" } })).toThrow(/x-zoomgen-pagination\.cursorField must be a non-empty string/);
      expect(() => build({ "x-zoomgen-pagination": { cursorParam: "page", cursorField: "next", itemsField: "data" } })).toThrow(/cursorParam "page" is not a query parameter of listEvents/);
      expect(() => build({ "x-zoomgen-pagination": { cursorParam: "cursor", cursorField: "next", itemsField: "next" } })).toThrow(/itemsField "next" is not an array property/);
      expect(() => build({ "x-zoomgen-pagination": { cursorParam: "cursor", cursorField: "next", itemsField: "next" } })).toThrow(GeneratorError);
    });
  });
});
