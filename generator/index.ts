/**
 * The generator as a library (`import { generate } from "zoomgen/generator"`): the same pipeline
 * as the CLI, returning what it did and the API change report.
 *
 *   const result = await generate({ spec: "spec/zoom.yaml", out: "generated" });
 *   if (result.changes?.breaking) console.log(formatSummary(result.changes));
 */
export { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
export {
  compareModels,
  compareSurfaces,
  formatJson,
  formatMarkdown,
  formatSummary,
  surfaceFromModel,
  type ApiChange,
  type ApiSurface,
  type Bump,
  type ChangeReport,
} from "./changes/index.js";
export { GeneratorError } from "./errors.js";
