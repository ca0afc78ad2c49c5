/**
 * The named helpers templates call. Templates stay logic-less; every TypeScript type
 * expression, escaped string and example is built here, where it can be tested.
 */
import { docComment, docInline, mdCodeBlock, mdInline, tsKey, tsString, tsValue } from "./escape.js";
import { isRecord } from "./load.js";
import type { ApiModel, JsonSchema, OperationGroup, OperationModel, ResponseModel } from "./model.js";

/** `paths["/users/{userId}"]["get"]`: the openapi-typescript type of one operation. */
export function operationType(op: OperationModel): string {
  return `paths[${tsString(op.path)}][${tsString(op.method.toLowerCase())}]`;
}

/** A 2xx status, or the `2XX` range. */
export function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

function statusKey(status: string): string {
  return /^\d+$/.test(status) ? status : tsString(status);
}

function responseDataType(op: OperationModel, response: ResponseModel): string {
  if (response.bodyKind === "empty") return "undefined";
  if (response.bodyKind === "text") return "string";
  if (response.bodyKind === "binary") return "Blob";
  return `${operationType(op)}["responses"][${statusKey(response.status)}]["content"][${tsString(response.mediaType ?? "application/json")}]`;
}

/** What a call resolves to: the union over its documented success responses. */
export function dataType(op: OperationModel): string {
  const types = [...new Set(op.responses.filter((r) => isSuccess(r.status)).map((r) => responseDataType(op, r)))];
  return types.length === 0 ? "unknown" : types.join(" | ");
}

/** The `{ "200": "json", "204": "empty" }` table the runtime reads to decode a success. */
export function successKinds(op: OperationModel): string {
  const entries = op.responses.filter((r) => isSuccess(r.status)).map((r) => `${tsString(r.status)}: ${tsString(r.bodyKind)}`);
  return `{ ${entries.join(", ")} }`;
}

/** Lines of the input interface: `path`, `query`, `body`, `contentType`, each typed from the spec. */
export function inputMembers(op: OperationModel): string {
  const type = operationType(op);
  const lines: string[] = [];
  if (op.pathParams.length > 0) lines.push(`/** Path parameters, percent-encoded into the URL. */\npath: ${type}["parameters"]["path"];`);
  if (op.queryParams.length > 0) {
    const optional = op.queryParams.some((p) => p.required) ? "" : "?";
    lines.push(`/** Query parameters. */\nquery${optional}: ${type}["parameters"]["query"];`);
  }
  for (const [member, params, what] of [["header", op.headerParams, "Header"], ["cookie", op.cookieParams, "Cookie"]] as const) {
    if (params.length === 0) continue;
    const optional = params.some((p) => p.required) ? "" : "?";
    lines.push(`/** ${what} parameters the spec declares, serialized with their style. */\n${member}${optional}: ${type}["parameters"][${tsString(member)}];`);
  }
  const body = op.requestBody;
  if (body) {
    const primary = body.mediaTypes[0] ?? "application/json";
    const bodyType = isBytesMediaType(primary) ? "Blob | ArrayBuffer | Uint8Array | string" : `NonNullable<${type}["requestBody"]>["content"][${tsString(primary)}]`;
    lines.push(`/** The request body${body.description ? `: ${docInline(body.description)}` : "."} */\nbody${body.required ? "" : "?"}: ${bodyType};`);
    if (body.mediaTypes.length > 1) {
      lines.push(`/** How the body is encoded; JSON unless you ask for another media type the operation accepts. */\ncontentType?: ${body.mediaTypes.map(tsString).join(" | ")};`);
    }
  }
  return lines.join("\n");
}

/** A media type sent as bytes: not JSON, text, multipart or URL-encoded (e.g. `application/octet-stream`). */
function isBytesMediaType(mediaType: string): boolean {
  return !/^(application\/([^;]+\+)?json|text\/|multipart\/form-data|application\/x-www-form-urlencoded)/i.test(mediaType);
}

