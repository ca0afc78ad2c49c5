import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ValidationError, type OperationSpec } from "@zoomgen/runtime/zoom";
import { reply, startRecordingServer, type RecordedRequest, type RecordingServer } from "../support/replay-server.js";
import { addBatchRegistrants, getUser, imGroupCreate, inviteChannelMembers, runtimeFor, updateAGroupMember } from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer((req, res) => {
    if (req.rawPath.includes("/groups/") && req.method === "PATCH") reply(res, 204);
    else if (req.rawPath.endsWith("/im/groups")) reply(res, 201, {});
    else reply(res, 200, {});
  });
});
afterAll(() => server.close());
afterEach(() => server.reset());

/** A recorded multipart body's fields, parsed by the platform's own parser. */
async function formFields(request: RecordedRequest): Promise<[string, FormDataEntryValue][]> {
  return [...(await request.formData()).entries()];
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe("path parameters", () => {
  const cases: [string, string | number, string][] = [
    ["a slash", "a/b", "a%2Fb"],
    ["a question mark", "what?", "what%3F"],
    ["a hash", "tag#1", "tag%231"],
    ["a percent sign", "100%", "100%25"],
    ["spaces", "John Smith", "John%20Smith"],
    ["an email", "jane.doe+zoom@example.com", "jane.doe%2Bzoom%40example.com"],
    ["unicode", "José 😀", "Jos%C3%A9%20%F0%9F%98%80"],
    ["a UUID starting with /", "/abc", "%252Fabc"],
    ["a UUID containing //", "a//b", "a%252F%252Fb"],
    ["Zoom's UUID example", "/ajXp112QmuoKj4854875==", "%252FajXp112QmuoKj4854875%253D%253D"],
    ["a 64-bit meeting id", 98765432109, "98765432109"],
    ["the largest safe integer", Number.MAX_SAFE_INTEGER, "9007199254740991"],
    ["a dot inside a value", "a.b", "a.b"],
  ];
  for (const [what, value, encoded] of cases) {
    it(`encodes ${what} as one segment`, async () => {
      await runtimeFor(server).call(getUser, { path: { userId: value } });
      expect(server.requests.map((r) => r.rawPath)).toEqual([`/v2/users/${encoded}`]);
    });
  }

  for (const value of [".", "..", ""]) {
    it(`rejects ${JSON.stringify(value)} and sends nothing`, async () => {
      const error = await rejection(runtimeFor(server).call(getUser, { path: { userId: value } }));
      expect(error.issues).toEqual([expect.objectContaining({ path: "path.userId", rule: "pathSegment" })]);
      expect(error.message).toContain("Invalid input for user, nothing was sent: path.userId");
      expect(server.requests).toHaveLength(0);
    });
  }

  it("rejects missing path parameters even with validation off", async () => {
    const runtime = runtimeFor(server, { validate: false });
    const error = await rejection(runtime.call(updateAGroupMember, { path: { groupId: "g" }, body: { action: "move" } }));
    expect(error.issues.map((i) => i.path)).toEqual(["path.memberId"]);
    await rejection(runtime.call(getUser, undefined));
    expect(server.requests).toHaveLength(0);
  });

  it("rejects numbers that cannot be written exactly in decimal", async () => {
    for (const userId of [2 ** 60, Number.NaN, Infinity, 1e-7]) {
      const error = await rejection(runtimeFor(server).call(getUser, { path: { userId } }));
      expect(error.issues[0]?.message).toContain("pass larger ids as strings");
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("query parameters", () => {
  it("writes booleans, decimals and repeated keys, omits undefined, and percent-encodes", async () => {
    await runtimeFor(server).call(getUser, {
      path: { userId: "me" },
      query: {
        login_type: 100,
        encrypted_email: true,
        search_by_unique_id: false,
        skipped: undefined,
        ids: [1, 2],
        big: 98765432109,
        "odd key": "a&b=c d/é",
      },
    });
    expect(server.requests[0]?.rawPath).toBe(
      "/v2/users/me?login_type=100&encrypted_email=true&search_by_unique_id=false&ids=1&ids=2&big=98765432109&odd%20key=a%26b%3Dc%20d%2F%C3%A9",
    );
  });

  it("sends no ? when every value is undefined, spreads a flat object (form, explode) and rejects nested ones", async () => {
    await runtimeFor(server).call(getUser, { path: { userId: "me" }, query: { a: undefined } });
    expect(server.requests[0]?.rawPath).toBe("/v2/users/me");
    await runtimeFor(server).call(getUser, { path: { userId: "me" }, query: { filter: { a: 1 } } });
    expect(server.requests[1]?.rawPath).toBe("/v2/users/me?a=1");
    const error = await rejection(runtimeFor(server).call(getUser, { path: { userId: "me" }, query: { filter: { a: { b: 1 } } } }));
    expect(error.issues[0]?.path).toBe("query.filter.a");
  });
});

describe("request bodies", () => {
  it("sends JSON by default", async () => {
    const body = { members: [{ email: "a@example.com" }] };
    await runtimeFor(server).call(inviteChannelMembers, { path: { userId: "me", channelId: "c1" }, body });
    const [request] = server.requests;
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body.toString("utf8")).toBe(JSON.stringify(body));
  });

  // The other generator's bugs, each a regression test: every field must carry exactly its own value.
  it("sends batch registration as multipart with registrants as a JSON string (not `true[{...}]`)", async () => {
    const registrants = [
      { email: "a@example.com", first_name: "Ann", last_name: "Lee" },
      { email: "b@example.com", first_name: "Bo", last_name: "Ng" },
    ];
    await runtimeFor(server).call(addBatchRegistrants, {
      path: { meetingId: 98765432109 },
      body: { auto_approve: true, registrants },
      contentType: "multipart/form-data",
    });
    const [request] = server.requests;
    expect(request?.rawPath).toBe("/v2/meetings/98765432109/batch_registrants");
    expect(String(request?.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(await formFields(request!)).toEqual([
      ["auto_approve", "true"],
      ["registrants", JSON.stringify(registrants)],
    ]);
  });

  it("sends a group member update with each field's own value (not `movevelit pariatur dolor`)", async () => {
    await runtimeFor(server).call(updateAGroupMember, {
      path: { groupId: "g1", memberId: "m1" },
      body: { action: "move", target_group_id: "velit pariatur dolor" },
      contentType: "multipart/form-data",
    });
    expect(await formFields(server.requests[0]!)).toEqual([
      ["action", "move"],
      ["target_group_id", "velit pariatur dolor"],
    ]);
  });

  it("sends an IM group with names as keys and values that do not run together", async () => {
    const body = {
      name: "Excepteur proident in",
      type: "normal",
      search_by_domain: false,
      search_by_account: true,
      search_by_ma_account: false,
      skipped: undefined,
      tags: { a: 1 },
      count: 0,
      empty: "",
    };
    await runtimeFor(server).call(imGroupCreate, { body, contentType: "multipart/form-data" });
    const fields = await formFields(server.requests[0]!);
    expect(fields).toEqual([
      ["name", "Excepteur proident in"],
      ["type", "normal"],
      ["search_by_domain", "false"],
      ["search_by_account", "true"],
      ["search_by_ma_account", "false"],
      ["tags", '{"a":1}'],
      ["count", "0"],
      ["empty", ""],
    ]);
    for (const [, value] of fields) expect(typeof value).toBe("string"); // text parts, not files
  });

  it("rejects a content type the operation does not list, and a body where none is taken", async () => {
    const runtime = runtimeFor(server);
    const error = await rejection(
      runtime.call(inviteChannelMembers, { path: { userId: "me", channelId: "c" }, body: {}, contentType: "multipart/form-data" }),
    );
    expect(error.issues[0]).toMatchObject({ path: "contentType", rule: "mediaType" });
    const noBody = await rejection(runtime.call(getUser, { path: { userId: "me" }, body: { a: 1 } }));
    expect(noBody.issues[0]).toMatchObject({ path: "body", rule: "requestBody" });
    expect(server.requests).toHaveLength(0);
  });
});

describe("headers", () => {
  it("sends call headers over client headers", async () => {
    const runtime = runtimeFor(server, { headers: { "X-A": "client", "X-B": "client" } });
    await runtime.call(getUser, { path: { userId: "me" }, headers: { "X-B": "call" } });
    expect(server.requests[0]?.headers).toMatchObject({ "x-a": "client", "x-b": "call" });
  });

  it("rejects CR or LF in a call header and sends nothing", async () => {
    for (const value of ["a\r\nX-Injected: 1", "a\nb", "a\rb"]) {
      const error = await rejection(runtimeFor(server).call(getUser, { path: { userId: "me" }, headers: { "X-Note": value } }));
      expect(error.issues).toEqual([expect.objectContaining({ path: "headers.X-Note", rule: "headerValue" })]);
    }
    const badName = await rejection(runtimeFor(server).call(getUser, { path: { userId: "me" }, headers: { "X Bad": "v" } }));
    expect(badName.issues[0]?.rule).toBe("headerName");
    expect(server.requests).toHaveLength(0);
  });

  it("never lets a call override the token", async () => {
    await runtimeFor(server).call(getUser, { path: { userId: "me" }, headers: { Authorization: "Bearer other" } });
    expect(server.requests[0]?.headers["authorization"]).not.toBe("Bearer other");
  });
});

it("sends the operation's method", async () => {
  const del: OperationSpec = { id: "del", method: "DELETE", path: "/users/{userId}", idempotent: true, successes: { "204": "empty" } };
  await runtimeFor(server).call(del, { path: { userId: "x" } });
  expect(server.requests[0]?.method).toBe("DELETE");
});
