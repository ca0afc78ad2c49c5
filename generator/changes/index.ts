/**
 * The change report: which API changes a new spec brings for callers of the generated client,
 * and the semver bump they imply. See docs/CHANGES.md for every rule.
 */
import type { ApiModel } from "../model.js";
import { compareSurfaces, type ChangeReport } from "./compare.js";
import { inflateShapes, isRecord, serializeSurface, SURFACE_FORMAT, surfaceFromModel, type ApiSurface } from "./surface.js";

export { compareSurfaces, type ApiChange, type Bump, type ChangeReport } from "./compare.js";
export { formatJson, formatMarkdown, formatSummary, verdict } from "./report.js";
export { serializeSurface, stableJson, surfaceFromModel, SURFACE_FORMAT, type ApiSurface } from "./surface.js";

/** The file, in the output folder, that records the surface the output was generated from. */
export const SURFACE_FILE = "api-surface.json";

export function compareModels(before: ApiModel, after: ApiModel): ChangeReport {
  return compareSurfaces(surfaceFromModel(before), surfaceFromModel(after));
}

/** Reads a committed surface file; undefined when it is absent, unreadable or of another format (then there is no "before"). */
export function parseSurface(text: string | undefined): ApiSurface | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<ApiSurface> & { shapes?: unknown };
    if (typeof value.operations !== "object" || value.operations === null || !Array.isArray(value.servers)) return undefined;
    if (value.format === 1) return value as ApiSurface;
    if (value.format !== 2 && value.format !== SURFACE_FORMAT) return undefined;
    const { shapes, schemas, ...surface } = value;
    // Format 2 expanded every `$ref`: it has no named schemas, and compare.ts reads its shapes whole.
    if (value.format === SURFACE_FORMAT && !isRecord(schemas)) return undefined;
    const inflated = inflateShapes(value.operations as Record<string, unknown>, shapes, value.format === SURFACE_FORMAT ? schemas : undefined);
    return inflated ? ({ ...surface, ...inflated } as ApiSurface) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hook into generate(): adds the surface file to the rendered files and compares it with the
 * one already in the output folder. No report (undefined) when there is no earlier surface to compare with.
 */
export function withChangeReport(
  model: ApiModel,
  files: ReadonlyMap<string, string>,
  existing: ReadonlyMap<string, string>,
): { files: ReadonlyMap<string, string>; changes: ChangeReport | undefined } {
  const surface = surfaceFromModel(model);
  const before = parseSurface(existing.get(SURFACE_FILE));
  return {
    files: new Map([...files, [SURFACE_FILE, serializeSurface(surface)]]),
    changes: before ? compareSurfaces(before, surface) : undefined,
  };
}
