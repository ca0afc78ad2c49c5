/**
 * The client side of the streaming benchmark (bench/streaming.ts), in a process of its own so that
 * its memory is the client's alone: `tsx bench/streaming-client.ts <client dir> <base URL> <mode> <bytes>`.
 * Loads the generated client, measures a baseline, runs one transfer while sampling memory every
 * 20 ms, and prints one JSON line: the growth over the baseline at the peak, raw (garbage not yet
 * collected included) and live (measured right after a forced full GC: what the transfer really holds),
 * and what arrived. Needs `--expose-gc`.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";

type Mode = "upload-stream" | "download-stream" | "download-blob";
type Call = (input: object) => Promise<unknown> & { asStream(): Promise<ReadableStream<Uint8Array>> };
interface Module {
  createBodiesClient(options: { accessToken: string; baseUrl: string; retry: false; timeoutMs: number }): { default: { uploadBlob: Call; downloadBlob: Call } };
}

const CHUNK = 64 * 1024;

/** `size` bytes of the pattern in 64 KiB chunks, produced only as they are read. */
export function patternStream(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const length = Math.min(CHUNK, size - sent);
      controller.enqueue(patternChunk(sent, length));
      sent += length;
    },
  });
}

/** The bytes `[offset, offset + length)` of the pattern: every byte value from 0x00 to 0xff occurs. */
export function patternChunk(offset: number, length: number): Uint8Array {
  const chunk = new Uint8Array(length);
  for (let i = 0; i < length; i++) chunk[i] = ((offset + i) * 7) % 256;
  return chunk;
}

async function main(): Promise<void> {
  const [clientDir, baseUrl, mode, sizeText] = process.argv.slice(2) as [string, string, Mode, string];
  const size = Number(sizeText);
  const module = (await import(pathToFileURL(path.join(clientDir, "index.ts")).href)) as Module;
  const api = module.createBodiesClient({ accessToken: "bench", baseUrl, retry: false, timeoutMs: 120_000 }).default;
  // Warm up the connection and the code paths on a small transfer, then settle before the baseline.
  await api.uploadBlob({ path: { name: "warmup" }, body: patternStream(CHUNK) });
  await new Response(await api.downloadBlob({ path: { name: `size-${CHUNK}` } }).asStream()).arrayBuffer();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));

  const footprint = () => {
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed + m.arrayBuffers };
  };
  gc();
  const baseline = footprint();
  const peak = { ...baseline, live: baseline.heap };
  const sample = () => {
    const now = footprint();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heap = Math.max(peak.heap, now.heap);
    gc();
    peak.live = Math.max(peak.live, footprint().heap);
  };
  const sampler = setInterval(sample, 20);
  const started = performance.now();
  const hash = createHash("sha256");
  let received = 0;
  if (mode === "upload-stream") {
    await api.uploadBlob({ path: { name: "big" }, body: patternStream(size) });
  } else if (mode === "download-stream") {
    const stream = await api.downloadBlob({ path: { name: `size-${size}` } }).asStream();
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.length;
    }
  } else {
    const blob = (await api.downloadBlob({ path: { name: `size-${size}` } })) as Blob;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    hash.update(bytes);
    received = bytes.length;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  sample();
  process.stdout.write(
    `${JSON.stringify({ mode, ms, rssGrowth: peak.rss - baseline.rss, heapGrowth: peak.heap - baseline.heap, liveGrowth: peak.live - baseline.heap, received, sha256: received > 0 ? hash.digest("hex") : undefined })}\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
