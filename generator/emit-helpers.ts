/**
 * The named helpers templates call. Templates stay logic-less; every TypeScript type
 * expression, escaped string and example is built here, where it can be tested.
 */
import { docComment, docInline, mdCode, mdCodeBlock, mdInline, tsJsonString, tsKey, tsPropertyKey, tsString, tsValue } from "./escape.js";
import { isRecord } from "./load.js";
import type { ApiModel, JsonSchema, OperationGroup, OperationModel, ResponseModel, SchemaModel, WebhookEventModel } from "./model.js";
import { hasSecurity, securityHelpers } from "./emit-security.js";
import { groupStem, resourceTypeName } from "./names.js";
import { compareText } from "./order.js";
import { inputExportName } from "./validators.js";

/**
 * The openapi-typescript type of one operation: `OperationTypes["getUser"]` (its `operations`, imported
 * under that name) when the spec names the operation, else `paths["/users/{userId}"]["get"]`.
 */
export function operationType(op: OperationModel): string {
  if (op.specOperationId) return `OperationTypes[${tsString(op.id)}]`;
  return `paths[${tsString(op.path)}][${tsString(op.method.toLowerCase())}]`;
}

/** The import of openapi-typescript's types that a file's type expressions (`operationType`) use, or "". */
function openapiImport(ops: readonly OperationModel[], from: string, alwaysPaths: boolean, uses: (op: OperationModel) => boolean): string {
  const names = new Set<string>(alwaysPaths ? ["paths"] : []);
  for (const op of ops) if (uses(op)) names.add(op.specOperationId ? "operations as OperationTypes" : "paths");
  return names.size === 0 ? "" : `import type { ${[...names].sort(compareText).join(", ")} } from ${JSON.stringify(from)};`;
}

/** A resource file's import of `paths` (its runtime is `Runtime<paths>`) and of `operations` when its types index it. */
export function resourceOpenapiImport(group: OperationGroup, model: ApiModel): string {
  return openapiImport(ownOperations(group, model), "../openapi.js", true, (op) => operationTypes(op, model).includes("OperationTypes["));
}

/** A doc comment on one line (`/** text *\/`): for the short, repeated comments of large files. */
export function docLine(text: string): string {
  const line = docInline(text);
  return line === "" ? "" : `/** ${line} */`;
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

/** The alias of a component schema when `schema` is exactly a `$ref` to one, so hover shows `User`. */
function schemaAlias(schema: JsonSchema | undefined, model: ApiModel): SchemaModel | undefined {
  if (!schema || Object.keys(schema).length !== 1 || typeof schema.$ref !== "string") return undefined;
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref);
  if (!match?.[1]) return undefined;
  const name = match[1].replace(/~1/g, "/").replace(/~0/g, "~");
  return model.schemas.find((s) => s.name === name);
}

/** What a bytes body may be given as: sent byte for byte, a stream streamed. */
const BYTES_BODY = "Blob | ArrayBuffer | Uint8Array | ReadableStream<Uint8Array> | string";

/** The body's type: the union over its media types of bytes, `string` for text, or the spec's type of that content. */
function bodyType(op: OperationModel, model: ApiModel): string | undefined {
  const body = op.requestBody;
  if (!body) return undefined;
  const contentType = (mediaType: string) => `NonNullable<${operationType(op)}["requestBody"]>["content"][${tsString(mediaType)}]`;
  const primary = () => schemaAlias(body.schema, model)?.typeName ?? contentType(body.mediaTypes[0] ?? "application/json");
  if (body.kinds === undefined) return body.sentAsBytes ? BYTES_BODY : primary();
  const kinds = body.kinds;
  const types = body.mediaTypes.map((mediaType, index) => {
    const kind = kinds[index];
    if (kind === "bytes") return BYTES_BODY;
    if (kind === "text") return "string";
    return index === 0 ? primary() : contentType(mediaType);
  });
  return [...new Set(types)].join(" | ");
}

function namedDataType(op: OperationModel, model: ApiModel): string {
  const types = op.responses
    .filter((r) => isSuccess(r.status))
    .map((r) => (r.bodyKind === "json" ? schemaAlias(r.schema, model)?.typeName : undefined) ?? responseDataType(op, r));
  const unique = [...new Set(types)];
  return unique.length === 0 ? "unknown" : unique.join(" | ");
}

