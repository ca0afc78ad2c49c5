/**
 * `@zoomgen/runtime/zoom`: the Zoom profile. Everything of the core (`@zoomgen/runtime`), plus Zoom's
 * rules and helpers: user OAuth (authorization code) and webhook verification. Generated Zoom clients
 * import from here only.
 */
export * from "../index.js";
export {
  createZoomUserOAuth,
  type AuthorizationRequest,
  type CodeExchange,
  type ZoomUserOAuth,
  type ZoomUserOAuthOptions,
} from "./user-oauth.js";
export {
  createMemoryReplayGuard,
  createWebhookHandler,
  toNodeListener,
  URL_VALIDATION_EVENT,
  validateWebhookEvent,
  type NodeRequestLike,
  type NodeResponseLike,
  type ReplayGuard,
  type WebhookDelivery,
  type WebhookEventTable,
  type WebhookFailure,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookHandlers,
  type WebhookRequestContext,
  type ZoomWebhookEnvelope,
} from "./webhooks.js";
