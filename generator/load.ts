/**
 * Step 1 of the pipeline: read a spec file (YAML or JSON), validate it as OpenAPI 3.x and
 * bundle any external `$ref`s into one document. Every problem is reported with
 * file:line:column so a user can jump straight to it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  BaseResolver,
  Source,
  bundle,
  createConfig,
  getLineColLocation,
  lintDocument,
  type NormalizedProblem,
} from "@redocly/openapi-core";
import { LineCounter, parseDocument } from "yaml";
import { GeneratorError, formatLocation, type SourceLocation } from "./errors.js";
import { parsePointer } from "./json-pointer.js";
import { convertSwagger2 } from "./swagger2.js";

export type OpenApiDocument = Record<string, unknown> & { openapi: string };

export interface LoadedSpec {
  /** Absolute path of the spec file. */
  readonly file: string;
  /** The raw text as read, for hashing and for locating problems. */
  readonly text: string;
  /** The validated document with external `$ref`s bundled in; internal `$ref`s are kept. */
  readonly document: OpenApiDocument;
  /** Every file the document was read from: the spec itself, then the files its `$ref`s reach, sorted. */
  readonly inputFiles: readonly string[];
  /** Maps a JSON pointer in the root file (e.g. `#/paths/~1users/get`) to a source location. */
  readonly locate: (pointer: string) => SourceLocation | undefined;
}

/** Structural rules only: the generator needs a valid document, not a style review. */
const VALIDATION_RULES = {
  struct: "error",
  "no-unresolved-refs": "error",
  "operation-operationId-unique": "error",
  "path-parameters-defined": "error",
  "no-identical-paths": "error",
  "no-path-trailing-slash": "off",
} as const;

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const absolute = path.resolve(file);
  const display = path.relative(process.cwd(), absolute) || absolute;
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : String(code ?? error);
    throw new GeneratorError(`cannot read spec ${display}: ${reason}`, { cause: error });
  }

  const parsed = parseYamlOrJson(text, display);
  const locate = locator(parsed.yaml, parsed.lineCounter, display);
  const document = await convertSwagger2(parsed.value, display);
  checkOpenApiVersion(document, display, locate);

  const source = new Source(absolute, text);
  const config = await createConfig({ rules: VALIDATION_RULES });
  const resolver = new BaseResolver();
  const problems = await lintDocument({ document: { source, parsed: document }, config, externalRefResolver: resolver });
  throwOnErrors(problems, "is not a valid OpenAPI document");

  const bundled = await bundle({ config, dereference: false, doc: { source, parsed: document }, externalRefResolver: resolver });
  throwOnErrors(bundled.problems, "could not be bundled");

  const inputFiles = [absolute, ...[...bundled.fileDependencies].filter((f) => f !== absolute).sort()];
  return { file: absolute, text, document: bundled.bundle.parsed as OpenApiDocument, inputFiles, locate };
}

function parseYamlOrJson(text: string, display: string) {
  const lineCounter = new LineCounter();
  // YAML 1.2 is a superset of JSON, so one parser gives positions for both.
  const yaml = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: false });
  const [first, ...rest] = yaml.errors;
  if (first) {
    const pos = first.linePos?.[0];
    const location = pos ? { file: display, line: pos.line, column: pos.col } : undefined;
    throw new GeneratorError(`invalid YAML: ${firstLine(first.message).replace(/ at line \d+, column \d+:?$/, "")}`, {
      ...(location ? { location } : {}),
      details: rest.map((e) => firstLine(e.message)),
    });
  }
  const value: unknown = yaml.toJS({ maxAliasCount: 1000 });
  if (!isRecord(value)) {
    throw new GeneratorError(`${display}: expected an OpenAPI document (a mapping at the top level), found ${describe(value)}`);
  }
  return { yaml, lineCounter, value };
}

function checkOpenApiVersion(document: Record<string, unknown>, display: string, locate: LoadedSpec["locate"]): asserts document is OpenApiDocument {
  const version = document.openapi;
  if (document.swagger !== undefined) {
    throw new GeneratorError("Swagger 2.0 is not supported: convert the document to OpenAPI 3.x first", locationOption(locate("#/swagger")));
  }
  if (typeof version !== "string" || !/^3\.\d+\.\d+/.test(version)) {
    const where = locate("#/openapi");
    throw new GeneratorError(
      version === undefined
        ? `${display} has no "openapi" field: is it an OpenAPI 3.x document?`
        : `unsupported OpenAPI version ${JSON.stringify(version)}: expected 3.0.x or 3.1.x`,
      locationOption(where),
    );
  }
}

function throwOnErrors(problems: readonly NormalizedProblem[], what: string): void {
  const errors = problems.filter((p) => p.severity === "error");
  const [first] = errors;
  if (!first) return;
  const lines = errors.map(describeProblem);
  const file = first.location[0] ? path.relative(process.cwd(), first.location[0].source.absoluteRef) : "spec";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : "";
  throw new GeneratorError(`${file} ${what}: ${lines[0]}${more}`, { details: lines.slice(1) });
}

function describeProblem(problem: NormalizedProblem): string {
  const where = problem.location[0];
  if (!where) return problem.message;
  const { start } = getLineColLocation(where);
  const file = path.relative(process.cwd(), where.source.absoluteRef);
  return `${problem.message} at ${formatLocation({ file, line: start.line, column: start.col })} (${where.pointer})`;
}

function locator(yaml: ReturnType<typeof parseDocument>, lineCounter: LineCounter, display: string) {
  return (pointer: string): SourceLocation | undefined => {
    const keys = parsePointer(pointer);
    // Walk up to the nearest ancestor that exists so a missing key still points somewhere useful.
    for (let depth = keys.length; depth >= 0; depth--) {
      const node = yaml.getIn(keys.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { file: display, line, column: col };
      }
    }
    return undefined;
  };
}

function locationOption(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "an empty document";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
