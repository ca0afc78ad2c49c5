/**
 * Rate-budget benchmark: the latency one shared rate budget (@zoomgen/runtime/redis, on a real redis-server on
 * 127.0.0.1) adds to a call. The same generated client makes sequential `users.getUser` calls against a
 * local HTTP server with and without `rateBudget`; the budget's limit is set far above the call rate, so
 * no call waits for a slot and the difference is the budget's own cost (one EVALSHA round trip).
 * Rounds alternate the two contenders so drift in the machine's load does not favour one.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import { createZoomClient } from "../generated/index.js";
import { createRedisRateBudget } from "@zoomgen/runtime/redis";
import { startRedisServer } from "../test/support/redis-server.js";
import { fmt, median, quantile, table } from "./stats.js";
import { BenchError } from "./support.js";

export interface RateBudgetBenchOptions {
  /** Timed sequential calls per contender and round (after `warmup` untimed ones). */
  readonly calls: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

export async function benchRateBudget(options: RateBudgetBenchOptions): Promise<{ table: string; notes: string[] }> {
  let redisServer;
  try {
    redisServer = await startRedisServer();
  } catch (error) {
    throw new BenchError(`rate budget: ${(error as Error).message}`);
  }
  const api = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"id":"me","email":"me@example.com"}');
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/v2`;
  const redis = createClient({ url: redisServer.url });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    const contenders = [
      { name: "no rate budget", client: createZoomClient({ accessToken: "bench", baseUrl }) },
      {
        name: "Redis rate budget",
        client: createZoomClient({ accessToken: "bench", baseUrl, rateBudget: createRedisRateBudget(redis, { limits: { Light: 1e9 } }) }),
      },
    ];
    const latencies = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      for (const contender of round % 2 === 0 ? contenders : [...contenders].reverse()) {
        options.log(`bench: rate budget round ${round + 1}/${options.rounds}, ${contender.name}`);
        for (let i = 0; i < options.warmup; i++) await contender.client.users.getUser({ path: { userId: "me" } });
        for (let i = 0; i < options.calls; i++) {
          const started = performance.now();
          await contender.client.users.getUser({ path: { userId: "me" } });
          latencies.get(contender.name)!.push(performance.now() - started);
        }
      }
    }
    const baseline = median(latencies.get("no rate budget")!);
    const rows = contenders.map(({ name }) => {
      const samples = latencies.get(name)!;
      const added = median(samples) - baseline;
      return [name, fmt(median(samples) * 1000), fmt(quantile(samples, 0.95) * 1000), name === "no rate budget" ? "—" : fmt(added * 1000)];
    });
    return {
      table: table(["contender", "median µs/call", "p95 µs/call", "added median µs/call"], rows),
      notes: [
        `${options.rounds} rounds × ${options.calls} sequential calls per contender (after ${options.warmup} warm-up calls each); the HTTP server and redis-server run on the same machine.`,
        "The added latency is one Lua script call on Redis per attempt (a token bucket per account and label); with a remote Redis, add its round-trip time.",
      ],
    };
  } finally {
    await redis.close().catch(() => redis.destroy());
    await new Promise((resolve) => api.close(resolve));
    await redisServer.stop();
  }
}
