/**
 * Type-level tests of the generated client. `npm test` runs `tsc --noEmit` over this file:
 * an `@ts-expect-error` that no longer finds an error fails the build, so each line below
 * proves that a wrong call does not compile. The `it` bodies also run, against nothing:
 * they only build call thunks and never invoke them.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  createZoomClient,
  type components,
  type GetUserData,
  type GetUserPathParams,
  type GetUserQuery,
  type InviteChannelMembersBody,
  type InviteChannelMembersRequest,
  type User,
  type ZoomClient,
} from "../../generated/index.js";
import { createUsersResource } from "../../generated/resources/users.js";

const zoom: ZoomClient = createZoomClient({ accessToken: "token", baseUrl: "http://127.0.0.1:9" });

describe("generated client types", () => {
  it("types path, query and body from the spec", () => {
    const calls = [
      () => zoom.users.getUser({ path: { userId: "me" }, query: { login_type: 100, encrypted_email: true } }),
      // @ts-expect-error login_type is an integer enum, not a string
      () => zoom.users.getUser({ path: { userId: "me" }, query: { login_type: "100" } }),
      // @ts-expect-error 7 is not one of Zoom's login types
      () => zoom.users.getUser({ path: { userId: "me" }, query: { login_type: 7 } }),
      // @ts-expect-error the path parameter is userId, not user_id
      () => zoom.users.getUser({ path: { user_id: "me" } }),
      // @ts-expect-error the path is required
      () => zoom.users.getUser({}),
      // @ts-expect-error action is "move" or "set_primary"
      () => zoom.groups.updateGroupMember({ path: { groupId: "g", memberId: "m" }, body: { action: "remove" } }),
      () => zoom.groups.updateGroupMember({ path: { groupId: "g", memberId: "m" }, body: { action: "move", target_group_id: "t" } }),
      // @ts-expect-error members are objects with an email
      () => zoom.chatChannels.inviteChannelMembers({ path: { userId: "me", channelId: "c" }, body: { members: ["a@b.c"] } }),
      // @ts-expect-error only the media types the spec lists
      () => zoom.imGroups.createImGroup({ body: { name: "n" }, contentType: "text/csv" }),
      () => zoom.imGroups.createImGroup({ body: { name: "n", type: "shared" }, contentType: "multipart/form-data" }),
      () => zoom.meetings.addBatchRegistrants({ path: { meetingId: 85746065432 }, body: { registrants: [{ email: "a@b.c", first_name: "A" }] } }),
      // @ts-expect-error no such operation
      () => zoom.users.deleteUser,
    ];
    expectTypeOf(calls).toBeArray();
  });

  it("resolves to the typed data of the success response", () => {
    expectTypeOf(zoom.users.getUser).returns.resolves.toEqualTypeOf<GetUserData>();
    expectTypeOf<GetUserData>().toHaveProperty("email");
    type Invite = Awaited<ReturnType<typeof zoom.chatChannels.inviteChannelMembers>>;
    expectTypeOf<Invite>().toEqualTypeOf<{ ids?: string[]; added_at?: string }>();
    // 204 No Content: nothing to read.
    expectTypeOf(zoom.groups.updateGroupMember).returns.resolves.toEqualTypeOf<undefined>();
    // withResponse() adds status and headers.
    type WithResponse = Awaited<ReturnType<ReturnType<typeof zoom.users.getUser>["withResponse"]>>;
    expectTypeOf<WithResponse["headers"]>().toEqualTypeOf<Headers>();
    expectTypeOf<WithResponse["data"]>().toEqualTypeOf<GetUserData>();
  });

  it("names every schema and every operation's parameters, body and data", () => {
    // A response or body that is a component schema is that schema's alias, so hover shows `User`.
    expectTypeOf<GetUserData>().toEqualTypeOf<User>();
    expectTypeOf<User>().toEqualTypeOf<components["schemas"]["User"]>();
    expectTypeOf<InviteChannelMembersBody>().toEqualTypeOf<InviteChannelMembersRequest>();
    expectTypeOf<GetUserPathParams>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<GetUserQuery>().toHaveProperty("login_type");
    expectTypeOf(zoom.users.getUser).parameter(0).toHaveProperty("path").toEqualTypeOf<GetUserPathParams>();
  });

  it("composes the client from one resource per tag", () => {
    expectTypeOf(zoom.users).toEqualTypeOf<ReturnType<typeof createUsersResource>>();
  });
});
