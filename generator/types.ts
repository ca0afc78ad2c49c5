/**
 * openapi-typescript's types for the spec (`openapi.ts`), in a worker thread when the generator runs
 * compiled: loading it (it loads the TypeScript compiler) and typing the document take seconds, and
 * nothing else in the run depends on them, so validators and templates render meanwhile on the main
 * thread. Under a TypeScript loader (tsx, vitest) the worker file is `.ts`, so it runs in-process;
 * the text is the same either way.
 */
import { Worker } from "node:worker_threads";

export interface TypesJob {
  /** Types the document; call once. */
  typesFor(document: Record<string, unknown>): Promise<string>;
  /** Ends the worker (when the run fails before asking for the types). */
  close(): void;
}

/** Types one document in this thread (mutates it: pass a copy). */
export async function generateTypes(document: Record<string, unknown>): Promise<string> {
  const [{ default: openapiTS, astToString }, { default: ts }] = await Promise.all([import("openapi-typescript"), import("typescript")]);
  // A binary string (a multipart file part, an octet-stream body) is a `Blob` in the client, not text.
  const blob = ts.factory.createTypeReferenceNode("Blob");
  const nodes = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    silent: true,
    alphabetize: false,
    transform: (schema) => (schema.type === "string" && schema.format === "binary" ? blob : undefined),
  });
  return astToString(nodes);
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
