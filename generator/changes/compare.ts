/**
 * Compares two API surfaces and classifies each change from the point of view of code that
 * calls the generated client. The rules are written down in docs/CHANGES.md; each `emit` below
 * names the rule it applies.
 */
import { compareText } from "../order.js";
import { childShapes, resolveShape, stableJson, type ApiSurface, type OperationSurface, type Shape } from "./surface.js";

export type Bump = "major" | "minor" | "patch";

export interface ApiChange {
  /** A stable name of the rule, e.g. "response-property-removed" (see docs/CHANGES.md). */
  readonly rule: string;
  /** "GET /users/{userId} (users.getUser)", or undefined for API-wide changes. */
  readonly operation?: string;
  readonly message: string;
  readonly breaking: boolean;
  /** An enum value added to a response: compiles and runs, but a `switch` that handles every value misses it. */
  readonly breaksExhaustiveSwitches?: true;
  readonly bump: Bump;
}

export interface ChangeReport {
  /** The semver bump the client package needs: "none" when nothing changed at all. */
  readonly bump: Bump | "none";
  readonly breaking: boolean;
  /** False when only documentation changed (or nothing). */
  readonly apiChanged: boolean;
  readonly changes: readonly ApiChange[];
}

type Direction = "request" | "response";
type Emit = (rule: string, message: string, bump: Bump, extra?: { breaksExhaustiveSwitches?: true }) => void;

/**
 * What comparing two surfaces' shapes needs: `$ref`s resolved on each side (format 3 names its schemas), which
 * shapes are the same value (computed once for both surfaces), and which pairs an operation has compared already.
 */
class ShapeContext {
  private readonly nullableCache = new Map<Shape, Shape>();
  private readonly classes = new Map<Shape, number>();
  /** Per operation and direction: the pairs compared so far (a schema's change shows once per operation that uses it). */
  private seen = { request: new Map<Shape, Set<Shape>>(), response: new Map<Shape, Set<Shape>>() };
  /** The after-side shapes on the path being compared: a format-2 `recursive` marker meets a reference to one of them. */
  readonly path = new Map<Shape, number>();

  constructor(
    private readonly before: ApiSurface,
    private readonly after: ApiSurface,
  ) {
    this.partition();
  }

  resolveBefore(shape: Shape): Shape {
    return shape.ref === undefined ? shape : resolveShape(shape, (name) => this.before.schemas?.[name], this.nullableCache);
  }

  resolveAfter(shape: Shape): Shape {
    return shape.ref === undefined ? shape : resolveShape(shape, (name) => this.after.schemas?.[name], this.nullableCache);
  }

  /** True when the two (resolved) shapes describe the same values, however their schemas are named or nested. */
  same(a: Shape, b: Shape): boolean {
    const ca = this.classes.get(a);
    return ca !== undefined && ca === this.classes.get(b);
  }

  startOperation(): void {
    this.seen = { request: new Map(), response: new Map() };
  }

  /** True when `a` and `b` were compared before in this operation and direction (recording them otherwise). */
  compared(a: Shape, b: Shape, direction: Direction): boolean {
    const seen = this.seen[direction];
    let against = seen.get(a);
    if (!against) seen.set(a, (against = new Set()));
    if (against.has(b)) return true;
    against.add(b);
    return false;
  }

