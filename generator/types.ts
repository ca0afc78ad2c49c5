/**
 * openapi-typescript's types for the spec (`openapi.ts`), in a worker thread when the generator runs
 * compiled: loading it (it loads the TypeScript compiler) and typing the document take seconds, and
 * nothing else in the run depends on them, so validators and templates render meanwhile on the main
 * thread. Under a TypeScript loader (tsx, vitest) the worker file is `.ts`, so it runs in-process;
 * the text is the same either way.
 */
import { Worker } from "node:worker_threads";
import { hoistInteriorRefs } from "./interior-refs.js";
import { parsePointer, pointerSegment } from "./json-pointer.js";

export interface TypesJob {
  /** Types the document; call once. */
  typesFor(document: Record<string, unknown>): Promise<string>;
  /** Ends the worker (when the run fails before asking for the types). */
  close(): void;
}

/** Types one document in this thread (mutates it: pass a copy). */
export async function generateTypes(document: Record<string, unknown>): Promise<string> {
  const [{ default: openapiTS, astToString }, { default: ts }] = await Promise.all([import("openapi-typescript"), import("typescript")]);
  hoistInteriorRefs(document);
  const lists = recursiveArrayLists(document);
  const used = new Map<string, string>();
  const blob = ts.factory.createTypeReferenceNode("Blob");
  const nodes = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    silent: true,
    alphabetize: false,
    transform: (schema: { type?: unknown; format?: unknown; items?: unknown }) => {
      // A binary string (a multipart file part, an octet-stream body) is a `Blob` in the client, not text.
      if (schema.type === "string" && schema.format === "binary") return blob;
      // `X: string | components["schemas"]["X"][]` is TS2502 ("referenced in its own type annotation"); an interface
      // extending Array is resolved lazily, so the array of a directly recursive schema becomes one.
      const items = schema.items as { $ref?: unknown } | undefined;
      const name = schema.type === "array" && typeof items?.$ref === "string" ? lists.get(items.$ref) : undefined;
      if (name === undefined) return undefined;
      used.set(name, items!.$ref as string);
      return ts.factory.createTypeReferenceNode(name);
    },
  });
  const declarations = [...used].map(([name, ref]) => `export interface ${name} extends Array<components["schemas"][${JSON.stringify(parsePointer(ref)[2])}]> {}\n`);
  return astToString(nodes) + declarations.join("");
}

/**
 * The component schemas that contain themselves through `anyOf`/`oneOf`/`allOf`/`items`/`$ref` alone (no object
 * property in between, as in "any JSON value": `anyOf: [string, {type: array, items: {$ref: itself}}]`), each
 * with the name of the array interface that replaces `X[]` in the types.
 */
export function recursiveArrayLists(document: Record<string, unknown>): Map<string, string> {
  const schemas = (document.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {};
  const prefix = "#/components/schemas/";
  const directChildren = (node: unknown): unknown[] => {
    if (typeof node !== "object" || node === null) return [];
    const record = node as Record<string, unknown>;
    const children: unknown[] = [];
    for (const key of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(record[key])) children.push(...(record[key] as unknown[]));
    if (typeof record.items === "object") children.push(record.items);
    if (typeof record.$ref === "string" && record.$ref.startsWith(prefix)) children.push(schemas[parsePointer(record.$ref)[2] ?? ""]);
    return children;
  };
  const lists = new Map<string, string>();
  const taken = new Set(["paths", "webhooks", "components", "$defs", "operations"]);
  for (const key of Object.keys(schemas)) {
    const target = schemas[key];
    const seen = new Set<unknown>();
    const pending = directChildren(target);
    let recursive = false;
    while (pending.length > 0 && !recursive) {
      const node = pending.pop();
      if (node === target) recursive = true;
      else if (!seen.has(node)) {
        seen.add(node);
        pending.push(...directChildren(node));
      }
    }
    if (!recursive) continue;
    let name = `${key.replace(/[^A-Za-z0-9_$]/g, "_")}Array`;
    for (let n = 2; taken.has(name); n++) name = `${key.replace(/[^A-Za-z0-9_$]/g, "_")}Array${n}`;
    taken.add(name);
    lists.set(`${prefix}${pointerSegment(key)}`, name);
  }
  return lists;
}

/** Starts loading openapi-typescript now (in a worker if it can), before the document is ready. */
export function startTypes(): TypesJob {
  const workerUrl = new URL("./types-worker.js", import.meta.url);
  if (!import.meta.url.endsWith(".js")) {
    return { typesFor: (document) => generateTypes(structuredClone(document)), close: () => {} };
  }
  const worker = new Worker(workerUrl);
  worker.unref();
  const result = new Promise<string>((resolve, reject) => {
    worker.once("message", (reply: { ok: true; text: string } | { ok: false; message: string }) => {
      if (reply.ok) resolve(reply.text);
      else reject(new Error(reply.message));
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the types worker stopped (exit code ${code})`)));
  });
  result.catch(() => {}); // read by typesFor; a run that fails earlier never asks
  return {
    typesFor: (document) => {
      worker.postMessage(document);
      return result;
    },
    close: () => void worker.terminate(),
  };
}
