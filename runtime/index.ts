/**
 * `@zoomgen/runtime`: the generic core every generated client is built on (HTTP, retries, timeouts,
 * errors, encoding, hooks). It depends on nothing but `openapi-fetch` and web globals (`fetch`, `Headers`,
 * `FormData`, `AbortSignal`), so it runs in Node, browsers and edge runtimes. API-specific rules come
 * from a profile: `@zoomgen/runtime/zoom` is Zoom's. Only what this file exports is public.
 */
export { createCallRuntime, createRuntime, type CallRuntime, type Runtime } from "./client.js";
export { genericProfile, type ApiProfile, type RateLimitReading } from "./profile.js";
export type { ClientOptions, FetchFunction, InputValidator, RuntimeMeta, ServerSpec } from "./options.js";
export { checkSchema, type Schema, type SchemaObject } from "./schema-check.js";
export { validateInput } from "./validation.js";
export { createNodeHttpFetch } from "#node-http-fetch"; // one module with client.ts's (package.json `imports`)
export {
  createMemoryTokenStore,
  serverToServerOAuth,
  type AccessTokenProvider,
  type OAuthOptions,
  type ServerToServerOAuth,
  type StoredToken,
  type TokenRequest,
  type TokenStore,
} from "./auth.js";
export type { RateBudget } from "./rate-budget.js";
export type { AuthOptions, BasicCredentials, CredentialsFactory, SecretSource, SecurityMeta, SecuritySchemeSpec } from "./security.js";
export { securitySchemes } from "./security-schemes.js";
export { parameterStyles } from "./parameter-styles.js";
export { bodyEncodings } from "./body-encodings.js";
export type { ErrorHookEvent, HookRequestInfo, Hooks, RequestHookEvent, ResponseHookEvent, RetryHookEvent } from "./hooks.js";
export { transportExtras, type ExtrasSetUp } from "./extras.js";
export type {
  BodyEncodings,
  CallInput,
  EncodedBody,
  ErrorBodyKind,
  HttpMethod,
  MultipartEncoding,
  OperationSpec,
  ParameterSpec,
  ParameterStyles,
  PaginationSpec,
  RetryOptions,
  SuccessKind,
  ValidatorIssue,
} from "./types.js";
export { ApiPromise, type ApiResult, type RateLimitInfo } from "./api-promise.js";
export { isOperationError, type ParseAs } from "./body.js";
export { PagePromise, paginate, type PageCaller } from "./pagination.js";
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
  SdkError,
  type RequestDetails,
  type ValidationIssue,
} from "./errors.js";
