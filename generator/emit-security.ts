/**
 * What templates emit from the spec's security schemes: each operation's `security` alternatives,
 * the client's `RuntimeMeta.security`, the typed `auth` option and the README's first lines.
 */
import { docComment, docInline, tsKey, tsString } from "./escape.js";
import type { ApiModel, SecuritySchemeModel } from "./model.js";
import { compareText } from "./order.js";

type Alternatives = readonly (readonly string[])[];

function literal(alternatives: Alternatives): string {
  return `[${alternatives.map((alternative) => `[${alternative.map(tsString).join(", ")}]`).join(", ")}]`;
}

/** True when the spec declares a scheme the client can send (else the legacy rule: a bearer token, if given, on every request). */
export function hasSecurity(model: ApiModel): boolean {
  return model.securitySchemes.length > 0;
}

/** Every alternative any operation accepts, once, in order of first use: what a `raw` request may send. */
function fallback(model: ApiModel): string[][] {
  const seen = new Map<string, string[]>();
  for (const op of model.operations) {
    for (const alternative of op.credentials ?? []) {
      if (alternative.length > 0 && !seen.has(alternative.join("\n"))) seen.set(alternative.join("\n"), [...alternative]);
    }
  }
  return [...seen.values()];
}

function schemeSpec(scheme: SecuritySchemeModel): string {
  if (scheme.type === "apiKey") return `{ type: "apiKey", in: ${tsString(scheme.in ?? "header")}, name: ${tsString(scheme.parameterName ?? "")} }`;
  if (scheme.type === "http") return `{ type: "http", scheme: ${tsString(scheme.scheme ?? "")} }`;
  return `{ type: ${tsString(scheme.type)} }`;
}

/** The `RuntimeMeta.security` literal: the schemes, the raw requests' alternatives, and whether every operation needs a credential. */
export function securityMeta(model: ApiModel): string {
  const schemes = model.securitySchemes.map((scheme) => `        ${tsKey(scheme.name)}: ${schemeSpec(scheme)},`);
  const required = model.operations.length > 0 && model.operations.every((op) => (op.credentials ?? []).length > 0 && (op.credentials ?? []).every((alt) => alt.length > 0));
  const schemeList = schemes.length === 0 ? "{}" : `{\n${schemes.join("\n")}\n      }`;
  // The credentials of API keys and HTTP schemes other than bearer come with a spec that declares one (a lean client's bundle carries them only then).
  const credentials = needsSchemeCredentials(model) ? `\n      credentials: securitySchemes,` : "";
  return `{\n      schemes: ${schemeList},\n      fallback: ${literal(fallback(model))},\n      required: ${required},${credentials}\n    }`;
}

/** True when the spec declares a scheme other than a bearer token: the client then passes the runtime's `securitySchemes`. */
export function needsSchemeCredentials(model: ApiModel): boolean {
  return model.securitySchemes.some((scheme) => scheme.kind !== "bearer");
}

/** The runtime values the client's `meta` uses, for its import line: `, securitySchemes` or "". */
export function securityValueImports(model: ApiModel): string {
  return needsSchemeCredentials(model) ? ", securitySchemes" : "";
}

function credentialType(scheme: SecuritySchemeModel): string {
  if (scheme.kind === "basic") return "BasicCredentials";
  if (scheme.kind === "bearer") return "string | AccessTokenProvider";
  return "SecretSource";
}

function schemeDoc(scheme: SecuritySchemeModel): string {
  if (scheme.kind === "apiKey") return `API key, sent in the ${scheme.in} \`${scheme.parameterName}\`: a string, or a function returning the current one.`;
  if (scheme.kind === "basic") return "HTTP basic: `{ username, password }`.";
  if (scheme.kind === "bearer") return `${scheme.type === "http" ? "Bearer token" : scheme.type === "oauth2" ? "OAuth 2 access token" : "OpenID Connect access token"}, sent as \`Authorization: Bearer\`: a string, or a function returning a current one (\`accessToken\` serves it too).`;
  return `HTTP \`${scheme.scheme}\`: the credential sent after the scheme name in \`Authorization\`.`;
}

