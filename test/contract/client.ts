/**
 * The generated client over the replay server, addressed by the model's names, and the error
 * classes expected per HTTP status.
 */
import * as sdk from "../../generated/index.js";
import { need, type ContractCase, type TypedInput } from "../support/postman.js";
import { afterAll, beforeAll } from "vitest";
import { startReplayServer, type ReplayServer } from "../support/replay-server.js";
import { TOKEN } from "./checks.js";

// ---------------------------------------------------------------------------------------------
// The generated client, addressed by the model's names

export interface CallResult {
  readonly data: unknown;
  readonly status: number;
  readonly headers: Headers;
}
export type CallPromise = Promise<unknown> & { withResponse(): Promise<CallResult> };
export type GeneratedMethod = (input: Record<string, unknown>) => CallPromise;

/** `createZoomClient({ accessToken, baseUrl })` by the factory name the model gives. */
export function createClient(factoryName: string, server: ReplayServer): unknown {
  const factory = (sdk as unknown as Record<string, unknown>)[factoryName];
  if (typeof factory !== "function") throw new Error(`generated/index.ts exports no ${factoryName}()`);
  return (factory as (options: Record<string, unknown>) => unknown)({ accessToken: TOKEN, baseUrl: server.url });
}

/** A replay server and a generated client pointed at it, for one test file: started before its tests, closed after. */
export function useReplayClient(factoryName: string, onStart: (server: ReplayServer, client: unknown) => void): void {
  let server: ReplayServer | undefined;
  beforeAll(async () => {
    server = await startReplayServer();
    onStart(server, createClient(factoryName, server));
  });
  afterAll(async () => {
    await server?.close();
  });
}

/** `client[group.propertyName][operation.methodName]`, bound, or a clear error when missing. */
export function methodOf(client: unknown, c: ContractCase): GeneratedMethod {
  const { group, operation } = need(c);
  const resource = (client as Record<string, unknown>)[group.propertyName];
  if (typeof resource !== "object" || resource === null) {
    throw new Error(`"${c.name}": the client has no property ${group.propertyName} (tag ${group.tag})`);
  }
  const method = (resource as Record<string, unknown>)[operation.methodName];
  if (typeof method !== "function") {
    throw new Error(`"${c.name}": the client has no method ${group.propertyName}.${operation.methodName}`);
  }
  return (method as GeneratedMethod).bind(resource);
}

/** The call input for one encoding: the typed values, plus `contentType` for multipart. */
export function callInput(input: TypedInput, contentType: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...input, ...(contentType && contentType !== "application/json" ? { contentType } : {}), ...extra };
}

// ---------------------------------------------------------------------------------------------
// Errors

const ERROR_CLASS_BY_STATUS: Readonly<Record<number, string>> = {
  400: "BadRequestError",
  401: "AuthenticationError",
  403: "PermissionDeniedError",
  404: "NotFoundError",
  409: "ConflictError",
  429: "RateLimitError",
};

/** The `ApiError` subclass the runtime documents for an HTTP status. */
export function errorClassName(status: number): string {
  return ERROR_CLASS_BY_STATUS[status] ?? (status >= 500 ? "ServerError" : "ApiError");
}

export function errorClass(name: string): new (...args: never[]) => Error {
  const value = (sdk as unknown as Record<string, unknown>)[name];
  if (typeof value !== "function") throw new Error(`generated/index.ts exports no ${name}`);
  return value as new (...args: never[]) => Error;
}

/** The fields of `ApiError` the contracts read. */
export interface ApiErrorLike extends Error {
  readonly status: number;
  readonly code: number | undefined;
  readonly zoomMessage: string | undefined;
  readonly operationId: string;
  readonly trackingId: string | undefined;
  /** The raw response body text. */
  readonly body: string;
}