  /**
   * Splits every shape of both surfaces into classes of equal values (Moore's partition refinement: start from
   * each shape's own keywords, then split by the classes of its children until nothing splits), with references
   * resolved, so a renamed, inlined or recursive schema is its own equal and the check is one lookup.
   */
  private partition(): void {
    const nodes: Shape[] = [];
    const children: Shape[][] = [];
    const variantCounts: number[] = [];
    const index = new Map<Shape, number>();
    const visit = (root: Shape, resolve: (shape: Shape) => Shape): void => {
      const pending = [resolve(root)];
      while (pending.length > 0) {
        const shape = pending.pop()!;
        if (index.has(shape)) continue;
        index.set(shape, nodes.length);
        nodes.push(shape);
        const kids = childShapes(shape).map(resolve);
        children.push(kids);
        variantCounts.push(shape.variants?.length ?? 0);
        pending.push(...kids);
      }
    };
    for (const [surface, resolve] of [[this.before, (s: Shape) => this.resolveBefore(s)], [this.after, (s: Shape) => this.resolveAfter(s)]] as const) {
      for (const operation of Object.values(surface.operations)) {
        for (const p of Object.values(operation.parameters)) visit(p.shape, resolve);
        if (operation.requestBody) visit(operation.requestBody.shape, resolve);
        for (const r of Object.values(operation.responses)) if (r.shape) visit(r.shape, resolve);
      }
    }
    const labels = new Map<string, number>();
    let classes = nodes.map((shape) => {
      const { properties, additional, items, variants, ...own } = shape;
      const label = stableJson({ ...own, keys: Object.keys(properties ?? {}), additional: additional === false ? false : additional !== undefined, items: items !== undefined, variants: variants?.length ?? 0 });
      let id = labels.get(label);
      if (id === undefined) labels.set(label, (id = labels.size));
      return id;
    });
    for (let count = labels.size; ; ) {
      const signatures = new Map<string, number>();
      const next = nodes.map((_, i) => {
        const kids = children[i]!.map((child) => classes[index.get(child)!]!);
        // Alternatives are a set: their order (by name, in format 3) does not matter.
        const fixed = kids.length - variantCounts[i]!;
        const signature = `${classes[i]}:${kids.slice(0, fixed).join(",")}|${kids.slice(fixed).sort((x, y) => x - y).join(",")}`;
        let id = signatures.get(signature);
        if (id === undefined) signatures.set(signature, (id = signatures.size));
        return id;
      });
      classes = next;
      if (signatures.size === count) break;
      count = signatures.size;
    }
    nodes.forEach((shape, i) => this.classes.set(shape, classes[i]!));
  }
}

export function compareSurfaces(before: ApiSurface, after: ApiSurface): ChangeReport {
  const changes: ApiChange[] = [];
  const emitFor =
    (operation: string | undefined): Emit =>
    (rule, message, bump, extra = {}) =>
      changes.push({ rule, ...(operation ? { operation } : {}), message, breaking: bump === "major", ...extra, bump });

  const shapes = new ShapeContext(before, after);
  compareServers(before.servers, after.servers, emitFor(undefined));
  compareSecuritySchemes(before.securitySchemes, after.securitySchemes, emitFor(undefined));
  const keys = [...new Set([...Object.keys(before.operations), ...Object.keys(after.operations)])].sort(compareText);
  for (const key of keys) {
    const old = before.operations[key];
    const now = after.operations[key];
    if (old && now) {
      shapes.startOperation();
      compareOperation(shapes, old, now, emitFor(label(now)));
    }
    else if (now) emitFor(label(now))("operation-added", "new operation", "minor");
    else if (old) emitFor(label(old))("operation-removed", "operation removed: calls to it no longer compile", "major");
  }
  const apiChanged = changes.length > 0;
  if (!apiChanged && before.documentation !== after.documentation) {
    emitFor(undefined)("documentation-changed", "descriptions or summaries changed; no API change", "patch");
  }
  const breaking = changes.some((c) => c.breaking);
  const bump = breaking ? "major" : changes.some((c) => c.bump === "minor") ? "minor" : changes.length > 0 ? "patch" : "none";
  return { bump, breaking, apiChanged, changes };
}

function label(operation: OperationSurface): string {
  return `${operation.method} ${operation.path} (${operation.group}: ${operation.id})`;
}

function compareServers(before: readonly string[], after: readonly string[], emit: Emit): void {
  if (before[0] !== after[0]) {
    emit("default-server-changed", `default server changed from ${before[0] ?? "(none)"} to ${after[0] ?? "(none)"}: clients that do not set baseUrl now call another address`, "major");
  }
  for (const url of after.slice(1)) if (!before.includes(url)) emit("server-added", `server ${url} listed`, "patch");
  for (const url of before.slice(1)) if (!after.includes(url)) emit("server-removed", `server ${url} no longer listed`, "patch");
}

