/**
 * A `TokenStore` on Redis: one token for a whole fleet of processes. Tokens are stored with their
 * expiry (PXAT), a lock with a lease (SET NX PX, released by a script only by its owner) makes one
 * process fetch while the others wait, and writes are compare-and-set: a token is written only if it
 * expires no earlier than the stored one, so a stale refresher cannot overwrite a newer token (or a
 * rotated refresh token). Access and refresh token are one value, written in one step.
 */
import { randomUUID } from "node:crypto";
import type { StoredToken, TokenStore } from "../index.js";
import { connect, pause, script, UNAVAILABLE, type RedisClientLike, type RedisConnectionOptions } from "./connection.js";

export interface RedisTokenStoreOptions extends RedisConnectionOptions {
  /**
   * How long a token with a refresh token is kept, in ms (default 90 days, Zoom's refresh-token
   * lifetime): it must outlive the access token, or the user would have to authorise again.
   */
  refreshTokenTtlMs?: number;
  /** How often a process waiting for the lock looks again, in ms (default 25). */
  lockPollMs?: number;
}

const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;

/** Writes ARGV[1] unless the stored token expires later than ARGV[2]; keeps it until ARGV[3] (ms). */
const WRITE_IF_NEWER = script(`
local current = redis.call('GET', KEYS[1])
if current then
  local ok, old = pcall(cjson.decode, current)
  if ok and type(old) == 'table' and tonumber(old.expiresAt) and tonumber(old.expiresAt) > tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[3])
return 1
`);

/** Deletes the lock only if this process still owns it (its lease may have run out meanwhile). */
const RELEASE_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * A token store shared through Redis. `redis` is a connected node-redis client; when Redis does not
 * answer within `commandTimeoutMs`, the store works per process (with a warning) until it does.
 */
export function createRedisTokenStore(redis: RedisClientLike, options: RedisTokenStoreOptions = {}): TokenStore {
  const connection = connect(redis, options, "zoomgen/redis token store", "tokens are cached and locked per process");
  const refreshTokenTtlMs = options.refreshTokenTtlMs ?? NINETY_DAYS_MS;
  const pollMs = options.lockPollMs ?? 25;
  const local = new Map<string, StoredToken>(); // this process's copy, for when Redis is away
  const tokenKey = (key: string) => `${connection.prefix}token:${key}`;

  return {
    async get(key) {
      const reply = await connection.command(["GET", tokenKey(key)]);
      if (reply === UNAVAILABLE) return usable(local.get(key));
      const token = typeof reply === "string" ? parseToken(reply) : undefined;
      if (token !== undefined) local.set(key, token);
      return token;
    },

    async set(key, token) {
      const previous = local.get(key);
      if (previous === undefined || previous.expiresAt <= token.expiresAt) local.set(key, token);
      const keepUntil = token.refreshToken === undefined ? token.expiresAt : Math.max(token.expiresAt, Date.now() + refreshTokenTtlMs);
      if (keepUntil <= Date.now()) return;
      await connection.run(WRITE_IF_NEWER, [tokenKey(key)], [JSON.stringify(token), String(token.expiresAt), String(Math.ceil(keepUntil))]);
    },

    async withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
      const lockKey = `${connection.prefix}lock:${key}`;
      const owner = randomUUID();
      for (;;) {
        const reply = await connection.command(["SET", lockKey, owner, "NX", "PX", String(Math.ceil(ttlMs))]);
        if (reply === UNAVAILABLE) return fn(); // per process: the client's own single-flight still holds
        if (reply === "OK") break;
        await pause(pollMs / 2 + Math.random() * pollMs); // jitter, so waiters do not knock together
      }
      try {
        return await fn();
      } finally {
        await connection.run(RELEASE_LOCK, [lockKey], [owner]);
      }
    },
  };
}

function parseToken(text: string): StoredToken | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredToken> | null;
    return typeof value?.accessToken === "string" && typeof value.expiresAt === "number" ? (value as StoredToken) : undefined;
  } catch {
    return undefined;
  }
}

function usable(token: StoredToken | undefined): StoredToken | undefined {
  return token !== undefined && (token.refreshToken !== undefined || token.expiresAt > Date.now()) ? token : undefined;
}
