/**
 * The contract between generated code and the runtime (docs/ARCHITECTURE.md).
 *
 * Generated code emits one `OperationSpec` per operation and calls `runtime.call(spec, input)`;
 * nothing else crosses the boundary, so these types change only with the architecture.
 */

/** HTTP methods an OpenAPI operation can use, upper case. */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** How a documented 2xx body is read: parsed JSON, plain text, or ignored. */
export type SuccessKind = "json" | "text" | "empty";

/** One problem reported by a compiled validator (the shape ajv reports). */
export interface ValidatorIssue {
  /** JSON pointer into the validated `{path, query, body}` object, e.g. `/body/members`. */
  instancePath: string;
  /** The JSON Schema keyword that failed, e.g. `maxItems`. */
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** A validator compiled at generation time (ajv standalone); it validates `{path, query, body}`. */
export type InputValidator = ((input: unknown) => boolean) & {
  errors?: readonly ValidatorIssue[] | null;
};

/** Everything the runtime needs to know about one operation; emitted into `generated/operations.ts`. */
export interface OperationSpec {
  /** The spec's `operationId`, used in error messages. */
  id: string;
  method: HttpMethod;
  /** Path template as in the spec, e.g. `/users/{userId}`. */
  path: string;
  /** Safe to retry after a failure (used by retries in a later version). */
  idempotent: boolean;
  requestBody?: { required: boolean; mediaTypes: readonly string[] };
  /** Documented 2xx statuses and how to read each body, e.g. `{ "200": "json", "204": "empty" }`. */
  successes: Readonly<Record<string, SuccessKind>>;
  /** Input validator; absent for operations that take no input. */
  validate?: InputValidator;
}

/**
 * Retry policy. Declared now so `CallInput` is stable; retries are applied by a later version of the
 * runtime, and until then this option is accepted and ignored.
 */
export interface RetryOptions {
  /** Attempts after the first one. */
  maxRetries: number;
  /** Delay before the first retry; later ones back off exponentially with jitter. */
  initialDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
}

/** The one object every generated method takes. */
export interface CallInput {
  /** Path parameters by name: strings, or numbers for numeric ids (64-bit meeting ids included). */
  path?: object;
  /** Query parameters by name: strings, numbers, booleans or arrays of them; `undefined` is omitted. */
  query?: object;
  /** The request body: sent as JSON, or as `multipart/form-data` when `contentType` says so. */
  body?: unknown;
  /** Extra request headers; values must not contain CR or LF. */
  headers?: Record<string, string>;
  /** Cancels the request. */
  signal?: AbortSignal;
  /** `"application/json"` (the default) or `"multipart/form-data"`, if the operation lists it. */
  contentType?: string;
  /** Per-call timeout. Reserved: applied by a later version of the runtime. */
  timeoutMs?: number;
  /** Per-call retry policy, or `false` for none. Reserved: applied by a later version of the runtime. */
  retry?: Partial<RetryOptions> | false;
  /** Allow retries of a non-idempotent operation. Reserved: applied by a later version of the runtime. */
  retryNonIdempotent?: boolean;
  /** Overrides the client's `validate` option for this call. */
  validate?: boolean;
}
