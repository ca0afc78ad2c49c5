/**
 * `@zoomgen/runtime/zoom`: the Zoom profile. Everything of the core (`@zoomgen/runtime`), with
 * `createRuntime` bound to Zoom's rules (runtime/zoom/profile.ts), plus Zoom's helpers: user OAuth
 * (authorization code) and webhook verification. Generated Zoom clients import from here only.
 */
import { createCallRuntimeWith, createRuntimeWith, type CallRuntime, type Runtime } from "../client.js";
import type { ClientOptions, RuntimeMeta } from "../options.js";
import { zoomProfile } from "./profile.js";

export * from "../index.js";
export { SdkError as ZoomSdkError } from "../errors.js";
export { DEFAULT_TOKEN_URL, parseZoomBody, ZOOM_INVALID_TOKEN_CODE, zoomProfile } from "./profile.js";

/**
 * The core's `createRuntime` with Zoom's profile: Server-to-Server OAuth at zoom.us by default, Zoom's
 * `{code, message}` errors with their tracking id, code 124 refreshes, daily limits until 00:00 UTC, and
 * the meeting UUID encoding. A `profile` in `meta` still wins.
 */
export function createRuntime<Paths extends {}>(options: ClientOptions<object>, meta: RuntimeMeta): Runtime<Paths> {
  return createRuntimeWith<Paths>(options, meta, meta.profile ?? zoomProfile);
}

/** The core's `createCallRuntime` (calls without `raw`) with Zoom's profile, as `createRuntime` above. */
export function createCallRuntime(options: ClientOptions<object>, meta: RuntimeMeta): CallRuntime {
  return createCallRuntimeWith(options, meta, meta.profile ?? zoomProfile);
}
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