/**
 * The named types of one operation, each with a doc comment from the spec: `<Op>PathParams`,
 * `<Op>Query`, `<Op>Headers`, `<Op>Body` (when the operation has them), `<Op>Data` and `<Op>Input`.
 */
export function operationTypes(op: OperationModel, model: ApiModel): string {
  const type = operationType(op);
  const t = op.typeName;
  const route = `\`${op.method} ${op.path}\``;
  const out: string[] = [];
  const members: string[] = [];
  // One-line docs naming the method (its doc comment gives the route and the spec's text); none on the
  // parameter aliases, whose names say it all and whose members `<Op>Input` documents (a 1,000-operation
  // API would repeat the same sentence a few thousand times).
  const declare = (name: string, doc: string | undefined, expression: string) => {
    out.push(`${doc ? `${docLine(doc)}\n` : ""}export type ${name} = ${expression};`);
  };
  const of = `\`${op.methodName}\``;
  if (op.pathParams.length > 0) {
    // openapi-typescript makes a location optional only when none of its parameters is required (path ones always are).
    declare(`${t}PathParams`, undefined, `${type}["parameters"]["path"]`);
    members.push(`/** Path parameters, percent-encoded. */\npath: ${t}PathParams;`);
  }
  if (op.queryParams.length > 0) {
    const required = op.queryParams.some((p) => p.required);
    declare(`${t}Query`, undefined, required ? `${type}["parameters"]["query"]` : `NonNullable<${type}["parameters"]["query"]>`);
    members.push(`/** Query parameters. */\nquery${required ? "" : "?"}: ${t}Query;`);
  }
  if (op.headerParams.length > 0) {
    declare(`${t}Headers`, undefined, `NonNullable<${type}["parameters"]["header"]>`);
  }
  for (const [member, params, what] of [["header", op.headerParams, "Header"], ["cookie", op.cookieParams, "Cookie"]] as const) {
    if (params.length === 0) continue;
    const optional = params.some((p) => p.required) ? "" : "?";
    members.push(`/** ${what} parameters the spec declares, serialized with their style. */\n${member}${optional}: ${type}["parameters"][${tsString(member)}];`);
  }
  const body = op.requestBody;
  const bodyExpression = bodyType(op, model);
  if (body && bodyExpression) {
    declare(`${t}Body`, body.description ? `The request body of ${of}: ${body.description}` : undefined, bodyExpression);
    members.push(`/** The request body${body.description ? `: ${docInline(body.description)}` : "."} */\nbody${body.required ? "" : "?"}: ${t}Body;`);
    if (body.mediaTypes.length > 1) {
      members.push(`/** How the body is encoded; JSON unless you ask for another media type the operation accepts. */\ncontentType?: ${body.mediaTypes.map(tsString).join(" | ")};`);
    }
  }
  const success = op.responses.filter((r) => isSuccess(r.status)).map((r) => r.description).find((d) => d.trim() !== "");
  declare(`${t}Data`, `What ${of} resolves to${success ? `: ${success}` : "."}`, namedDataType(op, model));
  out.push(
    `/** Input of \`${op.methodName}\`: ${docInline(op.summary) || route} */\n` +
      `export interface ${t}Input extends operations.CallOptions {\n${indent(2, members.join("\n"))}${members.length > 0 ? "\n" : ""}}`,
  );
  return out.join("\n\n");
}

/** Documented non-2xx responses: the statuses a typed error body can come from. */
function errorResponses(op: OperationModel): readonly ResponseModel[] {
  return op.responses.filter((r) => !isSuccess(r.status) && !/^[13]/.test(r.status));
}

/**
 * The data of an operation's `OperationSpec` (runtime/types.ts), the fields in its order; the values it refers to
 * (`inputSchema`, `parameterStyles`, `bodyEncodings`) are passed beside it in operations.ts.
 */
