/**
 * A `RateBudget` on Redis: all processes of an account together stay under the account's per-second
 * limit of each rate-limit label. Each label is a token bucket kept in Redis and run by one Lua script
 * per request (in its GCRA form: the bucket is a "next free slot" time, so a request reserves its slot
 * in one round trip and then waits locally for it; no polling). Time comes from Redis (TIME), so the
 * processes' clocks do not matter. Daily-limit blocks are keys that expire when the limit lifts.
 */
import type { RateBudget } from "../index.js";
import { connect, pause, script, UNAVAILABLE, type RedisClientLike, type RedisConnectionOptions } from "./connection.js";
import { ZOOM_RATE_LIMITS, ZOOM_SHARED_DAILY_LIMITS, type ZoomPlan } from "./zoom-limits.js";

export interface RedisRateBudgetOptions extends RedisConnectionOptions {
  /** Names the account in the keys: processes with the same `account` (and Redis) share one budget. Default "default". */
  account?: string;
  /** Whose defaults to use (default "pro", the lower ones). */
  plan?: ZoomPlan;
  /** Requests per second per label, over the plan's defaults, e.g. `{ Light: 80 }`. Labels without a limit are not slowed. */
  limits?: Readonly<Record<string, number>>;
  /**
   * Share of each limit the fleet uses (default 0.7): the rest absorbs delays between the
   * budget and Zoom and leaves room for other apps on the account, which share its limits.
   */
  utilization?: number;
  /** Burst allowance in seconds of the budgeted rate (default 0.1), at least one request. */
  burstSeconds?: number;
  /** Groups of labels that share one daily cap (default Zoom's: Heavy and Resource-intensive). */
  sharedDailyLimits?: readonly (readonly string[])[];
}

/**
 * KEYS[1] the bucket (its next free slot, ms), KEYS[2] the label's daily block (its end, ms).
 * ARGV[1] ms between requests, ARGV[2] ms of burst tolerance.
 * Answers {1, resumeAt} when blocked, else {0, ms to wait before sending}.
 */
const TAKE = script(`
local blocked = redis.call('GET', KEYS[2])
if blocked then return {1, blocked} end
local interval = tonumber(ARGV[1])
if interval <= 0 then return {0, '0'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
local wait = slot - tonumber(ARGV[2]) - now
if wait < 0 then wait = 0 end
local nextSlot = slot + interval
redis.call('SET', KEYS[1], string.format('%.3f', nextSlot), 'PX', math.ceil(nextSlot - now) + 1000)
return {0, string.format('%.0f', math.ceil(wait))}
`);

/** A rate budget shared through Redis; per process (with a warning) while Redis does not answer. */
export function createRedisRateBudget(redis: RedisClientLike, options: RedisRateBudgetOptions = {}): RateBudget {
  const connection = connect(redis, options, "zoomgen/redis rate budget", "each process keeps the rate budget on its own");
  const account = options.account ?? "default";
  const limits: Record<string, number> = { ...ZOOM_RATE_LIMITS[options.plan ?? "pro"], ...options.limits };
  const utilization = fraction(options.utilization ?? 0.7, "utilization");
  const burstSeconds = options.burstSeconds ?? 0.1;
  const groups = options.sharedDailyLimits ?? ZOOM_SHARED_DAILY_LIMITS;
  const dailyScope = (label: string) => groups.find((group) => group.includes(label))?.join("+") ?? label;
  // The account in braces: a Redis Cluster keeps both keys of one script in one slot.
  const bucketKey = (label: string) => `${connection.prefix}rate:{${account}}:${label}`;
  const blockKey = (label: string) => `${connection.prefix}daily:{${account}}:${dailyScope(label)}`;

  const pacing = (label: string) => {
    const limit = limits[label];
    if (limit === undefined || !(limit > 0)) return { intervalMs: 0, toleranceMs: 0 };
    const rate = limit * utilization;
    const intervalMs = 1000 / rate;
    return { intervalMs, toleranceMs: (Math.max(1, Math.floor(rate * burstSeconds)) - 1) * intervalMs };
  };
  const local = localBudget(pacing); // this process alone, for when Redis is away
  const localBlocks = new Map<string, number>();

  return {
    async acquire(label, signal) {
      const localBlock = localBlocks.get(dailyScope(label));
      if (localBlock !== undefined && localBlock > Date.now()) return { resumeAt: new Date(localBlock) };
      const { intervalMs, toleranceMs } = pacing(label);
      const reply = await connection.run(TAKE, [bucketKey(label), blockKey(label)], [String(intervalMs), String(toleranceMs)]);
      if (reply === UNAVAILABLE || !Array.isArray(reply)) return pause(local(label), signal);
      const [blocked, value] = reply as [number, string];
      if (blocked === 1) {
        const resumeAt = Number(value);
        localBlocks.set(dailyScope(label), resumeAt);
        return { resumeAt: new Date(resumeAt) };
      }
      return pause(Number(value), signal);
    },

    async blockUntil(label, resumeAt) {
      const until = resumeAt.getTime();
      if (!(until > Date.now())) return;
      localBlocks.set(dailyScope(label), until);
      await connection.command(["SET", blockKey(label), String(until), "PXAT", String(until)]);
    },
  };
}

/** The same bucket in this process's memory: how long to wait before sending one request of `label`. */
function localBudget(pacing: (label: string) => { intervalMs: number; toleranceMs: number }): (label: string) => number {
  const slots = new Map<string, number>();
  return (label) => {
    const { intervalMs, toleranceMs } = pacing(label);
    if (intervalMs <= 0) return 0;
    const now = Date.now();
    const slot = Math.max(slots.get(label) ?? 0, now);
    slots.set(label, slot + intervalMs);
    return Math.max(0, Math.ceil(slot - toleranceMs - now));
  };
}

function fraction(value: number, name: string): number {
  if (typeof value !== "number" || !(value > 0 && value <= 1)) throw new TypeError(`zoomgen/redis rate budget: \`${name}\` must be above 0 and at most 1, not ${String(value)}.`);
  return value;
}
