/**
 * A throwaway HTTP server on 127.0.0.1 (ephemeral port) for runtime tests: it records every request
 * with its raw body and lets the test answer it.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** The request target exactly as sent (path and query, still percent-encoded). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server; a request the handler leaves unanswered gets an empty 200 when the handler returns. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res))
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(599, { "content-type": "text/plain" });
          res.end(String(error));
        })
        .finally(() => {
          if (!res.writableEnded) res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections(); // fetch keeps connections alive; close() would wait for them
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Answers with a status, headers and a body (a string, or an object sent as JSON). */
export function reply(
  res: ServerResponse,
  status: number,
  body: string | object = "",
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const contentType = typeof body === "string" ? "text/plain" : "application/json";
  res.writeHead(status, { "content-type": contentType, ...headers });
  res.end(text);
}
