/**
 * How each body media type is carried by the generated client, and the media types it cannot
 * represent faithfully (warned at generation with the JSON pointer, never a silent success that fails
 * at run time). One rule, read by the model builder and by the loader's warnings.
 */
import { parsePointer, pointerSegment } from "./json-pointer.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `json` (parsed/serialized), `text` (`text/*`, a string), `multipart` (`multipart/form-data`, an object
 * of fields and files), `form` (URL-encoded fields) or `bytes` (everything else: a `Blob`, bytes or a stream).
 */
export type MediaKind = "json" | "text" | "multipart" | "form" | "bytes";

export function mediaKind(mediaType: string): MediaKind {
  const essence = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (/^application\/(.+\+)?json$/.test(essence) || /^[a-z]+\/[^/]+\+json$/.test(essence)) return "json";
  if (essence.startsWith("text/")) return "text";
  if (essence === "multipart/form-data") return "multipart";
  if (essence === "application/x-www-form-urlencoded") return "form";
  return "bytes";
}

/** `type/subtype`, each an HTTP token (wildcards allowed), parameters after `;`. */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+\s*(;.*)?$/i;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * Media types of request and response bodies the client carries only as raw bytes although the spec
 * describes a structure (an XML object, `multipart/mixed`...), and strings that are not media types.
 */
export function findUnrepresentableMediaTypes(document: Record<string, unknown>): { pointer: string; message: string }[] {
  const found: { pointer: string; message: string }[] = [];
  const resolve = (value: unknown, pointer: string): [unknown, string] => {
    if (!isRecord(value) || typeof value.$ref !== "string" || !value.$ref.startsWith("#/")) return [value, pointer];
    let target: unknown = document;
    for (const segment of parsePointer(value.$ref)) target = isRecord(target) ? target[segment] : undefined;
    return [target, value.$ref];
  };
  const check = (holder: unknown, at: string, direction: "request" | "response") => {
    const [body, pointer] = resolve(holder, at);
    if (!isRecord(body) || !isRecord(body.content)) return;
    for (const [mediaType, media] of Object.entries(body.content)) {
      const where = `${pointer}/content/${pointerSegment(mediaType)}`;
      if (!MEDIA_TYPE.test(mediaType)) {
        found.push({ pointer: where, message: `${JSON.stringify(mediaType)} is not a media type (type/subtype): the ${direction} body is carried as raw bytes` });
        continue;
      }
      const essence = mediaType.split(";")[0]!.trim().toLowerCase();
      if (mediaKind(mediaType) !== "bytes") continue;
      const [schema] = resolve(isRecord(media) ? media.schema : undefined, where);
      const structured = isRecord(schema) && (schema.type === "object" || schema.type === "array" || isRecord(schema.properties));
      if (essence.startsWith("multipart/") || structured) {
        const how = direction === "request" ? "the client sends the bytes you give it (Blob, ArrayBuffer, Uint8Array, stream or string), unchecked" : "the client returns the raw bytes (a Blob), unparsed";
        found.push({ pointer: where, message: `${direction} body ${mediaType} has a structure the client cannot encode or parse: ${how}` });
      }
    }
  };
  const paths = isRecord(document.paths) ? document.paths : {};
  for (const [route, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const at = `#/paths/${pointerSegment(route)}/${method}`;
      check(operation.requestBody, `${at}/requestBody`, "request");
      const responses = isRecord(operation.responses) ? operation.responses : {};
      for (const [status, response] of Object.entries(responses)) check(response, `${at}/responses/${pointerSegment(status)}`, "response");
    }
  }
  // A shared body used by several operations is reported once, where it is written.
  return [...new Map(found.map((f) => [f.pointer, f])).values()];
}
