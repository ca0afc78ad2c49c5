/**
 * Request bodies in media types other than JSON: `multipart/form-data` (file parts shaped by the spec's
 * `encoding`), `application/x-www-form-urlencoded`, `text/*`, and bytes for any other type. Generated
 * operations that list such a media type carry `bodyEncodings`; the full client has it built in; a
 * JSON-only client's bundle leaves it out (encoding.ts writes JSON).
 */
import { isReadableStream } from "./body.js";
import { ValidationError, type ValidationIssue } from "./errors.js";
import { scalarText } from "./parameters.js";
import type { BodyEncodings, MultipartEncoding } from "./types.js";

/**
 * Encodes `body` in `mediaType` (not JSON): multipart (see `toFormData`); URL-encoded from an object of
 * fields (arrays repeat the key); `text/*` from a string; any other type (`application/octet-stream`,
 * `image/png`...) from bytes: a `Blob`/`File`, an `ArrayBuffer`, a `Uint8Array` (a string is sent as
 * UTF-8) or a `ReadableStream`, sent streamed.
 */
export const bodyEncodings: BodyEncodings = (operation, mediaType, body) => {
  const essence = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (essence === "multipart/form-data") return { body: toFormData(body, operation.id, operation.requestBody?.encoding), contentType: undefined };
  if (essence === "application/x-www-form-urlencoded") return { body: toUrlEncoded(body, operation.id), contentType: mediaType };
  if (essence.startsWith("text/")) {
    if (typeof body !== "string") throw bodyTypeError(operation.id, `a ${essence} body must be a string`);
    return { body, contentType: mediaType };
  }
  // Every other media type is bytes, sent as given (a wildcard such as `image/*` names no type to send: bytesContentType).
  if (typeof body === "string" || body instanceof Blob || body instanceof ArrayBuffer || isReadableStream(body)) return { body, contentType: bytesContentType(mediaType, body) };
  // Copied, so a view of a larger or shared buffer sends exactly its own bytes.
  if (body instanceof Uint8Array) return { body: new Uint8Array(body), contentType: bytesContentType(mediaType, body) };
  throw bodyTypeError(operation.id, `a ${essence} body must be a Blob, an ArrayBuffer, a Uint8Array, a ReadableStream or a string`);
};

function bodyTypeError(operationId: string, message: string): ValidationError {
  return new ValidationError([{ path: "body", rule: "type", message }], operationId);
}

/** An object of fields as `application/x-www-form-urlencoded`: arrays repeat the key, `undefined` is omitted. */
function toUrlEncoded(body: unknown, operationId: string): URLSearchParams {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bodyTypeError(operationId, "an application/x-www-form-urlencoded body must be an object of fields");
  }
  const form = new URLSearchParams();
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      const text = typeof item === "object" ? JSON.stringify(item) : scalarText(item);
      if (text === undefined) issues.push({ path: `body.${name}`, rule: "type", message: "must be a string, a finite number or a boolean" });
      else form.append(name, text);
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  return form;
}

/**
 * A multipart body: each top-level field is one part. A `Blob`/`File` is a file part (see
 * `appendEncodedPart`); strings as they are, numbers and booleans as `String(v)`, arrays and objects as
 * JSON; `undefined` is omitted.
 */
function toFormData(body: unknown, operationId: string, encoding?: Readonly<Record<string, MultipartEncoding>>): FormData {
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Blob) {
    throw bodyTypeError(operationId, "a multipart/form-data body must be an object of fields");
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (appendEncodedPart(form, name, value, encoding?.[name])) continue;
    if (typeof value === "string") form.append(name, value);
    else if (typeof value === "object") form.append(name, JSON.stringify(value));
    else form.append(name, String(value));
  }
  return form;
}

/**
 * Appends one multipart field whose value is a `Blob`/`File`, as a file part: its filename is the
 * `File`'s name, else the field's name; its type is the Blob's own when the spec's `encoding` allows it,
 * else the encoding's first type, else the Blob's (fetch sends `application/octet-stream` when there is
 * none). Returns false for any other value, which the caller appends as a text part: fetch's FormData
 * cannot type a text part, and a field the encoding calls `application/json` goes as a text part holding
 * JSON, which is what servers read rather than a file named after the field.
 */
function appendEncodedPart(form: FormData, name: string, value: unknown, encoding: MultipartEncoding | undefined): boolean {
  if (!(value instanceof Blob)) return false;
  const allowed = (encoding?.contentType ?? "")
    .split(",")
    .map((type) => type.trim().toLowerCase())
    .filter((type) => type !== "" && !type.includes("*"));
  const own = value.type.toLowerCase();
  const type = allowed.length === 0 || allowed.includes(own.split(";")[0]?.trim() ?? "") ? own : (allowed[0] ?? own);
  const filename = typeof File !== "undefined" && value instanceof File && value.name !== "" ? value.name : name;
  // A Blob over the same bytes with another type: no copy of the data.
  form.append(name, type === own ? value : new Blob([value], { type }), filename);
  return true;
}

/**
 * The Content-Type of a bytes body: the media type the spec lists, unless it is a wildcard (any
 * type, or `image/` with a star), which names no type: then the Blob's own type when it fits, else
 * `application/octet-stream`.
 */
function bytesContentType(mediaType: string, body: unknown): string {
  if (!mediaType.includes("*")) return mediaType;
  const own = body instanceof Blob ? body.type : "";
  const [range] = mediaType.split(";");
  const prefix = (range ?? "").trim().toLowerCase().replace(/\*$/, "");
  return own !== "" && (prefix === "*/" || prefix === "" || own.toLowerCase().startsWith(prefix)) ? own : "application/octet-stream";
}
