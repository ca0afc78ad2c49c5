/** The worker side of types.ts: loads TypeScript and openapi-typescript at once, then answers the main thread. */
import { parentPort } from "node:worker_threads";
import { exportedNames, generateTypes, loadTypeGenerator, type TypesReply, type TypesRequest } from "./types.js";

const port = parentPort;
if (port) {
  loadTypeGenerator(); // while the main thread still reads and validates the spec
  port.on("message", (request: TypesRequest) => {
    const answer = async (): Promise<TypesReply> =>
      request.kind === "exports" ? { kind: "exports", ok: true, names: [...(await exportedNames(request.entry))] } : { kind: "types", ok: true, text: generateTypes(request.document) };
    answer().then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ kind: request.kind, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies TypesReply),
    );
  });
}
