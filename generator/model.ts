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
  /** First server URL of the spec, or "" when it has none. */
  readonly defaultBaseUrl: string;
  /** Operations grouped by their first tag, groups and operations sorted by name. */
  readonly groups: readonly OperationGroup[];
  /** Every operation, in the order of `groups`. */
  readonly operations: readonly OperationModel[];
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
  readonly requestBody: RequestBodyModel | undefined;
  /** Every documented response, sorted by status ("default" last). */
  readonly responses: readonly ResponseModel[];
  /** The operation's rate-limit label from `x-zoom-rate-limit` (e.g. `Light`), if the spec gives one. */
  readonly rateLimitLabel?: string | undefined;
}

export interface ParameterModel {
  readonly name: string;
  readonly in: "path" | "query" | "header";
  readonly required: boolean;
  readonly description: string | undefined;
  readonly schema: JsonSchema;
  /** The parameter's `example`, or the first of its `examples`, if any. */
  readonly example: unknown;
}

export interface RequestBodyModel {
  readonly required: boolean;
  readonly description: string | undefined;
  /** Media types the spec lists, JSON first, e.g. ["application/json", "multipart/form-data"]. */
  readonly mediaTypes: readonly string[];
  /** Schema of the JSON media type (or of the first media type when there is no JSON one). */
  readonly schema: JsonSchema;
  readonly example: unknown;
}

export type BodyKind = "json" | "text" | "empty";

export interface ResponseModel {
  /** "200", "404", "default", "4XX"... */
  readonly status: string;
  readonly description: string;
  /** How a success body is read: parsed JSON, plain text, or nothing (no content in the spec). */
  readonly bodyKind: BodyKind;
  /** The media type the body is read as (JSON preferred), or undefined when there is no content. */
  readonly mediaType: string | undefined;
  readonly schema: JsonSchema | undefined;
  /** Header names the spec documents for this response, lower-case. */
  readonly headers: readonly string[];
  readonly example: unknown;
}
