/**
 * model.webhooks: the spec's OpenAPI 3.1 `webhooks` section as the generator sees it (one event per key
 * with a JSON `post` body, sorted, named), and an empty list for a spec without one.
 */
import { describe, expect, it } from "vitest";
import { buildModel } from "../../generator/build-model.js";
import { loadSpec } from "../../generator/load.js";
import type { OpenApiDocument } from "../../generator/load.js";

const zoom = await loadSpec("spec/zoom.yaml");

describe("model.webhooks", () => {
  it("lists the events of spec/zoom.yaml, sorted, with type names and the handler factory's name", () => {
    const { webhooks } = buildModel(zoom.document);
    expect(webhooks.factoryName).toBe("createZoomWebhookHandler");
    expect(webhooks.eventTypeName).toBe("ZoomWebhookEvent");
    expect(webhooks.events.map((e) => [e.name, e.typeName])).toEqual([
      ["chat_channel.member_invited", "ChatChannelMemberInvitedEvent"],
      ["endpoint.url_validation", "EndpointUrlValidationEvent"],
      ["group.member_added", "GroupMemberAddedEvent"],
      ["group.member_deleted", "GroupMemberDeletedEvent"],
      ["meeting.registration_created", "MeetingRegistrationCreatedEvent"],
      ["user.updated", "UserUpdatedEvent"],
    ]);
    const userUpdated = webhooks.events.find((e) => e.name === "user.updated")!;
    expect(userUpdated.schema).toEqual({ $ref: "#/components/schemas/UserUpdatedEvent" });
    expect(userUpdated.summary).toBe("User updated");
    expect(userUpdated.example).toMatchObject({ event: "user.updated" });
  });

  it("takes --name for the factory, skips webhooks without a JSON post body or an `event` field, and is empty without a section", () => {
    const envelope = { type: "object", properties: { event: { type: "string" }, payload: { type: "object" } } };
    const document = {
      openapi: "3.1.0",
      info: { title: "Acme API", version: "1" },
      paths: {},
      webhooks: {
        "order.paid": { post: { summary: "Paid", requestBody: { content: { "application/json": { schema: envelope } } } } },
        // No `event` field to dispatch on (a non-Zoom webhook body): no handler for it.
        "order.plain": { post: { requestBody: { content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } } } } },
        "order.form": { post: { requestBody: { content: { "application/x-www-form-urlencoded": { schema: { type: "object" } } } } } },
        "order.get": { get: { responses: {} } },
        "order.refunded": { $ref: "#/components/pathItems/Refunded" },
      },
      components: { pathItems: { Refunded: { post: { requestBody: { content: { "application/json": { schema: { allOf: [envelope] } } } } } } } },
    } as unknown as OpenApiDocument;
    const { webhooks } = buildModel(document, { name: "Shop" });
    expect(webhooks.factoryName).toBe("createShopWebhookHandler");
    expect(webhooks.events.map((e) => e.name)).toEqual(["order.paid", "order.refunded"]);

    const without = buildModel({ openapi: "3.0.3", info: { title: "Plain", version: "1" }, paths: {} } as unknown as OpenApiDocument);
    expect(without.webhooks.events).toEqual([]);
  });
});
