/**
 * A fault-injecting HTTP server on 127.0.0.1 (ephemeral port) for resilience tests: each request
 * takes the next scripted behaviour of its route (a status with headers and body, maybe late; a
 * connection reset before or during the response; a hang), and every request is recorded.
 *
 *   const server = await startFaultServer();
 *   server.script("/v2/users", rateLimited({ retryAfter: "1" }), unavailable(), json(200, { id: "a" }));
 *   server.script("/oauth/token", token("t1"));
 *   ...
 *   server.count("/v2/users") // requests seen on paths starting with /v2/users
 *
 * Routes are path prefixes (the query is ignored), the longest matching one wins; "*" matches
 * anything. A route whose script is used up answers with its `otherwise` behaviour (default 200 `{}`).
 *
 * Built on the replay server's `startRecordingServer`: requests are recorded the same way
 * (`path`, `rawPath`, `headers`, `body`, ...).
 */
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll } from "vitest";
import { reply, startRecordingServer, type RecordedRequest } from "./replay-server.js";

export type { RecordedRequest } from "./replay-server.js";

/** An answer: status, headers, body (an object is sent as JSON), optionally after `delayMs`. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
  /** Wait this long before sending the status line. */
  delayMs?: number;
}

/** A fault instead of (or in the middle of) an answer. */
export type Fault =
  /** Destroy the connection without answering (after `delayMs`). */
  | { fault: "reset"; delayMs?: number }
  /** Send the status, headers and the first half of `body` (with the full Content-Length), then destroy the connection. */
  | { fault: "reset-mid-body"; status?: number; headers?: Record<string, string>; body: string }
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  | { fault: "hang" };

/** Custom behaviour: answer the request by hand. */
export type HandlerBehaviour = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export type Behaviour = Answer | Fault | HandlerBehaviour;

/** A recorded request with its route and what it got: a status (`"503"`), a fault (`"reset"`) or `"handler"`. */
export interface FaultRequest extends RecordedRequest {
  route: string;
  answered: string;
}

export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request received, in order, with its route and how it was answered. */
  requests: FaultRequest[];
  /** Appends behaviours to the route's script; requests on the route consume them in order. */
  script(route: string, ...behaviours: Behaviour[]): void;
  /** What the route answers once its script is used up (default: 200 `{}`). */
  otherwise(route: string, behaviour: Behaviour): void;
  /** Makes the route answer with the behaviours in turn, round and round, once its script is used up. */
  cycle(route: string, ...behaviours: Behaviour[]): void;
  /** Requests received whose path starts with `prefix` (no argument or "*": all), scripted or not. */
  count(route?: string): number;
  /** Requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Forgets scripts, recorded requests and counters. */
  reset(): void;
  /**
   * Starts afresh between tests: drops the connections of earlier requests (see
   * `RecordingServer.dropConnections`), so that a request a client gave up on but had already sent
   * is not counted as the next test's, then resets.
   */
  isolate(): Promise<void>;
  /** Destroys open connections (hanging ones included), cancels pending delays and stops listening. */
  close(): Promise<void>;
}

/** One fault server for a test file: started before its tests, isolated after each, closed after all. */
export function useFaultServer(onStart: (server: FaultServer) => void): void {
  let server: FaultServer | undefined;
  beforeAll(async () => {
    server = await startFaultServer();
    onStart(server);
  });
  afterEach(() => server?.isolate());
  afterAll(() => server?.close());
}

