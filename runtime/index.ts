/**
 * The runtime every generated Zoom client shares. Generated code imports from here only; it depends on
 * nothing but `openapi-fetch` and web globals (`fetch`, `Headers`, `FormData`, `AbortSignal`), so it
 * runs in Node, browsers and edge runtimes.
 */
export { createCallRuntime, createRuntime, type CallRuntime, type Runtime } from "./client.js";
export type { ClientOptions, FetchFunction, RuntimeMeta, ServerSpec } from "./options.js";
export { checkSchema, type Schema, type SchemaObject } from "./schema-check.js";
export {
  createMemoryTokenStore,
  type AccessTokenProvider,
  type OAuthOptions,
  type StoredToken,
  type TokenRequest,
  type TokenStore,
} from "./auth.js";
export type { RateBudget } from "./rate-budget.js";
export type { ErrorHookEvent, HookRequestInfo, Hooks, RequestHookEvent, ResponseHookEvent, RetryHookEvent } from "./hooks.js";
export type {
  CallInput,
  HttpMethod,
  OperationSpec,
  ParameterSpec,
  PaginationSpec,
  RetryOptions,
  SuccessKind,
  ValidatorIssue,
} from "./types.js";
export { ApiPromise, type ApiResult, type RateLimitInfo } from "./api-promise.js";
export { PagePromise, paginate, type PageCaller } from "./pagination.js";
export {
  createZoomUserOAuth,
  type AuthorizationRequest,
  type CodeExchange,
  type ZoomUserOAuth,
  type ZoomUserOAuthOptions,
} from "./zoom-user-oauth.js";
export {
  AbortError,
  ApiError,
  AuthenticationError,
  AuthError,
  BadRequestError,
  ConfigError,
  ConflictError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
  ZoomSdkError,
  type RequestDetails,
  type ValidationIssue,
} from "./errors.js";
