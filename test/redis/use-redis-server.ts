/** One real redis-server per test file (test/support/redis-server.ts), stopped after its tests. */
import { afterAll, beforeAll } from "vitest";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";

export function useRedisServer(onStart: (server: RedisServer) => void): void {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    onStart(server);
  });
  afterAll(() => server?.stop());
}
