/**
 * Bodies by media type, the parts encoding.ts and response.ts delegate to: streamed request bodies, a
 * response read the way the caller asks (`parseAs`), error bodies decoded as the spec documents them,
 * and the check behind the generated `is<Op>Error` guards (request bodies other than JSON: body-encodings.ts). Generic: nothing here knows any particular API.
 */
import { ApiError } from "./errors.js";
import type { ErrorBodyKind } from "./types.js";

/**
 * How a call's success body is handed back instead of as documented, when the caller asks on the
 * call's promise (`.asStream()`, `.asArrayBuffer()`): `"stream"` is a `ReadableStream<Uint8Array>` read
 * as it arrives, never buffered; `"arrayBuffer"` the bytes as received.
 */
export type ParseAs = "stream" | "arrayBuffer";

/** True for a web `ReadableStream` (sent streamed, `duplex: "half"`, never buffered). */
export function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== "undefined" && value instanceof ReadableStream;
}

/**
 * Reads a 2xx body the way the caller asked. `"stream"` hands over the body as it arrives (an empty
 * stream when there is none); `"arrayBuffer"` reads it whole.
 */
export async function readBodyAs(response: Response, parseAs: ParseAs): Promise<unknown> {
  if (parseAs === "arrayBuffer") return await response.arrayBuffer();
  return response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

/**
 * The decoded body of an error answer (`ApiError.data`): parsed JSON when the spec documents JSON for
 * the status or the answer says it is JSON, the text for a documented `text` body, else undefined (the
 * raw text stays in `ApiError.body`). JSON that does not parse gives undefined, never a throw: the
 * status is what matters.
 */
export function decodeErrorBody(text: string, contentType: string | null, documented: ErrorBodyKind | undefined): unknown {
  const essence = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const saysJson = essence === "application/json" || /^[a-z]+\/[^/]+\+json$/.test(essence);
  if (documented === "json" || (documented === undefined && saysJson)) {
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  if (documented === "text" || (documented === undefined && essence.startsWith("text/"))) return text;
  return undefined;
}

/** The documented error kind for a status: its own entry, its range (`4XX`), else `default`. */
export function errorKindFor(errors: Readonly<Record<string, ErrorBodyKind>> | undefined, status: number): ErrorBodyKind | undefined {
  if (errors === undefined) return undefined;
  const key = documentedStatusKey(Object.keys(errors), status);
  return key === undefined ? undefined : errors[key];
}

/** Which documented status key an answer's status falls under: `"404"`, else `"4XX"`, else `"default"`. */
function documentedStatusKey(documented: readonly string[], status: number): string | undefined {
  const exact = String(status);
  if (documented.includes(exact)) return exact;
  const range = documented.find((key) => key.toUpperCase() === `${exact[0]}XX`);
  if (range !== undefined) return range;
  return documented.includes("default") ? "default" : undefined;
}

/**
 * The check behind a generated `is<Op>Error(error, status?)` guard: an `ApiError` of that operation
 * whose status falls under the documented key `status` (`404`, `"4XX"`, or `"default"` for any status
 * the operation does not list on its own; without `status`, any documented one), and whose body was
 * decoded when the spec documents JSON there, so the typed `data` is really there.
 */
export function isOperationError(
  error: unknown,
  operation: { id: string; errors?: Readonly<Record<string, ErrorBodyKind>> },
  status?: number | string,
): error is ApiError {
  if (!(error instanceof ApiError) || error.operationId !== operation.id) return false;
  const errors = operation.errors ?? {};
  const key = documentedStatusKey(Object.keys(errors), error.status);
  if (key === undefined || (status !== undefined && key !== String(status))) return false;
  return errors[key] !== "json" || error.data !== undefined;
}

/**
 * The body as the schema checker sees it: a multipart field holding a `Blob`/`File` (or an array of
 * them) is checked as the `string` its schema (`format: binary`) describes; anything else as it is.
 */
export function filesAsStrings(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Blob || isReadableStream(body)) return body;
  const entries = Object.entries(body);
  if (!entries.some(([, value]) => value instanceof Blob || (Array.isArray(value) && value.some((item) => item instanceof Blob)))) return body;
  const asString = (value: unknown) => (value instanceof Blob ? "" : value);
  return Object.fromEntries(entries.map(([name, value]) => [name, Array.isArray(value) ? value.map(asString) : asString(value)]));
}