/** True when the caller must pass an input object (a path parameter, a required query or body). */
export function inputRequired(op: OperationModel): boolean {
  const requiredParam = [...op.queryParams, ...op.headerParams, ...op.cookieParams].some((p) => p.required);
  return op.pathParams.length > 0 || requiredParam || op.requestBody?.required === true;
}

/**
 * The `parameters` entry of an operation's `OperationSpec`: the parameters not sent with their
 * location's default style, and every header and cookie parameter; "" when there is none.
 */
export function parameterSpecs(op: OperationModel): string {
  const all = [...op.pathParams, ...op.queryParams, ...op.headerParams, ...op.cookieParams];
  const listed = all.filter((p) => !p.serialization.isDefault || p.in === "header" || p.in === "cookie");
  if (listed.length === 0) return "";
  const entries = listed.map((p) => {
    const { style, explode, allowReserved, contentType } = p.serialization;
    const extra = [allowReserved ? "allowReserved: true" : "", contentType ? `contentType: ${tsString(contentType)}` : "", p.required && p.in !== "path" ? "required: true" : ""];
    return `{ ${[`name: ${tsString(p.name)}`, `in: ${tsString(p.in)}`, `style: ${tsString(style)}`, `explode: ${explode}`, ...extra.filter(Boolean)].join(", ")} }`;
  });
  return `[${entries.join(", ")}]`;
}

/** The doc comment of a client method: summary, description, the route, deprecation. */
export function methodDoc(op: OperationModel, indent = ""): string {
  return docComment(
    [op.summary, op.description, `\`${op.method} ${op.path}\` (operationId \`${op.id}\`)`, op.deprecated ? "@deprecated" : undefined],
    indent,
  );
}

/** An example input object for the README, from the spec's examples (or placeholders by type). */
export function exampleInput(op: OperationModel): Record<string, unknown> | undefined {
  const input: Record<string, unknown> = {};
  const params = (list: OperationModel["pathParams"], all: boolean) => {
    const entries = list.filter((p) => all || p.required || p.example !== undefined).map((p) => [p.name, p.example ?? exampleForSchema(p.schema)]);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  const path = params(op.pathParams, true);
  const query = params(op.queryParams, false);
  if (path) input.path = path;
  if (query) input.query = query;
  if (op.requestBody) input.body = op.requestBody.example ?? exampleForSchema(op.requestBody.schema);
  return Object.keys(input).length > 0 ? input : undefined;
}

function exampleForSchema(schema: JsonSchema): unknown {
  if ("example" in schema) return schema.example;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const variants = [schema.anyOf, schema.oneOf].find(Array.isArray) as unknown[] | undefined;
  if (variants && isRecord(variants[0])) return exampleForSchema(variants[0]);
  switch (schema.type) {
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return "string";
  }
}

/** `const data = await zoom.users.getUser({...});` for the README. */
export function exampleCall(group: OperationGroup, op: OperationModel): string {
  const input = exampleInput(op);
  const args = input ? tsValue(input) : "";
  return mdCodeBlock(`const data = await client.${group.propertyName}.${op.methodName}(${args});`, "ts");
}

/** The spec's servers as the runtime's `RuntimeMeta.servers` (URL templates and variables). */
export function serverSpecs(model: ApiModel): string {
  return tsValue(model.servers.map((server) => ({ url: server.url, variables: server.variables })));
}

/** Every helper by the name templates use. */
export const templateHelpers = {
  tsString: (value: unknown) => tsString(String(value ?? "")),
  tsKey: (value: unknown) => tsKey(String(value)),
  tsValue: (value: unknown) => tsValue(value),
  docComment: (...args: unknown[]) => docComment(args.slice(0, -1).map((a) => (typeof a === "string" ? a : undefined))),
  mdInline: (value: unknown) => mdInline(typeof value === "string" ? value : undefined),
  docInline: (value: unknown) => docInline(typeof value === "string" ? value : undefined),
  operationType,
  dataType,
  successKinds,
  inputMembers,
  inputRequired,
  parameterSpecs,
  serverSpecs,
  methodDoc: (op: OperationModel) => methodDoc(op),
  exampleCall,
  lowercase: (value: unknown) => String(value).toLowerCase(),
} as const;