function compareOperation(shapes: ShapeContext, old: OperationSurface, now: OperationSurface, emit: Emit): void {
  if (old.id !== now.id) emit("operation-renamed", `operationId ${old.id} became ${now.id}: the client method is renamed`, "major");
  if (old.group !== now.group) emit("operation-moved", `moved from client.${old.group} to client.${now.group}`, "major");
  if (!old.deprecated && now.deprecated) emit("operation-deprecated", "deprecated", "minor");
  if (old.deprecated && !now.deprecated) emit("operation-undeprecated", "no longer deprecated", "patch");

  for (const key of unionKeys(old.parameters, now.parameters)) {
    const [place, name] = splitKey(key);
    const a = old.parameters[key];
    const b = now.parameters[key];
    const what = `${place} parameter ${name}`;
    if (!a && b) emit(b.required ? "parameter-added-required" : "parameter-added-optional", `${b.required ? "required" : "optional"} ${what} added`, b.required ? "major" : "minor");
    else if (a && !b) emit("parameter-removed", `${what} removed: calls that pass it no longer compile`, "major");
    else if (a && b) {
      if (!a.required && b.required) emit("parameter-made-required", `${what} is now required`, "major");
      if (a.required && !b.required) emit("parameter-made-optional", `${what} is now optional`, "minor");
      compareShape(shapes, a.shape, b.shape, "request", what, emit);
    }
  }

  compareRequestBody(shapes, old.requestBody, now.requestBody, emit);
  compareResponses(shapes, old, now, emit);
  compareSecurity(old.security, now.security, emit);
}

function compareRequestBody(shapes: ShapeContext, a: OperationSurface["requestBody"], b: OperationSurface["requestBody"], emit: Emit): void {
  if (!a && b) {
    emit(b.required ? "request-body-added-required" : "request-body-added-optional", `${b.required ? "required" : "optional"} request body added`, b.required ? "major" : "minor");
    return;
  }
  if (a && !b) return emit("request-body-removed", "request body removed: calls that pass one no longer compile", "major");
  if (!a || !b) return;
  if (!a.required && b.required) emit("request-body-made-required", "request body is now required", "major");
  if (a.required && !b.required) emit("request-body-made-optional", "request body is now optional", "minor");
  for (const type of b.mediaTypes) if (!a.mediaTypes.includes(type)) emit("request-media-type-added", `request body accepts ${type}`, "minor");
  for (const type of a.mediaTypes) if (!b.mediaTypes.includes(type)) emit("request-media-type-removed", `request body no longer accepts ${type}`, "major");
  compareShape(shapes, a.shape, b.shape, "request", "request body", emit);
}

function isSuccess(status: string): boolean {
  return /^2/.test(status);
}

function compareResponses(shapes: ShapeContext, old: OperationSurface, now: OperationSurface, emit: Emit): void {
  const oldSuccessShapes = Object.entries(old.responses).filter(([s]) => isSuccess(s)).map(([, r]) => r.shape && shapes.resolveBefore(r.shape));
  const sameBody = (a: Shape | undefined, b: Shape | undefined) => (a === undefined || b === undefined ? a === b : shapes.same(a, shapes.resolveAfter(b)));
  for (const status of unionKeys(old.responses, now.responses)) {
    const a = old.responses[status];
    const b = now.responses[status];
    const success = isSuccess(status);
    if (!a && b) {
      if (!success) emit("error-status-added", `error response ${status} documented (thrown as an ApiError, so types do not change)`, "patch");
      else if (oldSuccessShapes.length > 0 && !oldSuccessShapes.some((shape) => sameBody(shape, b.shape))) {
        emit("success-status-added-new-body", `success status ${status} added with a body unlike the others: the result type gains an alternative`, "major");
      } else emit("success-status-added", `success status ${status} added`, "minor");
    } else if (a && !b) {
      emit(success ? "success-status-removed" : "error-status-removed", `${success ? "success" : "error"} response ${status} no longer documented`, success ? "minor" : "patch");
    } else if (a && b) {
      for (const type of b.mediaTypes) if (!a.mediaTypes.includes(type)) emit("response-media-type-added", `response ${status} may be ${type}`, success ? "minor" : "patch");
      for (const type of a.mediaTypes) {
        if (!b.mediaTypes.includes(type)) emit("response-media-type-removed", `response ${status} is no longer ${type}`, success ? "major" : "patch");
      }
      if (a.shape && !b.shape) emit("response-body-removed", `response ${status} has no body any more`, success ? "major" : "patch");
      else if (!a.shape && b.shape) emit("response-body-added", `response ${status} now has a body`, success ? "minor" : "patch");
      else if (a.shape && b.shape) compareShape(shapes, a.shape, b.shape, "response", `response ${status}`, emit);
    }
  }
}

