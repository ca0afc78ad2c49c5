/**
 * The one error type the generator throws for a user's mistake (bad flag, missing file,
 * broken YAML, invalid OpenAPI). The CLI prints `message` alone, never a stack trace.
 */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export class GeneratorError extends Error {
  override readonly name = "GeneratorError";
  /** Where in the input the problem is, when it has a place. */
  readonly location: SourceLocation | undefined;
  /** Further problems of the same run (the message names the first). */
  readonly details: readonly string[];

  constructor(message: string, options: { location?: SourceLocation; details?: readonly string[]; cause?: unknown } = {}) {
    super(options.location ? `${formatLocation(options.location)}: ${message}` : message, { cause: options.cause });
    this.location = options.location;
    this.details = options.details ?? [];
  }
}

export function formatLocation({ file, line, column }: SourceLocation): string {
  return `${file}:${line}:${column}`;
}
