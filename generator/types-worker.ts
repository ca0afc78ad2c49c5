/** The worker side of types.ts: loads TypeScript and openapi-typescript at once, then answers the main thread. */
import { parentPort } from "node:worker_threads";
import { exportedNames, generateTypes, loadTypeGenerator, saveTypeScriptCodeCache, type TypesReply, type TypesRequest } from "./types.js";

const port = parentPort;
if (port) {
  loadTypeGenerator(); // while the main thread still reads and validates the spec
  port.on("message", (request: TypesRequest) => {
    const { id, kind } = request;
    let reply: TypesReply;
    try {
      reply = kind === "exports" ? { id, kind, ok: true, names: [...exportedNames(request.entry)] } : { id, kind, ok: true, text: generateTypes(request.document) };
    } catch (error) {
      reply = { id, kind, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (kind === "types") saveTypeScriptCodeCache(); // once the printer's code is compiled too; only when there was no usable cache
    port.postMessage(reply);
  });
}