/** Starts a fault server. */
export async function startFaultServer(): Promise<FaultServer> {
  const scripts = new Map<string, Behaviour[]>();
  const fallbacks = new Map<string, Behaviour>();
  const requests: FaultRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inFlight = 0;
  let maxInFlight = 0;
  // A request stops counting as in flight when its answer starts: the client may send the next one
  // before this server has seen the connection's "close".
  const answering = new WeakMap<ServerResponse, () => void>();

  const later = (ms: number, run: () => void) => {
    if (ms <= 0) return run();
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const routeOf = (path: string): string => {
    let best = "*";
    for (const route of new Set([...scripts.keys(), ...fallbacks.keys()])) {
      if (route !== "*" && path.startsWith(route) && (best === "*" || route.length > best.length)) best = route;
    }
    return best;
  };

  /** Answers as the behaviour says; a handler's failure is the recording server's 599. */
  const perform = (behaviour: Behaviour, request: FaultRequest, res: ServerResponse): void | Promise<void> => {
    request.answered = typeof behaviour === "function" ? "handler" : "fault" in behaviour ? behaviour.fault : String(behaviour.status);
    if (typeof behaviour === "function") return behaviour(request, res);
    if ("fault" in behaviour) {
      if (behaviour.fault === "hang") return;
      if (behaviour.fault === "reset") return later(behaviour.delayMs ?? 0, () => res.socket?.destroy());
      const body = Buffer.from(behaviour.body);
      res.writeHead(behaviour.status ?? 200, {
        "content-type": "application/json",
        ...behaviour.headers,
        "content-length": String(body.length),
      });
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      // Let the first half reach the client before cutting the connection.
      later(20, () => res.socket?.destroy());
      return;
    }
    later(behaviour.delayMs ?? 0, () => {
      if (res.destroyed) return; // the client gave up (timeout) while we waited
      answering.get(res)?.();
      reply(res, behaviour.status, behaviour.body, behaviour.headers);
    });
  };

  // Requests are kept here, with their route and answer, rather than by the recording server.
  const server = await startRecordingServer(async (recorded, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) inFlight--;
      counted = false;
    };
    answering.set(res, done);
    // Behaviours answer late or never: the response is theirs until it closes.
    const closed = new Promise((resolve) => res.on("close", resolve));
    res.on("close", done);
    const request: FaultRequest = { ...recorded, route: routeOf(recorded.path), answered: "" };
    requests.push(request);
    await perform(scripts.get(request.route)?.shift() ?? fallbacks.get(request.route) ?? { status: 200, body: {} }, request, res);
    await closed;
  }, { record: false });

  const reset = () => {
    scripts.clear();
    fallbacks.clear();
    requests.length = 0;
    maxInFlight = inFlight;
  };

  return {
    url: server.url,
    requests,
    script: (route, ...behaviours) => {
      const list = scripts.get(route) ?? [];
      list.push(...behaviours);
      scripts.set(route, list);
    },
    otherwise: (route, behaviour) => void fallbacks.set(route, behaviour),
    cycle: (route, ...behaviours) => {
      let next = 0;
      fallbacks.set(route, (request, res) => perform(behaviours[next++ % behaviours.length]!, request as FaultRequest, res));
    },
    count: (prefix = "*") => (prefix === "*" ? requests.length : requests.filter((r) => r.path.startsWith(prefix)).length),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset,
    isolate: async () => {
      await server.dropConnections();
      reset();
    },
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return server.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Behaviours with Zoom's shapes

/** A JSON (object) or text (string) answer. */
export function json(status: number, body: object | string = {}, headers: Record<string, string> = {}, delayMs?: number): Answer {
  return { status, body, headers, ...(delayMs === undefined ? {} : { delayMs }) };
}

/** Zoom's error answer: `{code, message}` with a tracking id. */
export function zoomError(status: number, code: number, message: string, headers: Record<string, string> = {}): Answer {
  return { status, body: { code, message }, headers: { "x-zm-trackingid": `v=2.0;clid=test;rid=${code}`, ...headers } };
}

/** A per-second 429 (`X-RateLimit-Type: QPS` unless `type` says otherwise; `null` sends no type). */
export function rateLimited(options: { retryAfter?: string; type?: string | null } = {}): Answer {
  const headers: Record<string, string> = { "x-ratelimit-category": "Light", "x-ratelimit-limit": "30", "x-ratelimit-remaining": "0" };
  if (options.type !== null) headers["x-ratelimit-type"] = options.type ?? "QPS";
  if (options.retryAfter !== undefined) headers["retry-after"] = options.retryAfter;
  return zoomError(429, 429, "You have reached the maximum per-second rate limit for this API. Try again later.", headers);
}

/** A daily-limit 429, resuming at `resumeAt` (an ISO date-time; default the next 00:00 UTC). */
export function dailyLimit(resumeAt?: string): Answer {
  const midnight = new Date();
  midnight.setUTCHours(24, 0, 0, 0);
  return zoomError(429, 429, "You have reached the maximum daily rate limit for this API.", {
    "x-ratelimit-category": "Heavy",
    "x-ratelimit-type": "Daily-limit",
    "x-ratelimit-limit": "60000",
    "x-ratelimit-remaining": "0",
    "retry-after": resumeAt ?? midnight.toISOString().replace(".000", ""),
  });
}

/** A 503 with an HTML body, as a load balancer sends it. */
export function unavailable(headers: Record<string, string> = {}): Answer {
  return { status: 503, body: "<html><body>503 Service Temporarily Unavailable</body></html>", headers: { "content-type": "text/html", ...headers } };
}

/** Zoom's 401 for an expired or revoked token (code 124). */
export function invalidToken(): Answer {
  return zoomError(401, 124, "Invalid access token.");
}

/** A Server-to-Server OAuth token answer. */
export function token(accessToken: string, expiresIn = 3600, delayMs?: number): Answer {
  return json(
    200,
    { access_token: accessToken, token_type: "bearer", expires_in: expiresIn, scope: "user:read:admin", api_url: "https://api.zoom.us" },
    {},
    delayMs,
  );
}

/** A complete 200 whose JSON body is cut short. */
export function truncatedJson(): Answer {
  return { status: 200, body: '{"id":"abc","email":"jane@exa', headers: { "content-type": "application/json" } };
}

/** A 200 that says JSON but carries HTML (a captive portal or a proxy's page). */
export function htmlBody(status = 200): Answer {
  return { status, body: "<!doctype html><html><body>Please log in</body></html>", headers: { "content-type": "application/json" } };
}
