/**
 * The one intermediate model of the generator.
 *
 * `buildModel` (generator/build-model.ts) turns a validated OpenAPI document into this
 * shape; templates and emitters read only this, never raw OpenAPI. When a template needs
 * something new, this model grows a field.
 */

/** A JSON Schema as written in the spec (OpenAPI 3.1 schema object); `$ref`s stay as
 * document-internal pointers such as `#/components/schemas/ZoomError`. */
export type JsonSchema = Record<string, unknown>;

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

export interface ApiModel {
  /** `info.title` of the spec, e.g. "Zoom API". */
  readonly title: string;
  readonly version: string;
  readonly description: string | undefined;
  /** Name of the exported factory, e.g. `createZoomClient` (from the title or `--name`). */
  readonly factoryName: string;
  /** Name of the client's type, e.g. `ZoomClient`. */
  readonly clientTypeName: string;
  /** First server URL of the spec with its variables' defaults filled in, or "" when it has none. */
  readonly defaultBaseUrl: string;
  /** Every server of the spec, in order; a client picks one by index and may override its variables. */
  readonly servers: readonly ServerModel[];
  /**
   * Operations grouped by tag, groups and operations sorted by name. An operation with several tags is
   * in each of their groups (the same `OperationModel` object).
   */
  readonly groups: readonly OperationGroup[];
  /** Every operation once, in the order of `groups` (first appearance). */
  readonly operations: readonly OperationModel[];
  /** `components.schemas`, each with the name of its exported alias (`export type User = ...`). */
  readonly schemas: readonly SchemaModel[];
  /** The events of the spec's OpenAPI 3.1 `webhooks` section (none for a spec without one). */
  readonly webhooks: WebhooksModel;
  /** `components.securitySchemes` the client can send credentials for, sorted by name (mutualTLS and broken ones left out, with a warning). */
  readonly securitySchemes: readonly SecuritySchemeModel[];
  /** The runtime profile named by `info.x-zoomgen-profile` (`zoom`), or undefined for the generic core. */
  readonly profile?: RuntimeProfileName | undefined;
  /** `info.x-zoomgen-package`: the output is its own npm package of this name and version (a package.json is written). */
  readonly package?: PackageModel | undefined;
}

/** The runtime profiles the generator knows: `generic` is the core alone. */
export type RuntimeProfileName = "zoom" | "generic";

/** The npm package a generated client is published as. */
export interface PackageModel {
  readonly name: string;
  readonly version: string;
}

/** One usable entry of `components.securitySchemes`. */
export interface SecuritySchemeModel {
  /** The key under `components.securitySchemes`, e.g. "api_key": the key of the client's `auth` option too. */
  readonly name: string;
  readonly description: string | undefined;
  /**
   * How the credential travels: an API key in a header, the query or a cookie (`parameterName`); HTTP
   * `basic`; a bearer token (HTTP `bearer`, OAuth 2, OpenID Connect); or another HTTP scheme (`scheme`).
   */
  readonly kind: "apiKey" | "basic" | "bearer" | "http";
  /** apiKey only: where the key goes and under which name. */
  readonly in?: "header" | "query" | "cookie";
  readonly parameterName?: string;
  /** The spec's `type` (`apiKey`, `http`, `oauth2`, `openIdConnect`) and, for `http`, its `scheme` (`basic` and `bearer` lower-cased). */
  readonly type: string;
  readonly scheme?: string;
}

export interface SchemaModel {
  /** The key under `components.schemas`, e.g. "User" or "user-list". */
  readonly name: string;
  /** The exported alias: a safe PascalCase identifier that clashes with no other exported name. */
  readonly typeName: string;
  readonly description: string | undefined;
  readonly deprecated: boolean;
  /** The schema as written (`$ref`s kept), for consumers that compare shapes (generator/changes/). */
  readonly schema: JsonSchema;
}

export interface ServerModel {
  /** The URL template, e.g. `{scheme}://api.example.com/v{version}`. */
  readonly url: string;
  readonly description: string | undefined;
  /** Each variable's default and, when the spec restricts it, the allowed values. */
  readonly variables: Readonly<Record<string, { readonly default: string; readonly enum?: readonly string[] }>>;
}

export interface WebhooksModel {
  /** Name of the exported handler factory, e.g. `createZoomWebhookHandler`. */
  readonly factoryName: string;
  /** Name of the union type of every event, e.g. `ZoomWebhookEvent`. */
  readonly eventTypeName: string;
  /** Every webhook with a JSON `post` request body, sorted by event name. */
  readonly events: readonly WebhookEventModel[];
}

export interface WebhookEventModel {
  /** The key in `webhooks`, which is the event name Zoom sends in `event`, e.g. `user.updated`. */
  readonly name: string;
  /** PascalCase type name of the event, e.g. `UserUpdatedEvent`. */
  readonly typeName: string;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly deprecated: boolean;
  /** The JSON schema of the request body (the whole event), `$ref`s as written. */
  readonly schema: JsonSchema;
  readonly example: unknown;
}

export interface OperationGroup {
  /** The tag as written in the spec, e.g. "Users". */
  readonly tag: string;
  /** Property name on the client, e.g. `users` or `chatChannels`. */
  readonly propertyName: string;
  readonly description: string | undefined;
  readonly operations: readonly OperationModel[];
}