/** The `auth` option's keys and credential types follow the declared schemes; where a credential is sent is the client's business. */
function compareSecuritySchemes(before: ApiSurface["securitySchemes"], after: ApiSurface["securitySchemes"], emit: Emit): void {
  if (before === undefined || after === undefined) return; // a surface recorded before schemes were
  for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText)) {
    const a = before[name];
    const b = after[name];
    if (a && !b) emit("security-scheme-removed", `security scheme ${name} removed: \`auth.${name}\` no longer compiles`, "major");
    else if (!a && b) emit("security-scheme-added", `security scheme ${name} declared: \`auth.${name}\` takes ${b.credential}`, "minor");
    else if (a && b && a.credential !== b.credential) emit("security-scheme-retyped", `\`auth.${name}\` takes ${b.credential} instead of ${a.credential}`, "major");
    else if (a && b && a.sentAs !== b.sentAs) emit("security-scheme-moved", `security scheme ${name} is sent as ${b.sentAs} instead of ${a.sentAs}: the regenerated client follows, no code change`, "patch");
  }
}

function compareSecurity(before: readonly (readonly string[])[], after: readonly (readonly string[])[], emit: Emit): void {
  // No requirement at all means anonymous calls are accepted, like an empty alternative.
  const names = (list: readonly (readonly string[])[]) => (list.length === 0 ? [""] : list.map((alt) => alt.join(" + ")));
  const a = names(before);
  const b = names(after);
  const show = (alt: string) => (alt === "" ? "no authentication" : alt);
  for (const alt of a) if (!b.includes(alt)) emit("security-removed", `no longer accepts ${show(alt)}`, "major");
  for (const alt of b) if (!a.includes(alt)) emit("security-added", `also accepts ${show(alt)}`, "minor");
}

/**
 * Compares two shapes at `where`. A request value is written by the caller: it may only be
 * allowed more. A response value is read by the caller: it may only be promised more.
 */
function compareShape(shapes: ShapeContext, before: Shape, after: Shape, direction: Direction, where: string, emit: Emit): void {
  const a = shapes.resolveBefore(before);
  const b = shapes.resolveAfter(after);
  // Equal values, or a pair this operation has compared already (a schema's change shows once per operation).
  if (shapes.same(a, b) || shapes.compared(a, b, direction)) return;
  // A format-2 surface marked where a schema contains itself; format 3 refers to the schema being compared.
  if (a.recursive !== undefined && b.recursive === undefined && shapes.path.has(b)) return;
  shapes.path.set(b, (shapes.path.get(b) ?? 0) + 1);
  try {
    compareResolved(shapes, a, b, direction, where, emit);
  } finally {
    const depth = shapes.path.get(b)!;
    if (depth === 1) shapes.path.delete(b);
    else shapes.path.set(b, depth - 1);
  }
}

function compareResolved(shapes: ShapeContext, a: Shape, b: Shape, direction: Direction, where: string, emit: Emit): void {
  const request = direction === "request";
  const side = request ? "request" : "response";

  if (a.recursive !== b.recursive) {
    return emit(`${side}-retyped`, `${where}: recursive structure changed`, "major");
  }

  const typesA = a.types;
  const typesB = b.types;
  if (stableJson(typesA ?? null) !== stableJson(typesB ?? null)) {
    const wider = widens(typesA, typesB);
    const narrower = widens(typesB, typesA);
    const text = `${where}: type ${describeTypes(typesA)} became ${describeTypes(typesB)}`;
    if (request ? wider : narrower) emit(`${side}-type-${request ? "widened" : "narrowed"}`, text, "minor");
    else emit(`${side}-retyped`, text, "major");
    if (!wider && !narrower) return; // unrelated types: what is below them does not compare
  }

  if (a.nullable !== b.nullable) {
    if (b.nullable) emit(`${side}-made-nullable`, `${where} may now be null`, request ? "minor" : "major");
    else emit(`${side}-made-non-nullable`, `${where} may no longer be null`, request ? "major" : "minor");
  }

  if (a.format !== b.format) {
    const text = `${where}: format ${a.format ?? "(none)"} became ${b.format ?? "(none)"}`;
    const breaks = a.format !== undefined && b.format !== undefined ? true : request ? b.format !== undefined : false;
    emit(`${side}-format-changed`, text, breaks ? "major" : "patch");
  }

  compareEnum(a, b, request, where, emit);

  const propsA = a.properties ?? {};
  const propsB = b.properties ?? {};
  const requiredA = new Set(a.required ?? []);
  const requiredB = new Set(b.required ?? []);
  for (const key of unionKeys(propsA, propsB)) {
    const at = `${where} .${key}`;
    const pa = propsA[key];
    const pb = propsB[key];
    if (!pa && pb) {
      if (request && requiredB.has(key)) emit("request-property-added-required", `${at}: new required field`, "major");
      else emit(`${side}-property-added`, `${at}: new ${request ? "optional " : ""}field`, "minor");
    } else if (pa && !pb) {
      emit(`${side}-property-removed`, `${at}: field removed`, "major");
    } else if (pa && pb) {
      const wasRequired = requiredA.has(key);
      const isRequired = requiredB.has(key);
      if (!wasRequired && isRequired) emit(`${side}-property-made-required`, `${at} is now required`, request ? "major" : "minor");
      if (wasRequired && !isRequired) emit(`${side}-property-made-optional`, `${at} is now optional${request ? "" : ": it may be missing"}`, request ? "minor" : "major");
      compareShape(shapes, pa, pb, direction, at, emit);
    }
  }

  if (a.additional !== b.additional) {
    if (a.additional === false || b.additional === false || a.additional === undefined || b.additional === undefined) {
      const closed = b.additional === false || (a.additional === undefined && b.additional !== undefined);
      emit(`${side}-extra-fields-changed`, `${where}: ${closed ? "fewer" : "more"} extra fields allowed`, closed === request ? "major" : "minor");
    } else compareShape(shapes, a.additional, b.additional, direction, `${where}[key]`, emit);
  }

  if (a.items || b.items) compareShape(shapes, a.items ?? {}, b.items ?? {}, direction, `${where}[]`, emit);
  compareVariants(shapes, a.variants ?? [], b.variants ?? [], direction, where, emit);
}

