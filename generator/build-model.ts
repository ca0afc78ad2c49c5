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
  ParameterModel,
  RequestBodyModel,
  ResponseModel,
} from "./model.js";
import { parsePointer, pointerSegment } from "./json-pointer.js";
import { compareText as compare } from "./order.js";
import { camelCase, nameFromRoute, pascalCase } from "./names.js";

export interface BuildModelOptions {
  /** Overrides the factory name's stem: `--name Acme` gives `createAcmeClient`. */
  readonly name?: string;
  /** Maps a JSON pointer to a place in the spec, for error messages. */
  readonly locate?: (pointer: string) => SourceLocation | undefined;
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

  const operations: (OperationModel & { tag: string; pointer: string })[] = [];
  const paths = isRecord(document.paths) ? document.paths : {};
  for (const route of Object.keys(paths)) {
    const pathItem = resolve(paths[route]);
    if (!isRecord(pathItem)) continue;
    const sharedParameters = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation)) continue;
      const pointer = `#/paths/${pointerSegment(route)}/${method}`;
      operations.push(buildOperation(route, method, operation, sharedParameters, resolve, pointer));
    }
  }

  // Group by first tag; names must be unique because they become properties and types.
  const byGroup = new Map<string, { tag: string; operations: typeof operations }>();
  for (const operation of operations) {
    const propertyName = groupPropertyName(operation.tag);
    const group = byGroup.get(propertyName);
    if (group && group.tag !== operation.tag) {
      fail(`tags "${group.tag}" and "${operation.tag}" both become the client property "${propertyName}": rename one`, operation.pointer);
    }
    (group ?? byGroup.set(propertyName, { tag: operation.tag, operations: [] }).get(propertyName)!).operations.push(operation);
  }

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
        if (clash) fail(`operations "${clash}" and "${operation.id}" both become the type name ${operation.typeName}: give one another operationId`, operation.pointer);
        typeNames.set(operation.typeName, operation.id);
      });
      return {
        tag: group.tag,
        propertyName,
        description: tagDescriptions.get(group.tag),
        operations: sorted.map(({ tag: _tag, pointer: _pointer, ...model }) => model),
      };
    });

  const servers = Array.isArray(document.servers) ? document.servers : [];
  const firstServer = servers.find(isRecord);
  const stem = options.name ?? title.replace(/\b(api|sdk|client)\b/gi, " ");
  const factoryStem = (pascalCase(stem) || "Api").replace(/^Op(?=[A-Z0-9])/, "");

  return {
    title,
    version: stringOr(info.version, "0.0.0"),
    description: optionalString(info.description),
    factoryName: `create${factoryStem}Client`,
    clientTypeName: `${factoryStem}Client`,
    defaultBaseUrl: firstServer && typeof firstServer.url === "string" ? firstServer.url : "",
    groups,
    operations: groups.flatMap((group) => group.operations),
  };
}

function buildOperation(
  route: string,
  method: (typeof METHODS)[number],
  operation: Record<string, unknown>,
  sharedParameters: readonly unknown[],
  resolve: Resolve,
  pointer: string,
): OperationModel & { tag: string; pointer: string } {
  const id = typeof operation.operationId === "string" && operation.operationId !== "" ? operation.operationId : nameFromRoute(method, route);
  const methodName = camelCase(id) || nameFromRoute(method, route);
  const httpMethod = method.toUpperCase() as HttpMethod;
  const parameters = mergeParameters(sharedParameters, Array.isArray(operation.parameters) ? operation.parameters : [], resolve);
  const tags = Array.isArray(operation.tags) ? operation.tags.filter((t): t is string => typeof t === "string") : [];

  return {
    id,
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
    requestBody: buildRequestBody(resolve(operation.requestBody), resolve),
    responses: buildResponses(resolve(operation.responses), resolve),
    rateLimitLabel: rateLimitLabel(operation),
    tag: tags[0] ?? UNTAGGED,
    pointer,
  };
}

/** Zoom's rate-limit label of an operation (`x-zoom-rate-limit: Light|Medium|Heavy|Resource-intensive`). */
function rateLimitLabel(operation: Record<string, unknown>): string | undefined {
  const label = operation["x-zoom-rate-limit"];
  return typeof label === "string" && label.trim() !== "" ? label.trim() : undefined;
}

/** Operation-level parameters override path-level ones with the same name and place. Cookies are not sent. */
function mergeParameters(shared: readonly unknown[], own: readonly unknown[], resolve: Resolve): ParameterModel[] {
  const merged = new Map<string, ParameterModel>();
  for (const raw of [...shared, ...own]) {
    const parameter = resolve(raw);
    if (!isRecord(parameter) || typeof parameter.name !== "string") continue;
    if (parameter.in !== "path" && parameter.in !== "query" && parameter.in !== "header") continue;
    merged.set(`${parameter.in}:${parameter.name}`, {
      name: parameter.name,
      in: parameter.in,
      required: parameter.in === "path" || parameter.required === true,
      description: optionalString(parameter.description),
      schema: isRecord(parameter.schema) ? parameter.schema : {},
      example: parameter.example ?? firstExample(parameter.examples, resolve),
    });
  }
  return [...merged.values()];
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
    schema: isRecord(media) && isRecord(media.schema) ? media.schema : {},
    example: isRecord(media) ? (media.example ?? firstExample(media.examples, resolve)) : undefined,
  };
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
      const bodyKind: BodyKind = mediaType === undefined ? "empty" : isJson(mediaType) ? "json" : "text";
      return {
        status,
        description: stringOr(record.description, ""),
        bodyKind,
        mediaType,
        schema: isRecord(media) && isRecord(media.schema) ? media.schema : undefined,
        headers: isRecord(record.headers) ? Object.keys(record.headers).map((h) => h.toLowerCase()).sort(compare) : [],
        example: isRecord(media) ? (media.example ?? firstExample(media.examples, resolve)) : undefined,
      };
    });
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