export interface OperationData {
  id: string;
  method: string;
  path: string;
  idempotent: boolean;
  /** With the multipart `encoding` when the spec gives one. */
  requestBody?: { required: boolean; mediaTypes: readonly string[]; encoding?: Record<string, { contentType: string }> };
  parameters?: readonly ParameterData[];
  /** `{ "200": "json", "204": "empty" }`: how the runtime decodes each documented success. */
  successes: Record<string, string>;
  /** `{ "404": "json", "default": "json" }`, absent when no error response is documented. */
  errors?: Record<string, string>;
  rateLimitLabel?: string;
  security?: readonly (readonly string[])[];
  pagination?: { cursorParam: string; cursorField: string; itemsField: string };
}

/** A parameter in `OperationSpec.parameters`. */
export interface ParameterData {
  name: string;
  in: string;
  style: string;
  explode: boolean;
  allowReserved?: true;
  contentType?: string;
  required?: true;
}

/** A status table (`Object.fromEntries`: a status is never `__proto__`, but the table stays an own-property map). */
function kinds(responses: readonly ResponseModel[]): Record<string, string> {
  return Object.fromEntries(responses.map((r) => [r.status, r.bodyKind]));
}

/** The data of one operation's `OperationSpec`. */
export function operationData(op: OperationModel, model: ApiModel): OperationData {
  const body = op.requestBody;
  // fromEntries: a multipart part named `__proto__` stays an own property.
  const encoding = body?.encoding && Object.fromEntries(Object.entries(body.encoding).map(([name, entry]) => [name, { contentType: entry.contentType }]));
  const parameters = parameterSpecs(op);
  const errors = errorResponses(op);
  return {
    id: op.id,
    method: op.method,
    path: op.path,
    idempotent: op.idempotent,
    ...(body && { requestBody: { required: body.required, mediaTypes: body.mediaTypes, ...(encoding && { encoding }) } }),
    ...(parameters.length > 0 && { parameters }),
    successes: kinds(op.responses.filter((r) => isSuccess(r.status))),
    ...(errors.length > 0 && { errors: kinds(errors) }),
    ...(op.rateLimitLabel && { rateLimitLabel: op.rateLimitLabel }),
    ...(hasSecurity(model) && { security: op.credentials ?? [] }),
    ...(op.pagination && { pagination: { cursorParam: op.pagination.cursorParam, cursorField: op.pagination.cursorField, itemsField: op.pagination.itemsField } }),
  };
}

/**
 * One operation's `OperationSpec` expression in operations.ts: its data as JSON (tsc reads one string, not a
 * literal of a dozen nodes and symbols) and the values it refers to. Pure, so a bundler drops unused operations.
 */
export function operationSpec(op: OperationModel, model: ApiModel): string {
  // A paged operation carries the runtime's `paginate`, so only resources with one bundle paging.
  const values = [usesParameterStyles(op) ? "parameterStyles" : "", usesBodyEncodings(op) ? "bodyEncodings" : "", op.pagination ? "paginate" : ""].filter(Boolean);
  const extra = values.length > 0 ? `, { ${values.join(", ")} }` : "";
  return `/*#__PURE__*/ op(${tsJsonString(operationData(op, model))}, inputSchemas.${inputExportName(op)}${extra})`;
}

/**
 * `generated/error-guards.ts`: per operation that documents error responses, `<Op>Errors` (the decoded
 * error body by status, \`default\` included) and the guard `is<Op>Error(error, status?)` that narrows an
 * unknown error to `ApiError<<Op>Errors[status]>`, so `error.data` is typed. Every guard is an instance of
 * one generic `OperationErrorGuard`, documented once, and bodies that are a component schema are named by its
 * alias (`BasicError`): the file stays small and cheap for tsc on specs of a thousand operations.
 */
