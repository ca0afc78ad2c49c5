/**
 * `zoomgen/redis`: many instances, one Zoom account. A token store and a rate budget shared through
 * Redis, for `createZoomClient({ tokenStore, rateBudget })`. Optional: it needs the `redis` package
 * (node-redis), which the client itself never loads. docs/REDIS.md shows the whole setup.
 */
export { createRedisTokenStore, type RedisTokenStoreOptions } from "./token-store.js";
export { createRedisRateBudget, type RedisRateBudgetOptions } from "./rate-budget.js";
export { ZOOM_RATE_LIMITS, ZOOM_SHARED_DAILY_LIMITS, type ZoomPlan } from "./zoom-limits.js";
export type { RedisClientLike, RedisConnectionOptions, RedisLogger } from "./connection.js";
