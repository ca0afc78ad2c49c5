/**
 * Streaming benchmark: 100 MB uploaded and downloaded through a generated client (the one of
 * test/fixtures/specs/media-types.yaml) against a real server on 127.0.0.1, streamed both ways: a
 * `ReadableStream` request body, and `.asStream()` on the download. Each transfer runs in a fresh child
 * process (bench/streaming-client.ts) that samples its own memory, so the figures are the client's:
 * peak RSS and peak heap + ArrayBuffer growth over a baseline taken just before the transfer. The goal
 * is a few MB whatever the size. A buffered download (`await downloadBlob()`, a Blob) is measured too,
 * for contrast. The server checks every uploaded byte (SHA-256) and the client every downloaded one.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { generate } from "../generator/generate.js";
import { patternChunk } from "./streaming-client.js";
import { fmt, table } from "./stats.js";
import { BenchError, timeNode } from "./support.js";

export interface StreamingBenchOptions {
  readonly root: string;
  /** Bytes per transfer. */
  readonly bytes: number;
  readonly log: (line: string) => void;
}

interface Measured {
  mode: string;
  ms: number;
  rssGrowth: number;
  heapGrowth: number;
  liveGrowth: number;
  received: number;
  sha256?: string;
}

const CHUNK = 64 * 1024;
const MB = 1024 * 1024;

export async function benchStreaming(options: StreamingBenchOptions): Promise<{ table: string; notes: string[] }> {
  const { root, bytes, log } = options;
  // Inside the repository, so that the generated runtime finds openapi-fetch in node_modules.
  await mkdir(path.join(root, ".tmp"), { recursive: true });
  const work = await mkdtemp(path.join(root, ".tmp", "bench-streaming-"));
  try {
    const clientDir = path.join(work, "client");
    log("streaming: generating the client of test/fixtures/specs/media-types.yaml");
    await generate({ spec: path.join(root, "test/fixtures/specs/media-types.yaml"), out: clientDir, noCache: true });
    const expected = patternHash(bytes);
    const uploads: string[] = [];
    const server = await startServer(uploads);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const rows: string[][] = [];
      const runs: [mode: string, label: string][] = [
        ["upload-stream", "upload, ReadableStream body"],
        ["download-stream", "download, .asStream()"],
        ["download-blob", "download, buffered Blob (for contrast)"],
      ];
      for (const [mode, label] of runs) {
        log(`streaming: ${label}, ${fmt(bytes / MB)} MB`);
        const timed = await timeNode(`streaming ${mode}`, ["--expose-gc", "--import", "tsx", path.join(root, "bench/streaming-client.ts"), clientDir, url, mode, String(bytes)], root);
        const result = JSON.parse(timed.stdout.trim().split("\n").pop() ?? "{}") as Measured;
        const arrived = mode === "upload-stream" ? uploads.pop() : result.sha256;
        if (arrived !== expected) throw new BenchError(`streaming ${mode}: the ${fmt(bytes / MB)} MB did not arrive intact (SHA-256 ${arrived ?? "none"}, expected ${expected})`);
        rows.push([label, fmt(result.ms), fmt(bytes / MB / (result.ms / 1000)), fmt(result.liveGrowth / MB, 1), fmt(result.heapGrowth / MB, 1), fmt(result.rssGrowth / MB, 1), timed.rssMb === undefined ? "n/a" : fmt(timed.rssMb)]);
      }
      return {
        table: table(["transfer", "ms", "MB/s", "held: peak live growth (MB)", "peak heap + ArrayBuffer growth (MB)", "peak RSS growth (MB)", "process peak RSS (MB)"], rows),
        notes: [
          `${fmt(bytes / MB)} MB each way through the generated client against a node:http server on 127.0.0.1 (this process); each transfer in a fresh client process, its memory sampled every 20 ms against a baseline taken after a warm-up transfer.`,
          "\"Held\" is heap + ArrayBuffers right after a forced full GC (what the transfer keeps alive: the goal is a few MB); the raw heap and RSS peaks also count garbage V8 had not collected yet (chunks already sent or read, which it frees in batches).",
          "Growth is over the baseline; \"process peak RSS\" (GNU time) includes loading tsx and the client. The forced GCs slow the transfers: MB/s is not a throughput figure.",
          "Every byte checked: the server hashes the upload, the client the download (SHA-256 of the same pattern, every byte value from 0x00 to 0xff).",
        ],
      };
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** PUT /blobs/{name}: hashed as it arrives (never held), its SHA-256 pushed to `uploads`; GET /blobs/size-N: N pattern bytes, written as the socket drains. */
async function startServer(uploads: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? "").replace(/^\/blobs\//, "").split("?")[0] ?? "");
    if (req.method === "PUT") {
      const hash = createHash("sha256");
      req.on("data", (chunk: Buffer) => hash.update(chunk));
      req.on("end", () => {
        if (name === "big") uploads.push(hash.digest("hex"));
        res.writeHead(204).end();
      });
      return;
    }
    const size = Number(/^size-(\d+)$/.exec(name)?.[1] ?? Number.NaN);
    if (req.method !== "GET" || !Number.isFinite(size)) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not_found","detail":"no such blob"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
    let offset = 0;
    const write = () => {
      while (offset < size) {
        const length = Math.min(CHUNK, size - offset);
        const more = res.write(patternChunk(offset, length));
        offset += length;
        if (!more) return void res.once("drain", write);
      }
      res.end();
    };
    write();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return server;
}

function patternHash(size: number): string {
  const hash = createHash("sha256");
  for (let offset = 0; offset < size; offset += CHUNK) hash.update(patternChunk(offset, Math.min(CHUNK, size - offset)));
  return hash.digest("hex");
}