export function errorGuards(model: ApiModel, runtimeImport: string): string {
  const operations = model.operations.filter((op) => errorResponses(op).length > 0);
  if (operations.length === 0) return "export {};\n";
  const aliases = new Set<string>();
  const indexed: OperationModel[] = [];
  const blocks = operations.map((op) => {
    const t = op.typeName;
    const members = errorResponses(op).map((r) => {
      let type = r.bodyKind === "text" ? "string" : "undefined";
      if (r.bodyKind === "json") {
        const alias = schemaAlias(r.schema, model)?.typeName;
        if (alias) aliases.add(alias);
        else indexed.push(op);
        type = alias ?? responseDataType(op, r);
      }
      return indent(2, `${docLine(`${r.status === "default" ? "Any other status" : r.status}${r.description ? `: ${r.description}` : ""}`)}\n${statusKey(r.status)}: ${type};`);
    });
    return [
      `export interface ${t}Errors {\n${members.join("\n")}\n}`,
      docLine(`Narrows an error of \`${op.methodName}\` (\`OperationErrorGuard\`).`),
      `export const is${t}Error: OperationErrorGuard<${t}Errors> = /*#__PURE__*/ errorGuard(operations.${t}Operation);`,
    ].join("\n");
  });
  return [
    // Like operations.ts: each guard is typed by its annotation, so a user's tsc resolves only the guards they call.
    // test/generator/data-files.test.ts type-checks the whole file without this line.
    "// @ts-nocheck -- error types and guards emitted by the generator; each export is typed by its annotation.",
    `import { isOperationError, type ApiError, type OperationSpec } from ${JSON.stringify(runtimeImport)};`,
    ...(indexed.length > 0 ? [openapiImport(indexed, "./openapi.js", false, () => true)] : []),
    ...(aliases.size > 0 ? [`import type { ${[...aliases].sort(compareText).join(", ")} } from "./schemas.js";`] : []),
    'import * as operations from "./operations.js";',
    "",
    docComment([
      `\`is<Op>Error(error, status?)\`: true when \`error\` is an \`ApiError\` of that operation with a documented status (\`status\`, if given: a status, a range such as "4XX", or "default" for any status not listed on its own); \`error.data\` is then typed as \`<Op>Errors[status]\`.`,
    ]),
    "export type OperationErrorGuard<Errors> = <S extends keyof Errors>(error: unknown, status?: S) => error is ApiError<Errors[S]>;",
    "",
    "function errorGuard<Errors>(operation: OperationSpec): OperationErrorGuard<Errors> {",
    "  return ((error: unknown, status?: number | string) => isOperationError(error, operation, status)) as OperationErrorGuard<Errors>;",
    "}",
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");
}

/** The component schema alias an event reuses: its body is exactly a `$ref` to a schema whose alias has the event's name. */
function webhookEventAlias(event: WebhookEventModel, model: ApiModel): SchemaModel | undefined {
  const alias = schemaAlias(event.schema, model);
  return alias?.typeName === event.typeName ? alias : undefined;
}

/**
 * The declaration of one webhook event's type. Where the event reuses a component schema's alias (Zoom's
 * spec names them so), that alias is re-exported instead of declaring a second type of the same name.
 */
export function webhookEventType(event: WebhookEventModel, model: ApiModel): string {
  if (webhookEventAlias(event, model)) return `export type { ${event.typeName} };`;
  const doc = docComment([event.summary, event.description, event.deprecated ? "@deprecated" : undefined]);
  return `${doc ? `${doc}\n` : ""}export type ${event.typeName} = NonNullable<webhooks[${tsString(event.name)}]["post"]["requestBody"]>["content"]["application/json"];`;
}

/** The type imports `webhooks.ts` needs: openapi-typescript's `webhooks` and/or the reused schema aliases. */
export function webhookTypeImports(model: ApiModel): string {
  const aliases = model.webhooks.events.filter((e) => webhookEventAlias(e, model)).map((e) => e.typeName);
  const lines: string[] = [];
  if (aliases.length < model.webhooks.events.length) lines.push(`import type { webhooks } from "./openapi.js";`);
  if (aliases.length > 0) lines.push(`import type { ${[...aliases].sort(compareText).join(", ")} } from "./schemas.js";`);
  return lines.join("\n");
}

/**
 * The group whose resource file declares an operation's types: the first group that lists it. An
 * operation under several tags is in each group, but its types are declared once (a second declaration
 * would make `export type *` in client.ts ambiguous).
 */
function homeGroup(op: OperationModel, model: ApiModel): OperationGroup | undefined {
  return model.groups.find((g) => g.operations.includes(op));
}

/** The operations whose types this group's resource file declares. */
export function ownOperations(group: OperationGroup, model: ApiModel): readonly OperationModel[] {
  return group.operations.filter((op) => homeGroup(op, model) === group);
}

/** `import type { ... } from "./<home>.js";` for the types of operations this group shares with another. */
export function borrowedTypeImports(group: OperationGroup, model: ApiModel): string {
  const byHome = new Map<string, string[]>();
  for (const op of group.operations) {
    const home = homeGroup(op, model);
    if (!home || home === group) continue;
    const names = [`${op.typeName}Input`, `${op.typeName}Data`, ...(op.pagination ? [`${op.typeName}Item`] : [])];
    byHome.set(home.propertyName, [...(byHome.get(home.propertyName) ?? []), ...names]);
  }
  return [...byHome].map(([home, names]) => `import type { ${names.sort().join(", ")} } from "./${home}.js";\n`).join("");
}

/** The runtime imports of a resource file (types only: its methods are made in operations.ts): `PagePromise` only when one of its operations pages. */
export function resourceRuntimeImports(group: OperationGroup, from: string): string {
  const paged = group.operations.some((op) => op.pagination !== undefined);
  const plain = group.operations.some((op) => op.pagination === undefined);
  const types = [...(plain ? ["ApiPromise"] : []), ...(paged ? ["PagePromise"] : []), "Runtime"];
  return `import type { ${types.join(", ")} } from ${JSON.stringify(from)};`;
}

/** `UsersMethods`: the table of one group's operations by method name in operations.ts, which its factory turns into methods. */
export function resourceTable(group: OperationGroup): string {
  return `${groupStem(group.propertyName)}Methods`;
}

/** `UsersResource`: the interface of one group's methods, what its factory returns. */
export function resourceInterface(group: OperationGroup): string {
  return resourceTypeName(group.propertyName);
}

/** `createUsersResource`: the factory of one group's methods in `resources/<group>.ts`. */
export function resourceFactory(group: OperationGroup): string {
  return `create${groupStem(group.propertyName)}Resource`;
}

/** The `import type { User, ... } from "../schemas.js";` line a resource file needs, or "". */
export function schemaImports(group: OperationGroup, model: ApiModel): string {
  const names = new Set<string>();
  for (const op of ownOperations(group, model)) {
    const body = schemaAlias(op.requestBody?.schema, model);
    if (body) names.add(body.typeName);
    for (const r of op.responses) {
      const alias = isSuccess(r.status) && r.bodyKind === "json" ? schemaAlias(r.schema, model) : undefined;
      if (alias) names.add(alias.typeName);
    }
  }
  return names.size === 0 ? "" : `import type { ${[...names].sort().join(", ")} } from "../schemas.js";\n`;
}

/** `export type User = components["schemas"]["User"];` for every component schema, with its description. */
export function schemaAliases(model: ApiModel): string {
  return model.schemas
    .map((s) => {
      const doc = docComment([s.description, s.deprecated ? "@deprecated" : undefined]);
      return `${doc ? `${doc}\n` : ""}export type ${s.typeName} = components["schemas"][${tsString(s.name)}];`;
    })
    .join("\n\n");
}

/** Every non-empty line of `text` indented by `width` spaces: emitters lay out their own code (no formatter). */
export function indent(width: number, text: string): string {
  const pad = " ".repeat(width);
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}

/**
 * A JSON-like value as a TypeScript literal laid out as people write it: bare keys where
 * they are identifiers, two-space indent, trailing commas on multi-line literals.
 */
export function tsLiteral(value: unknown, depth = 0): string {
  const pad = "  ".repeat(depth + 1);
  const close = "  ".repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${pad}${tsLiteral(v, depth + 1)},`).join("\n")}\n${close}]`;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${pad}${tsKey(k)}: ${tsLiteral(v, depth + 1)},`).join("\n")}\n${close}}`;
  }
  return tsValue(value ?? null);
}

