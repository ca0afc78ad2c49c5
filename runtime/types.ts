/**
 * The contract between generated code and the runtime (docs/ARCHITECTURE.md).
 *
 * Generated code emits one `OperationSpec` per operation and calls `runtime.call(spec, input)`;
 * nothing else crosses the boundary, so these types change only with the architecture.
 */

/**
 * The `fetch` the runtime calls, the way the global `fetch` is called: `fetch(url, init)`, with `init.method`,
 * `init.headers` (a `Headers`), `init.body`, `init.redirect` and, when the attempt can time out or be
 * cancelled, `init.signal`. The global `fetch` (or undici's) fits as is; a function that wants a `Request`
 * makes one with `new Request(url, init)`. No `Request` is built for a fetch that does not ask for one, and
 * the attempt's `AbortSignal` is made only when `init.signal` is read (in Node 20 each costs more than the
 * rest of a call's own work).
 */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Internal: the key of `init`'s hook by which a transport of this runtime (node-http-fetch.ts) learns that the
 * attempt ended (timeout, caller's abort) without reading `init.signal`: `init[ATTEMPT_CANCEL](cancel)` registers
 * `cancel(reason)`. An AbortController and its listener cost a call more than the rest of Node's http.request
 * path (bench/runtime.ts, the `timeoutMs: Infinity` row). Any other fetch ignores the key.
 */
export const ATTEMPT_CANCEL: unique symbol = Symbol("zoomgen.attemptCancel");

/**
 * Internal, with `ATTEMPT_CANCEL`: `init[WHOLE_BODY]` is true when the runtime will read the whole body itself. The
 * runtime's transport may then answer a `Response` without a body of its own and the bytes as a promise under
 * `BODY_BYTES` (no web stream to fill and read back: about 20 µs of a call in Node 20).
 */
export const WHOLE_BODY: unique symbol = Symbol("zoomgen.wholeBody");
export const BODY_BYTES: unique symbol = Symbol("zoomgen.bodyBytes");

/** The hook under `ATTEMPT_CANCEL`: called at once when the attempt has already ended. */
export type OnAttemptCancel = (cancel: (reason: unknown) => void) => void;

/** A schema as the generator emits it: JSON Schema with `$ref` resolved to a function. */
export type Schema = boolean | SchemaObject;

export interface SchemaObject {
  readonly $ref?: () => Schema;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly allOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly not?: Schema;
  readonly if?: Schema;
  readonly then?: Schema;
  readonly else?: Schema;
  readonly multipleOf?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maxLength?: number;
  readonly minLength?: number;
  /** An ECMA-262 pattern, compiled without flags unless `patternFlags` says `u`. */
  readonly pattern?: string;
  readonly patternFlags?: string;
  readonly format?: string;
  readonly maxItems?: number;
  readonly minItems?: number;
  readonly uniqueItems?: boolean;
  readonly prefixItems?: readonly Schema[];
  readonly items?: Schema;
  readonly contains?: Schema;
  readonly minContains?: number;
  readonly maxContains?: number;
  readonly maxProperties?: number;
  readonly minProperties?: number;
  readonly required?: readonly string[];
  readonly dependentRequired?: Readonly<Record<string, readonly string[]>>;
  readonly dependentSchemas?: Readonly<Record<string, Schema>>;
  readonly properties?: Readonly<Record<string, Schema>>;
  /** Keys are patterns, vetted at generation like `pattern`; `u` when `patternFlags` says so. */
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: Schema;
  readonly propertyNames?: Schema;
}

/** HTTP methods an OpenAPI operation can use, upper case. */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** How a documented 2xx body is read: parsed JSON, plain text, bytes (a `Blob`), or ignored. */
export type SuccessKind = "json" | "text" | "binary" | "empty";

/** How a documented error body is decoded into `ApiError.data`: parsed JSON, text, or not at all. */
export type ErrorBodyKind = "json" | "text" | "binary" | "empty";

/** One multipart property's `encoding` entry: the part's Content-Type (one type or a comma-separated list). */
export interface MultipartEncoding {
  contentType?: string;
}

/** One problem reported by the schema checker (the shape ajv reports). */
export interface ValidatorIssue {
  /** JSON pointer into the validated `{path, query, body}` object, e.g. `/body/members`. */
  instancePath: string;
  /** The JSON Schema keyword that failed, e.g. `maxItems`. */
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}


/**
 * How one parameter is serialized (OpenAPI "Style Values"). Operations list the parameters whose
 * serialization is not the default (form+explode in query, simple in path) and every header and
 * cookie parameter; any other parameter is sent with its location's default.
 */
export interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  style: "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode: boolean;
  /** Query only: leave RFC 3986 reserved characters unencoded. */
  allowReserved?: boolean;
  /** A `content`-typed parameter: the value is written in this media type (JSON) before encoding. */
  contentType?: string;
  /** The call fails with `ValidationError` (nothing sent) when a required header or cookie is missing. */
  required?: boolean;
}