/** Names of the bearer-token options, left out of a client whose spec declares schemes but none of bearer type. */
const TOKEN_OPTIONS = ["accessToken", "oauth", "tokenStore", "tokenRefreshMarginMs", "tokenLockTtlMs"];

/**
 * `<Client>Auth` (one optional key per declared scheme, typed by its kind) and `<Client>Options`, the
 * factory's option type: a wrong scheme name or credential shape is a type error.
 */
export function clientOptionsTypes(model: ApiModel): string {
  const auth = `${model.clientTypeName}Auth`;
  const members = [...model.securitySchemes]
    .sort((a, b) => compareText(a.name, b.name))
    .map((scheme) => `${docComment([scheme.description, schemeDoc(scheme)], "  ")}\n  ${tsKey(scheme.name)}?: ${credentialType(scheme)};`);
  const body = members.length > 0 ? `{\n${members.join("\n")}\n}` : "Record<string, never>";
  const bearer = !hasSecurity(model) || model.securitySchemes.some((scheme) => scheme.kind === "bearer");
  const options = bearer ? `ClientOptions<${auth}>` : `Omit<ClientOptions<${auth}>, ${TOKEN_OPTIONS.map(tsString).join(" | ")}>`;
  return [
    `/** Credentials of ${docInline(model.title)}, by the name of the security scheme the spec declares (the \`auth\` option). */`,
    `export ${members.length > 0 ? `interface ${auth} ${body}` : `type ${auth} = ${body};`}`,
    "",
    `/** Options of ${model.factoryName}: credentials (\`auth\`${bearer ? ", `accessToken`, `oauth`" : ""}), base URL, retries, hooks... */`,
    `export type ${model.clientTypeName}Options = ${options};`,
  ].join("\n");
}

/** The runtime types the client's option types use, for its import line: `, type BasicCredentials, ...`. */
export function securityTypeImports(model: ApiModel): string {
  const kinds = new Set(model.securitySchemes.map((scheme) => scheme.kind));
  const names = [kinds.has("bearer") ? "AccessTokenProvider" : "", kinds.has("basic") ? "BasicCredentials" : "", kinds.has("apiKey") || kinds.has("http") ? "SecretSource" : ""];
  return names.filter(Boolean).map((name) => `, type ${name}`).join("");
}

/** The options of the README's first example: the credential of the spec's first alternative, from the environment ("" when none is needed). */
export function exampleClientOptions(model: ApiModel): string {
  const alternative = fallback(model)[0];
  if (alternative === undefined) return "";
  const schemes = alternative.map((name) => model.securitySchemes.find((scheme) => scheme.name === name)).filter((s) => s !== undefined);
  if (schemes.every((scheme) => scheme.kind === "bearer")) return "{ accessToken: process.env.ACCESS_TOKEN! }";
  const env = (name: string) => {
    const variable = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
    return /^[A-Z_][A-Z0-9_]*$/.test(variable) ? `process.env.${variable}!` : `process.env[${tsString(variable)}]!`;
  };
  const entries = schemes.map((scheme) =>
    scheme.kind === "basic"
      ? `${tsKey(scheme.name)}: { username: ${env(`${scheme.name}_user`)}, password: ${env(`${scheme.name}_password`)} }`
      : `${tsKey(scheme.name)}: ${env(scheme.name)}`,
  );
  return `{ auth: { ${entries.join(", ")} } }`;
}

/** The README's lean-client options: the example credentials with the schema checker opted in. */
export function exampleCoreOptions(model: ApiModel): string {
  const options = exampleClientOptions(model);
  return options === "" ? "{ validate: validateInput }" : `${options.slice(0, -2)}, validate: validateInput }`;
}

/** The helpers above by the names templates use. */
export const securityHelpers = { securityTypeImports, securityValueImports, hasSecurity, securityMeta, clientOptionsTypes, exampleClientOptions, exampleCoreOptions };
