/**
 * Swagger 2.0 documents are converted to OpenAPI 3.0 with swagger2openapi (the converter the
 * Mermade/OAI tools share) rather than refused; a note says so, since the conversion may
 * reshape what the generated client looks like (e.g. formData parameters become a body).
 */
import { GeneratorError } from "./errors.js";

export async function convertSwagger2(document: Record<string, unknown>, display: string): Promise<Record<string, unknown>> {
  if (document.swagger === undefined) return document;
  if (document.swagger !== "2.0") throw new GeneratorError(`${display}: unsupported Swagger version ${JSON.stringify(document.swagger)}: expected 2.0`);
  // Loaded only for Swagger input: it is a generator-only dependency and not small.
  const converter = "swagger2openapi"; // untyped package: imported by name, typed below
  const { convertObj } = (await import(converter)) as {
    convertObj: (doc: unknown, options: Record<string, unknown>) => Promise<{ openapi: Record<string, unknown> }>;
  };
  try {
    const { openapi } = await convertObj(structuredClone(document), { patch: true, warnOnly: true, resolve: false, direct: false });
    process.stderr.write(`note: ${display} is Swagger 2.0; converted to OpenAPI ${String(openapi.openapi)} with swagger2openapi before generating.\n`);
    return openapi;
  } catch (error) {
    throw new GeneratorError(`${display}: cannot convert this Swagger 2.0 document to OpenAPI 3: ${(error as Error).message}`, { cause: error });
  }
}

/** Where a converted document's component sections were in Swagger 2.0. */
const SECTIONS: readonly (readonly [openApi3: string, swagger2: string])[] = [
  ["#/components/schemas/", "#/definitions/"],
  ["#/components/parameters/", "#/parameters/"],
  ["#/components/responses/", "#/responses/"],
  ["#/components/securitySchemes/", "#/securityDefinitions/"],
];

/**
 * A pointer into the converted (OpenAPI 3) document as the place it came from in the Swagger 2.0 file, so that a
 * warning names a line of the file the user wrote: the component sections are renamed, and a response's
 * `content/<media type>/schema` is its `schema`. What has no 2.0 counterpart (a request body) is left as it is;
 * the caller places it at its nearest ancestor that exists.
 */
export function swagger2Pointer(pointer: string): string {
  const section = SECTIONS.find(([openApi3]) => pointer.startsWith(openApi3));
  const renamed = section ? section[1] + pointer.slice(section[0].length) : pointer;
  return renamed.replace(/^(#\/(?:paths\/[^/]+\/[^/]+\/)?responses\/[^/]+)\/content\/[^/]+\/schema(?=\/|$)/, "$1/schema");
}
