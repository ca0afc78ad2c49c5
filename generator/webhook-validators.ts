/**
 * Validators for the webhook events of `generated/webhook-validators.ts`. They reuse the input-validator
 * compiler (generator/validators.ts) behind this one function: each event becomes a pseudo-operation
 * whose required JSON body is the whole event, so the emitted schema checks `{ body: event }`.
 * The runtime's `validateWebhookEvent` (runtime/zoom-webhooks.ts) is the only reader of the result.
 */
import type { OperationModel, WebhooksModel } from "./model.js";
import { compileValidators } from "./validators.js";

/** The TypeScript source exporting each event's schema as `<EventType>Input` (a `{ body: event }` schema). */
export function compileWebhookValidators(document: Record<string, unknown>, webhooks: WebhooksModel): string {
  const asOperations: OperationModel[] = webhooks.events.map((event) => ({
    id: event.name,
    methodName: event.name,
    typeName: event.typeName,
    method: "POST",
    path: event.name,
    summary: event.summary,
    description: event.description,
    deprecated: event.deprecated,
    idempotent: false,
    pathParams: [],
    queryParams: [],
    headerParams: [], security: [],
    cookieParams: [],
    requestBody: { required: true, description: undefined, mediaTypes: ["application/json"], sentAsBytes: false, schema: event.schema, example: event.example },
    responses: [],
  }));
  return compileValidators(document, asOperations).source;
}