function compareEnum(a: Shape, b: Shape, request: boolean, where: string, emit: Emit): void {
  const side = request ? "request" : "response";
  if (!a.enum && !b.enum) return;
  if (!a.enum && b.enum) return emit(`${side}-enum-added`, `${where} is now limited to ${b.enum.join(", ")}`, request ? "major" : "minor");
  if (a.enum && !b.enum) return emit(`${side}-enum-dropped`, `${where} is no longer limited to a list of values`, request ? "minor" : "major");
  const added = b.enum!.filter((v) => !a.enum!.includes(v));
  const removed = a.enum!.filter((v) => !b.enum!.includes(v));
  if (added.length > 0) {
    if (request) emit("request-enum-value-added", `${where}: value ${added.join(", ")} accepted`, "minor");
    else emit("response-enum-value-added", `${where}: value ${added.join(", ")} may be returned; breaking for exhaustive switches`, "minor", { breaksExhaustiveSwitches: true });
  }
  if (removed.length > 0) {
    if (request) emit("request-enum-value-removed", `${where}: value ${removed.join(", ")} no longer accepted`, "major");
    else emit("response-enum-value-removed", `${where}: value ${removed.join(", ")} no longer returned`, "minor");
  }
}

function compareVariants(shapes: ShapeContext, before: readonly Shape[], after: readonly Shape[], direction: Direction, where: string, emit: Emit): void {
  const a = before.map((shape) => shapes.resolveBefore(shape));
  const b = after.map((shape) => shapes.resolveAfter(shape));
  const onlyA = a.filter((x) => !b.some((y) => shapes.same(x, y)));
  const onlyB = b.filter((y) => !a.some((x) => shapes.same(x, y)));
  const request = direction === "request";
  const side = request ? "request" : "response";
  // One alternative changed: compare it field by field rather than as removed + added.
  if (onlyA.length === 1 && onlyB.length === 1) return compareShape(shapes, onlyA[0]!, onlyB[0]!, direction, `${where} (one of)`, emit);
  for (const _ of onlyB) emit(`${side}-alternative-added`, `${where}: one more alternative (oneOf/anyOf)`, request ? "minor" : "major");
  for (const _ of onlyA) emit(`${side}-alternative-removed`, `${where}: one alternative fewer (oneOf/anyOf)`, request ? "major" : "minor");
}

/** True when every value of `from` is a value of `to` (integers are numbers; no types is any value). */
function widens(from: readonly string[] | undefined, to: readonly string[] | undefined): boolean {
  if (to === undefined) return true;
  if (from === undefined) return false;
  return from.every((t) => to.includes(t) || (t === "integer" && to.includes("number")));
}

function describeTypes(types: readonly string[] | undefined): string {
  return types === undefined ? "any" : types.length === 0 ? "null" : types.join(" | ");
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareText);
}

function splitKey(key: string): [string, string] {
  const colon = key.indexOf(":");
  return [key.slice(0, colon), key.slice(colon + 1)];
}