/** `["a", "b"]` from a list of strings. */
export function tsStringList(values: readonly string[]): string {
  return `[${values.map(tsString).join(", ")}]`;
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
export function parameterSpecs(op: OperationModel): ParameterData[] {
  const all = [...op.pathParams, ...op.queryParams, ...op.headerParams, ...op.cookieParams];
  const listed = all.filter((p) => !p.serialization.isDefault || p.in === "header" || p.in === "cookie");
  return listed.map((p) => {
    const { style, explode, allowReserved, contentType } = p.serialization;
    const spec: ParameterData = { name: p.name, in: p.in, style, explode };
    if (allowReserved) spec.allowReserved = true;
    if (contentType) spec.contentType = contentType;
    if (p.required && p.in !== "path") spec.required = true;
    return spec;
  });
}

/** True when the operation lists parameters: its `OperationSpec` then carries the runtime's `parameterStyles`. */
export function usesParameterStyles(op: OperationModel): boolean {
  return parameterSpecs(op).length > 0;
}

/**
 * True when the operation's body has a media type the runtime does not write as JSON (its own rule:
 * `application/json` or a `+json` type): its `OperationSpec` then carries the runtime's `bodyEncodings`.
 */
export function usesBodyEncodings(op: OperationModel): boolean {
  const runtimeJson = (mediaType: string) => {
    const essence = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
    return essence === "application/json" || /^[a-z]+\/[^/]+\+json$/.test(essence);
  };
  return op.requestBody?.mediaTypes.some((mediaType) => !runtimeJson(mediaType)) ?? false;
}

/** True when some operation pages: its `OperationSpec` in operations.ts then carries the runtime's `paginate`. */
export function anyPaged(model: ApiModel): boolean {
  return model.operations.some((op) => op.pagination !== undefined);
}

/** The runtime values `operations.ts` uses, for its import line: `parameterStyles, bodyEncodings, ` (each only when some operation needs it). */
export function operationsRuntimeImports(model: ApiModel): string {
  const names = [anyPaged(model) ? "paginate" : "", model.operations.some(usesParameterStyles) ? "parameterStyles" : "", model.operations.some(usesBodyEncodings) ? "bodyEncodings" : ""];
  return names.filter(Boolean).map((name) => `${name}, `).join("");
}

/**
 * The doc comment of a client method: summary, the description's first paragraph, the route, deprecation.
 * The whole description is in openapi.ts (on `paths`) and the README; repeating it here would double the
 * largest part of a big API's resource files.
 */
export function methodDoc(op: OperationModel, indent = ""): string {
  const paragraphs = (op.description ?? "").trim().split(/\n\s*\n/);
  const description = paragraphs.length > 1 ? `${paragraphs[0]} (…)` : paragraphs[0];
  return docComment([op.summary, description, `\`${op.method} ${op.path}\` (operationId \`${op.id}\`)`, op.deprecated ? "@deprecated" : undefined], indent);
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
  const args = input ? tsLiteral(input) : "";
  return mdCodeBlock(`const data = await client.${group.propertyName}.${op.methodName}(${args});`, "ts");
}

/** The spec's servers as the runtime's `RuntimeMeta.servers` (URL templates and variables). */
export function serverSpecs(model: ApiModel): string {
  return tsLiteral(model.servers.map((server) => ({ url: server.url, variables: server.variables })), 1);
}

/** Every helper by the name templates use. */
export const templateHelpers = {
  tsString: (value: unknown) => tsString(String(value ?? "")),
  tsKey: (value: unknown) => tsKey(String(value)),
  tsPropertyKey: (value: unknown) => tsPropertyKey(String(value)),
  tsValue: (value: unknown) => tsValue(value),
  docComment: (...args: unknown[]) => docComment(args.slice(0, -1).map((a) => (typeof a === "string" ? a : undefined))),
  indent: (width: unknown, text: unknown) => indent(Number(width), String(text ?? "")),
  tsStringList: (values: unknown) => tsStringList(Array.isArray(values) ? values.map(String) : []),
  mdInline: (value: unknown) => mdInline(typeof value === "string" ? value : undefined),
  mdCode: (value: unknown) => mdCode(typeof value === "string" ? value : undefined),
  docInline: (value: unknown) => docInline(typeof value === "string" ? value : undefined),
  operationType,
  operationSpec,
  errorGuards,
  operationTypes,
  resourceFactory,
  resourceInterface,
  resourceTable,
  resourceOpenapiImport,
  schemaImports,
  schemaAliases,
  webhookEventType,
  resourceRuntimeImports,
  ownOperations,
  borrowedTypeImports,
  webhookTypeImports,
  inputRequired,
  usesParameterStyles,
  usesBodyEncodings,
  operationsRuntimeImports,
  anyPaged,
  serverSpecs,
  methodDoc: (op: OperationModel) => methodDoc(op),
  exampleCall,
  lowercase: (value: unknown) => String(value).toLowerCase(),
  ...securityHelpers,
} as const;
