/**
 * The one way the Redis pieces talk to Redis: every command is time-boxed, and a Redis that is down,
 * slow or not yet connected makes the command answer `UNAVAILABLE` (after one warning per outage)
 * instead of failing, so that callers fall back to per-process behaviour and no API call fails for it.
 */
import { createHash } from "node:crypto";

/** What the Redis pieces need from a client. A node-redis client (`redis`, `@redis/client`) fits as is. */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
  /** node-redis: false while disconnected; commands are then not even queued. */
  readonly isReady?: boolean;
}

/** Where warnings go: anything with `warn(message)`; default `console`. */
export interface RedisLogger {
  warn(message: string): void;
}

/** Options every Redis piece takes. */
export interface RedisConnectionOptions {
  /** Longest wait for one Redis command, in ms, before acting without Redis (default 250). */
  commandTimeoutMs?: number;
  /** After a failure, how long to act without Redis before trying it again, in ms (default 1000). */
  retryAfterMs?: number;
  /** Receives a warning when Redis stops answering and a note when it answers again. Default `console`. */
  logger?: RedisLogger;
  /** Prefix of every key written (default `zoomgen:`). */
  prefix?: string;
}

/** The answer of a command Redis did not give in time (or at all). */
export const UNAVAILABLE: unique symbol = Symbol("redis unavailable");

/** A Lua script with its SHA-1, run by EVALSHA (EVAL when Redis does not know it yet). */
export interface Script {
  source: string;
  sha: string;
}

export function script(source: string): Script {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

export interface RedisConnection {
  readonly prefix: string;
  /** Runs one command, or answers `UNAVAILABLE`. */
  command(args: string[]): Promise<unknown>;
  /** Runs a script, or answers `UNAVAILABLE`. */
  run(script: Script, keys: string[], args: string[]): Promise<unknown>;
}

/** Wraps `client` for `who` (named in warnings), e.g. "zoomgen/redis token store". */
export function connect(client: RedisClientLike, options: RedisConnectionOptions, who: string, fallback: string): RedisConnection {
  if (typeof client?.sendCommand !== "function") {
    throw new TypeError(`${who}: expected a connected node-redis client (from \`createClient()\` of the \`redis\` package), got ${typeof client}.`);
  }
  const timeoutMs = positive(options.commandTimeoutMs, 250, "commandTimeoutMs", who);
  const retryAfterMs = positive(options.retryAfterMs, 1000, "retryAfterMs", who);
  const logger = options.logger ?? console;
  let downUntil = 0;
  let down = false;

  const failed = (reason: string): typeof UNAVAILABLE => {
    downUntil = Date.now() + retryAfterMs;
    if (!down) {
      down = true;
      warn(`${who}: Redis is unavailable (${reason}); ${fallback} until it answers again.`);
    }
    return UNAVAILABLE;
  };
  const warn = (message: string) => {
    try {
      logger.warn(message);
    } catch {
      // a broken logger must not break a call
    }
  };

  const command = async (args: string[]): Promise<unknown> => {
    if (Date.now() < downUntil) return UNAVAILABLE;
    if (client.isReady === false) return failed("the client is not connected");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof UNAVAILABLE>((resolve) => {
      timer = setTimeout(() => resolve(UNAVAILABLE), timeoutMs);
    });
    try {
      const reply = await Promise.race([client.sendCommand(args), timeout]);
      if (reply === UNAVAILABLE) return failed(`no answer within ${timeoutMs} ms`);
      if (down) {
        down = false;
        warn(`${who}: Redis answers again; sharing across processes resumes.`);
      }
      return reply;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) throw error;
      return failed(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    prefix: options.prefix ?? "zoomgen:",
    command,
    async run(script, keys, args) {
      const tail = [String(keys.length), ...keys, ...args];
      try {
        return await command(["EVALSHA", script.sha, ...tail]);
      } catch {
        return command(["EVAL", script.source, ...tail]); // NOSCRIPT: the first run since Redis started
      }
    },
  };
}

function positive(value: number | undefined, fallback: number, name: string, who: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new TypeError(`${who}: \`${name}\` must be a number of ms above 0, not ${String(value)}.`);
  return value;
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
