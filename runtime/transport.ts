/**
 * The transport: the one function through which every request leaves, from `call` and from the `raw`
 * openapi-fetch client alike. It adds the default headers and the bearer token, sends, and turns a
 * failed `fetch` into an SDK error. Retries, timeouts, rate-limit waits and hooks belong here too, so
 * they will apply to both paths at once.
 */
import { AbortError, AuthError, NetworkError, ZoomSdkError } from "./errors.js";
import type { ResolvedOptions } from "./options.js";

/** What the transport knows about a request besides the request itself. */
export interface RequestContext {
  /** The operation, for messages; undefined for `raw` requests. */
  operationId?: string | undefined;
}

/** Sends one request and returns the response, whatever its status. */
export type Transport = (request: Request, context: RequestContext) => Promise<Response>;

/** Builds the transport for one client. */
export function createTransport(options: ResolvedOptions): Transport {
  return async (request, context) => {
    const headers = new Headers(request.headers);
    // Defaults fill gaps only: a request's own headers win.
    setIfAbsent(headers, "Accept", "application/json");
    setIfAbsent(headers, "User-Agent", options.userAgent); // ignored by browsers, honoured elsewhere
    for (const [name, value] of Object.entries(options.headers)) setIfAbsent(headers, name, value);
    // Set here rather than in openapi-fetch middleware: user middleware on `raw` never sees the token,
    // and a future retry after a token refresh can set a fresh one per attempt.
    headers.set("Authorization", `Bearer ${await getToken(options)}`);

    const outgoing = new Request(request, { headers });
    try {
      return await options.fetch(outgoing);
    } catch (error) {
      throw fetchFailure(error, outgoing, context);
    }
  };
}

function setIfAbsent(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}

async function getToken(options: ResolvedOptions): Promise<string> {
  const source = options.accessToken;
  if (typeof source === "string") return source;
  let token: unknown;
  try {
    token = await source();
  } catch (error) {
    throw new AuthError(`Could not get an access token: the accessToken function failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (typeof token !== "string" || token === "") {
    throw new AuthError("Could not get an access token: the accessToken function returned no token (expected a non-empty string).");
  }
  return token;
}

function fetchFailure(error: unknown, request: Request, context: RequestContext): ZoomSdkError {
  if (error instanceof ZoomSdkError) return error;
  const what = context.operationId ?? "Request";
  const where = `${request.method} ${request.url}`;
  if (request.signal.aborted) {
    return new AbortError(`${what} was aborted by its AbortSignal (${where}).`, { cause: error });
  }
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND...) in error.cause.
  const cause = error instanceof Error && error.cause !== undefined ? `: ${messageOf(error.cause)}` : "";
  return new NetworkError(
    `${what} failed: no response from ${where}: ${messageOf(error)}${cause}. Check the network and the baseUrl.`,
    { cause: error },
  );
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