/** One reason an input was rejected (`ValidationError.issues`). */
export interface ValidationIssue {
  /** Where, e.g. `body.members` or `path.userId`. */
  path: string;
  /** The rule that failed, e.g. `maxItems` or `required`. */
  rule: string;
  /** What is wrong, e.g. `must NOT have more than 5 items`. */
  message: string;
}

/** How a profile encodes a path value further after percent-encoding it once (`ApiProfile.encodePathValue`). */
export interface PathValueEncoder {
  encodePathValue(text: string, once: string): string;
}

/**
 * Serializers of the parameters an operation lists (`parameterStyles`, runtime/parameter-styles.ts):
 * every style of OpenAPI's table, `allowReserved`, `content`-typed values. Bad values become issues.
 */
export interface ParameterStyles {
  path(spec: ParameterSpec, value: unknown, issues: ValidationIssue[], profile?: PathValueEncoder): string | undefined;
  query(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string[];
  header(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string | undefined;
  cookie(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string[];
}

/** A request body ready to send. `contentType` is undefined for multipart: fetch writes it with the boundary. */
export interface EncodedBody {
  body: string | FormData | Blob | ArrayBuffer | Uint8Array<ArrayBuffer> | URLSearchParams | ReadableStream<Uint8Array> | undefined;
  contentType: string | undefined;
}

/**
 * The encoder of request bodies in media types other than JSON (`bodyEncodings`, runtime/body-encodings.ts):
 * multipart, URL-encoded fields, text, bytes. Throws `ValidationError` for a body of the wrong shape.
 */
export type BodyEncodings = (operation: Pick<OperationSpec, "id" | "requestBody">, mediaType: string, body: unknown) => EncodedBody;

/** Everything the runtime needs to know about one operation; emitted into `generated/operations.ts`. */
export interface OperationSpec {
  /** The spec's `operationId`, used in error messages. */
  id: string;
  method: HttpMethod;
  /** Path template as in the spec, e.g. `/users/{userId}`. */
  path: string;
  /** Safe to repeat: 5xx answers, timeouts and network failures are retried only when true. */
  idempotent: boolean;
  /** `encoding`: multipart properties whose part has a Content-Type of its own (file parts, JSON parts). */
  requestBody?: { required: boolean; mediaTypes: readonly string[]; encoding?: Readonly<Record<string, MultipartEncoding>> };
  /** Parameters not sent with their location's default style, and every header and cookie parameter. */
  parameters?: readonly ParameterSpec[];
  /**
   * The serializers of `parameters` (the runtime's `parameterStyles`): generated with them, so a lean
   * client's bundle carries them only for operations that list parameters. The full client has them built in.
   */
  parameterStyles?: ParameterStyles;
  /**
   * The encoder of the body's media types other than JSON (the runtime's `bodyEncodings`): generated
   * where the operation lists one. The full client has it built in.
   */
  bodyEncodings?: BodyEncodings;
  /** Documented 2xx statuses and how to read each body, e.g. `{ "200": "json", "204": "empty" }`. */
  successes: Readonly<Record<string, SuccessKind>>;
  /** Documented non-2xx statuses (`"404"`, `"4XX"`, `"default"`) and how each body is decoded into `ApiError.data`. */
  errors?: Readonly<Record<string, ErrorBodyKind>>;
  /** The operation's rate-limit label (Zoom: `Light`, `Medium`, `Heavy`, `Resource-intensive`), for a shared rate budget. */
  rateLimitLabel?: string;
  /** JSON Schema of `{path, query, body}`, checked before sending; absent for operations that take no input. */
  inputSchema?: Schema | undefined;
  /** Token pagination of a list operation (runtime/pagination.ts); absent when the operation does not page. */
  pagination?: PaginationSpec;
  /**
   * What a generated method of a paged operation returns (the runtime's `paginate`): generated with
   * `pagination`, so only a resource with a paged operation brings the paging code into a bundle.
   */
  paginate?(caller: { call(operation: OperationSpec, input: CallInput | undefined): unknown }, operation: OperationSpec, input: CallInput | undefined): unknown;
  /**
   * Security alternatives by scheme name (runtime/security.ts): the first the client has credentials
   * for is sent; `[]` sends none. Absent: as for a `raw` request (any credentials of the client that
   * some operation accepts, else none; with no scheme declared, the client's bearer token).
   */
  security?: readonly (readonly string[])[];
}

/**
 * How a list operation pages: the next request repeats the input with the query parameter
 * `cursorParam` set to the previous page's `cursorField`; `itemsField` is the page's array of items.
 */
export interface PaginationSpec {
  cursorParam: string;
  cursorField: string;
  itemsField: string;
}

/** Retry policy of a client or a call (docs/RUNTIME.md, "Retries and rate limits"). */
export interface RetryOptions {
  /** Attempts after the first one (default 2, so at most 3 requests). `0` disables retries. */
  maxRetries: number;
  /** Upper bound of the first backoff delay in ms (default 500); it doubles with each retry (full jitter). */
  initialDelayMs: number;
  /**
   * Upper bound of any one delay in ms (default 30 000). A `Retry-After` longer than this is not
   * waited for: the call fails at once (a `RateLimitError` carries `resumeAt`).
   */
  maxDelayMs: number;
}

/** The one object every generated method takes. */
export interface CallInput {
  /** Path parameters by name: strings, or numbers for numeric ids (64-bit meeting ids included). */
  path?: object;
  /**
   * Query parameters by name: strings, numbers, booleans, arrays of them, or objects where the spec's
   * style takes one (`deepObject`, `form`); `undefined` is omitted.
   */
  query?: object;
  /** Header parameters the spec declares, by name, serialized with their style (`simple`). */
  header?: object;
  /** Cookie parameters the spec declares, by name, sent in one `Cookie` header (`form` style). */
  cookie?: object;
  /**
   * The request body, encoded in the operation's media type (`contentType` picks one when it lists
   * several): JSON, `multipart/form-data`, URL-encoded fields, text, or bytes (a `ReadableStream` is
   * sent streamed, without retries).
   */
  body?: unknown;
  /** Extra request headers; values must not contain CR or LF. */
  headers?: Record<string, string>;
  /** Cancels the request. */
  signal?: AbortSignal;
  /** The request body's media type, one the operation lists (the first, JSON preferred, by default). */
  contentType?: string;
  /**
   * Timeout of each attempt in ms, from sending until the whole response body has arrived; overrides
   * the client's `timeoutMs`. `Infinity` waits forever. Exceeding it throws `TimeoutError`.
   */
  timeoutMs?: number;
  /** Retry policy for this call, merged over the client's; `false` for no retries (a 401 code 124 still gets its one). */
  retry?: Partial<RetryOptions> | false;
  /**
   * Also retry 5xx answers, timeouts and network failures for a non-idempotent method (POST, PATCH):
   * only when the operation is safe to repeat, e.g. it carries an idempotency key.
   */
  retryNonIdempotent?: boolean;
  /** Overrides the client's `validate` option for this call. */
  validate?: boolean;
}
