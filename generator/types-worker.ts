/** The worker side of types.ts: loads openapi-typescript at once, then types the one document it is sent. */
import { parentPort } from "node:worker_threads";
import { generateTypes } from "./types.js";

const port = parentPort;
if (port) {
  void import("openapi-typescript"); // load while the main thread still validates the spec
  port.once("message", (document: Record<string, unknown>) => {
    generateTypes(document).then(
      (text) => port.postMessage({ ok: true, text }),
      (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
  });
}