export interface OperationModel {
  /** `operationId` as written in the spec (the key into openapi-typescript's `operations`). */
  readonly id: string;
  /**
   * True when `id` is the spec's own operationId (else it is made from the route): openapi-typescript then
   * declares the operation in its `operations`, a shorter and cheaper type to index than `paths[route][method]`.
   */
  readonly specOperationId?: boolean;
  /** Method name on the client: a safe camelCase identifier, e.g. `getUser`. */
  readonly methodName: string;
  /** PascalCase base for the operation's type names, e.g. `GetUser`. */
  readonly typeName: string;
  readonly method: HttpMethod;
  /** Path template as in the spec, e.g. `/users/{userId}`. */
  readonly path: string;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly deprecated: boolean;
  /** True for GET, HEAD, OPTIONS, PUT, DELETE: safe to retry after a failure. */
  readonly idempotent: boolean;
  readonly pathParams: readonly ParameterModel[];
  readonly queryParams: readonly ParameterModel[];
  readonly headerParams: readonly ParameterModel[];
  readonly cookieParams: readonly ParameterModel[];
  readonly requestBody: RequestBodyModel | undefined;
  /** Every documented response, sorted by status ("default" last). */
  readonly responses: readonly ResponseModel[];
  /** The operation's rate-limit label from `x-zoom-rate-limit` (e.g. `Light`), if the spec gives one. */
  readonly rateLimitLabel?: string | undefined;
  /** The security alternatives in force (the operation's, else the document's), each a sorted list of "scheme" or "scheme:scope". */
  readonly security: readonly (readonly string[])[];
  /**
   * What the client sends: the alternatives of `security` as scheme names only (scopes left out), each
   * alternative naming an undeclared scheme dropped and unsupported schemes (mutualTLS) left out, with a
   * warning. `[]` means no credentials; an empty alternative means credentials are optional.
   */
  readonly credentials?: readonly (readonly string[])[];
  /** Token pagination, when the operation pages (Zoom's `next_page_token` convention or `x-zoomgen-pagination`). */
  readonly pagination?: PaginationModel;
}

/**
 * How a token-paged list operation walks its pages: send the previous page's `cursorField` as the
 * query parameter `cursorParam`; the page's items are the array `itemsField`.
 */
export interface PaginationModel {
  /** Query parameter that carries the cursor, e.g. `next_page_token`. */
  readonly cursorParam: string;
  /** Response property holding the next cursor; empty or absent on the last page. */
  readonly cursorField: string;
  /** Response property holding the page's items (an array). */
  readonly itemsField: string;
}

export interface ParameterModel {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly description: string | undefined;
  /** The parameter's `schema`, or the schema of its `content` media type. */
  readonly schema: JsonSchema;
  /** The parameter's `example`, or the first of its `examples`, if any. */
  readonly example: unknown;
  /** How the value goes on the wire (OpenAPI "Style Values"), defaults applied. */
  readonly serialization: ParameterSerialization;
}

export type ParameterStyle = "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";

export interface ParameterSerialization {
  /** `style`, or the default of the location: `form` for query and cookie, `simple` for path and header. */
  readonly style: ParameterStyle;
  /** `explode`, or its default: true for `form`, false otherwise. */
  readonly explode: boolean;
  readonly allowReserved: boolean;
  /** The media type of a `content`-typed parameter (e.g. JSON in a query string), else undefined. */
  readonly contentType: string | undefined;
  /** True when the location's defaults apply (nothing for the runtime to be told). */
  readonly isDefault: boolean;
}

export interface RequestBodyModel {
  readonly required: boolean;
  readonly description: string | undefined;
  /** Media types the spec lists, JSON first, e.g. ["application/json", "multipart/form-data"]. */
  readonly mediaTypes: readonly string[];
  /** Schema of the JSON media type (or of the first media type when there is no JSON one); `{}` for bytes. */
  readonly schema: JsonSchema;
  readonly example: unknown;
  /** True when the primary media type is sent as bytes (not JSON, text, multipart or URL-encoded). */
  readonly sentAsBytes: boolean;
  /** How each media type of `mediaTypes` is carried (same order): JSON, text, multipart, URL-encoded fields or bytes. Optional so hand-built models stay valid. */
  readonly kinds?: readonly MediaKind[];
  /** The multipart `encoding` entries that set a part's Content-Type, by property (absent when none does). */
  readonly encoding?: Readonly<Record<string, { readonly contentType: string }>>;
}

export type { MediaKind } from "./media-types.js";
import type { MediaKind } from "./media-types.js";

export type BodyKind = "json" | "text" | "binary" | "empty";

export interface ResponseModel {
  /** "200", "404", "default", "4XX"... */
  readonly status: string;
  readonly description: string;
  /**
   * How a success body is read: parsed JSON, plain text (`text/*`), bytes (every other media type:
   * `application/octet-stream`, images...; never decoded as text), or nothing (no content in the spec).
   */
  readonly bodyKind: BodyKind;
  /** The media type the body is read as (JSON preferred), or undefined when there is no content. */
  readonly mediaType: string | undefined;
  /** Every media type the response lists, sorted. */
  readonly mediaTypes: readonly string[];
  readonly schema: JsonSchema | undefined;
  /** Header names the spec documents for this response, lower-case. */
  readonly headers: readonly string[];
  readonly example: unknown;
}

/**
 * What the change report (generator/changes/) needs beyond the emitters' view: the spec's
 * component schemas to follow `$ref`s, servers, security and every response media type.
 * Optional so hand-built models in tests stay valid.
 */
export interface ApiModel {
}
