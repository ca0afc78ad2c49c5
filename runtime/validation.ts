/**
 * Checks `{path, query, body}` against the operation's input schema and turns the checker's report into
 * `ValidationError` issues that name fields the way a caller writes them (`body.members[0].email`).
 */
import { filesAsStrings } from "./body.js";
import { ValidationError, type ValidationIssue } from "./errors.js";
import { checkSchema } from "./schema-check.js";
import type { CallInput, OperationSpec, ValidatorIssue } from "./types.js";

/** Throws `ValidationError` when the input breaks the operation's input schema; does nothing without one. */
export function validateInput(operation: OperationSpec, input: CallInput): void {
  const schema = operation.inputSchema;
  if (schema === undefined) return;
  const reported = checkSchema(schema, { path: input.path ?? {}, query: input.query ?? {}, body: filesAsStrings(input.body) });
  if (reported.length > 0) throw new ValidationError(reported.map(toIssue), operation.id);
}

/** Converts one ajv-style issue to a `ValidationIssue`. */
export function toIssue(issue: ValidatorIssue): ValidationIssue {
  const segments = issue.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  // These keywords report on the parent object; the field at fault is in params.
  const child = issue.params["missingProperty"] ?? issue.params["additionalProperty"] ?? issue.params["unevaluatedProperty"];
  if (typeof child === "string") segments.push(child);
  return { path: formatPath(segments), rule: issue.keyword, message: describe(issue) };
}

function formatPath(segments: readonly string[]): string {
  let path = "";
  for (const segment of segments) {
    if (/^\d+$/.test(segment) && path !== "") path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += path === "" ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path === "" ? "input" : path;
}

function describe(issue: ValidatorIssue): string {
  const message = issue.message ?? `fails ${issue.keyword}`;
  const allowed = issue.params["allowedValues"];
  if (issue.keyword === "enum" && Array.isArray(allowed)) {
    return `${message}: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return message;
}
