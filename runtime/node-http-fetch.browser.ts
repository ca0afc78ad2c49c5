/**
 * What `#node-http-fetch` is in a bundle for browsers (the `browser` condition of runtime/package.json's
 * `imports`): no transport of its own, so the full client uses the global fetch, as node-http-fetch.ts itself
 * decides where Node's modules are missing, without carrying its code into the bundle.
 */
import type { FetchFunction } from "./types.js";

/** Undefined in a browser bundle: the client then uses the global fetch. */
export function createNodeHttpFetch(): FetchFunction | undefined {
  return undefined;
}
