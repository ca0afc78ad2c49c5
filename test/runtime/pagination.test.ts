/**
 * Token pagination through the client generated from the real spec, against a fault server on
 * 127.0.0.1: every page is one real request, with the same retries, signal and query as any call.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { AbortError, createZoomClient, InvalidResponseError, PagePromise, ValidationError, type ListUsersItem } from "../../generated/index.js";
import { createRuntime, paginate, type OperationSpec } from "@zoomgen/runtime/zoom";
import { json, rateLimited, useFaultServer, type FaultServer } from "../support/fault-server.js";
import { meta } from "./fixtures.js";

let server: FaultServer;
useFaultServer((started) => (server = started));

function zoom() {
  return createZoomClient({ accessToken: "tok", baseUrl: `${server.url}/v2`, retry: { initialDelayMs: 1, maxDelayMs: 50 } });
}
const user = (id: string) => ({ id, email: `${id}@example.com` });
const usersPage = (ids: string[], next: string | undefined) => json(200, { users: ids.map(user), page_size: 2, total_records: 5, ...(next === undefined ? {} : { next_page_token: next }) });
const queries = (route: string) => server.requests.filter((r) => r.path === route).map((r) => Object.fromEntries(r.query));

describe("for await over a paged list", () => {
  it("walks three pages item by item and stops at the empty token, repeating the query with the token", async () => {
    server.script("/v2/users", usersPage(["a", "b"], "t2"), usersPage(["c", "d"], "t3"), usersPage(["e"], ""));
    const seen: string[] = [];
    for await (const item of zoom().users.listUsers({ query: { status: "inactive", page_size: 2 } })) seen.push(item.id);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    expect(queries("/v2/users")).toEqual([
      { status: "inactive", page_size: "2" },
      { status: "inactive", page_size: "2", next_page_token: "t2" },
      { status: "inactive", page_size: "2", next_page_token: "t3" },
    ]);
  });

  it("stops when the token is missing, and pages() gives whole pages", async () => {
    server.script("/v2/users", usersPage(["a"], "t2"), usersPage(["b"], undefined), usersPage(["never"], ""));
    const pages = [];
    for await (const page of zoom().users.listUsers().pages()) pages.push(page.users?.map((u) => u.id));
    expect(pages).toEqual([["a"], ["b"]]);
    expect(server.count("/v2/users")).toBe(2);
  });

  it("await gives the first page only, and walking afterwards does not request it again", async () => {
    server.script("/v2/users", usersPage(["a"], "t2"), usersPage(["b"], ""));
    const list = zoom().users.listUsers();
    expect(list).toBeInstanceOf(PagePromise);
    const first = await list;
    expect(first.next_page_token).toBe("t2");
    expect(server.count("/v2/users")).toBe(1);
    const ids: string[] = [];
    for await (const item of list) ids.push(item.id);
    expect(ids).toEqual(["a", "b"]);
    expect(server.count("/v2/users")).toBe(2);
  });

  it("break stops the walk: no further page is requested", async () => {
    server.script("/v2/users", usersPage(["a", "b"], "t2"), usersPage(["c"], ""));
    for await (const item of zoom().users.listUsers()) if (item.id === "a") break;
    expect(server.count("/v2/users")).toBe(1);
  });

  it("follows the token of a page with no items (empty array or no items field)", async () => {
    server.script("/v2/users", usersPage([], "t2"), json(200, { next_page_token: "t3" }), usersPage(["c"], ""));
    const ids: string[] = [];
    for await (const item of zoom().users.listUsers()) ids.push(item.id);
    expect(ids).toEqual(["c"]);
    expect(server.count("/v2/users")).toBe(3);
  });

  it("retries a 429 in the middle of the walk like any call", async () => {
    server.script("/v2/users", usersPage(["a"], "t2"), rateLimited({ retryAfter: "0" }), usersPage(["b"], ""));
    const ids: string[] = [];
    for await (const item of zoom().users.listUsers()) ids.push(item.id);
    expect(ids).toEqual(["a", "b"]);
    expect(server.requests.map((r) => r.answered)).toEqual(["200", "429", "200"]);
    expect(queries("/v2/users").slice(1)).toEqual([{ next_page_token: "t2" }, { next_page_token: "t2" }]);
  });

  it("an abort between pages ends the walk with AbortError and sends nothing more", async () => {
    server.script("/v2/users", usersPage(["a"], "t2"), usersPage(["b"], "t3"), usersPage(["c"], ""));
    const controller = new AbortController();
    const ids: string[] = [];
    const walk = (async () => {
      for await (const item of zoom().users.listUsers({ signal: controller.signal })) {
        ids.push(item.id);
        if (item.id === "b") controller.abort();
      }
    })();
    await expect(walk).rejects.toBeInstanceOf(AbortError);
    expect(ids).toEqual(["a", "b"]);
    expect(server.count("/v2/users")).toBe(2);
  });

  it("an abort while a page is in flight rejects with AbortError", async () => {
    server.script("/v2/users", usersPage(["a"], "t2"), { ...usersPage(["b"], ""), delayMs: 2_000 });
    const controller = new AbortController();
    const walk = (async () => {
      for await (const item of zoom().users.listUsers({ signal: controller.signal })) if (item.id === "a") setTimeout(() => controller.abort(), 20);
    })();
    await expect(walk).rejects.toBeInstanceOf(AbortError);
  });

  it("keeps path parameters and stops a server that repeats a token", async () => {
    const members = (next: string) => json(200, { members: [{ id: "m", email: "m@example.com" }], next_page_token: next });
    server.script("/v2/groups/g%201/members", members("same"), members("same"));
    const walk = (async () => {
      for await (const _ of zoom().groups.listGroupMembers({ path: { groupId: "g 1" } }));
    })();
    await expect(walk).rejects.toBeInstanceOf(InvalidResponseError);
    expect(server.requests.map((r) => r.rawPath)).toEqual(["/v2/groups/g%201/members", "/v2/groups/g%201/members?next_page_token=same"]);
  });

  it("refuses a page_size over the operation's maximum before sending (300 users, 100 channel members)", async () => {
    await expect(zoom().users.listUsers({ query: { page_size: 301 } })).rejects.toBeInstanceOf(ValidationError);
    const channel = zoom().chatChannels.listChannelMembers({ path: { userId: "me", channelId: "c" }, query: { page_size: 101 } });
    await expect(channel).rejects.toThrow(/query\.page_size \(maximum/);
    await zoom().users.listUsers({ query: { page_size: 300 } });
    expect(server.requests.map((r) => r.rawPath)).toEqual(["/v2/users?page_size=300"]);
  });

  it("types items from the spec's items array", () => {
    expectTypeOf<ListUsersItem>().toHaveProperty("id").toEqualTypeOf<string>();
    expectTypeOf(zoom().meetings.listMeetingRegistrants).returns.toMatchTypeOf<AsyncIterable<{ status?: "pending" | "approved" | "denied" }>>();
  });
});

describe("any API's cursor names (x-zoomgen-pagination), through the runtime alone", () => {
  const listEvents: OperationSpec = {
    id: "listEvents",
    method: "GET",
    path: "/events",
    idempotent: true,
    successes: { "200": "json" },
    pagination: { cursorParam: "cursor", cursorField: "next", itemsField: "data" },
  };

  it("sends the cursor under its own name, reads items from their own field, and calls the hooks per page", async () => {
    server.script("/v2/events", json(200, { data: [1, 2], next: "c2" }), json(200, { data: [3], next: null }));
    const attempts: string[] = [];
    const runtime = createRuntime({ accessToken: "tok", baseUrl: `${server.url}/v2`, hooks: { onRequest: (e) => attempts.push(e.url) } }, meta);
    const items: number[] = [];
    for await (const item of paginate<{ data: number[]; next: string | null }, number>(runtime, listEvents, { query: { limit: 2 } })) items.push(item);
    expect(items).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.rawPath)).toEqual(["/v2/events?limit=2", "/v2/events?limit=2&cursor=c2"]);
    expect(attempts).toHaveLength(2);
  });

  it("refuses to page an operation that does not page", () => {
    const runtime = createRuntime({ accessToken: "tok", baseUrl: `${server.url}/v2` }, meta);
    expect(() => paginate(runtime, { ...listEvents, pagination: undefined }, {})).toThrow(/listEvents is not a paged operation/);
  });
});
