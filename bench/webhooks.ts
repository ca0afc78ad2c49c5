/**
 * Webhook benchmark: the cost of receiving one signed Zoom event, in this process (no network), so the
 * figure is the endpoint's own work. Three contenders over the same pre-signed `user.updated` events
 * (each with its own timestamp and signature, so the replay guard sees no repeats):
 *
 *   - the generated handler: `createZoomWebhookHandler(...)(request)`: headers, body read with its size
 *     limit, HMAC-SHA256 through WebCrypto, constant-time compare, replay guard, JSON parse, schema
 *     validation, 204 (no per-event handler, so nothing else runs);
 *   - its signature check alone: `crypto.subtle.sign` over `v0:{ts}:{body}` and a compare;
 *   - a hand-written verifier on node:crypto: `createHmac(...).digest("hex") === header` (not constant
 *     time, Node only: the usual snippet, for scale).
 */
import { createHmac } from "node:crypto";
import { fmt, median, orderFor, quantile, table } from "./stats.js";
import { BenchError } from "./support.js";

export interface WebhookBenchOptions {
  readonly events: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

interface Signed {
  readonly body: string;
  readonly timestamp: string;
  readonly signature: string;
}

const SECRET = "bench-webhook-secret-token";

export async function benchWebhooks(options: WebhookBenchOptions): Promise<{ tables: string[]; notes: string[] }> {
  const { createZoomWebhookHandler } = await import("../generated/index.js").catch((error: unknown) => {
    throw new BenchError(`cannot load the generated client (run \`npm ci\`, \`npm run generate\`): ${(error as Error).message}`);
  });
  const handler = createZoomWebhookHandler({ secretToken: SECRET, handlers: {} });
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

  const total = options.warmup + options.events;
  const now = Math.floor(Date.now() / 1000);
  // Distinct events: the timestamp (within the window) and event_ts differ, so each signature is new.
  const signed = (offset: number): Signed[] =>
    Array.from({ length: total }, (_, i) => {
      const timestamp = String(now - ((i + offset) % 200));
      const body = JSON.stringify({
        event: "user.updated",
        event_ts: 1_700_000_000_000 + i + offset,
        payload: { account_id: "EAAAAAbbbbbCCCCHMA", operator: "admin@example.com", operator_id: "z8dsdsdsdsdCfp8uQ", object: { id: "z8dsdsdsdsdCfp8uQ", first_name: "Harry" }, time_stamp: 1_700_000_000_000 },
      });
      return { body, timestamp, signature: `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}` };
    });

  const contenders: { name: string; events: Signed[]; run: (event: Signed) => Promise<void> }[] = [
    {
      name: "generated handler, Request → 204",
      events: signed(0),
      run: async ({ body, timestamp, signature }) => {
        const request = new Request("http://localhost/zoom", {
          method: "POST",
          headers: { "content-type": "application/json", "x-zm-request-timestamp": timestamp, "x-zm-signature": signature },
          body,
        });
        const response = await handler(request);
        if (response.status !== 204) throw new BenchError(`the generated handler answered ${response.status}: ${await response.text()}`);
      },
    },
    {
      name: "signature check alone (WebCrypto HMAC + compare)",
      events: signed(total),
      run: async ({ body, timestamp, signature }) => {
        const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`v0:${timestamp}:${body}`)));
        let hex = "";
        for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
        if (`v0=${hex}` !== signature) throw new BenchError("the WebCrypto signature does not match");
      },
    },
    {
      name: "hand-written node:crypto `createHmac` + `===`",
      events: signed(2 * total),
      run: async ({ body, timestamp, signature }) => {
        if (`v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}` !== signature) {
          throw new BenchError("the node:crypto signature does not match");
        }
      },
    },
  ];

  options.log(`webhooks: ${options.warmup} warm-up events each, then ${options.events} events each in ${options.rounds} rounds`);
  const samples = new Map(contenders.map((c) => [c, { latencies: [] as number[], cpuUs: 0 }]));
  for (const c of contenders) for (const event of c.events.slice(0, options.warmup)) await c.run(event);
  const perRound = Math.ceil(options.events / options.rounds);
  for (let round = 0; round < options.rounds; round++) {
    for (const c of orderFor(contenders, round)) {
      const events = c.events.slice(options.warmup + round * perRound, options.warmup + (round + 1) * perRound);
      const into = samples.get(c)!;
      const cpu = process.cpuUsage();
      for (const event of events) {
        const t0 = performance.now();
        await c.run(event);
        into.latencies.push(performance.now() - t0);
      }
      const { user, system } = process.cpuUsage(cpu);
      into.cpuUs += user + system;
    }
  }

  const rows = contenders.map((c) => {
    const s = samples.get(c)!;
    return [c.name, fmt(median(s.latencies) * 1000, 1), fmt(quantile(s.latencies, 0.95) * 1000, 1), fmt(s.cpuUs / s.latencies.length, 1), fmt(1000 / median(s.latencies))];
  });
  return {
    tables: [`${fmt(samples.get(contenders[0]!)!.latencies.length)} events each, one at a time:\n\n${table(["contender", "median µs/event", "p95 µs/event", "CPU µs/event", "events/s (1 core)"], rows)}`],
    notes: [
      "In-process, no sockets: the figure is the endpoint's own cost per event; add the HTTP server's for a whole delivery.",
      "The generated handler's figure includes the default in-memory replay guard and the schema validation of the event.",
    ],
  };
}
