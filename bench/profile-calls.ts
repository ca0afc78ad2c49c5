/**
 * The calls bench's loop alone, for a CPU profile: `node --conditions=@zoomgen/source --import tsx
 * --cpu-prof bench/profile-calls.ts [get|post|both] [calls] [default|bare|openapi-fetch]`.
 */
import createClient from "openapi-fetch";
import { createZoomClient, type paths } from "../generated/index.js";

const BASE = "https://api.zoom.us/v2";
const USER = { id: "KDcuGIm1QgePTO8WbOqwIQ", first_name: "Jill", last_name: "Chill", email: "jchill@example.com", type: 1, status: "active" };
const GROUP = { id: "3b6c6b6c", name: "Developers", type: "normal", total_members: 0 };

async function readyFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const post = (input instanceof Request ? input.method : (init?.method ?? "GET")) === "POST";
  return new Response(JSON.stringify(post ? GROUP : USER), { status: post ? 201 : 200, headers: { "content-type": "application/json" } });
}

const [kind = "both", countText = "20000", variant = "default"] = process.argv.slice(2);
const count = Number(countText);
const zoom = createZoomClient({ accessToken: "t", baseUrl: BASE, fetch: readyFetch, ...(variant === "bare" || variant === "novalidate" ? { validate: false } : {}), ...(variant === "bare" || variant === "notimeout" ? { timeoutMs: Infinity } : {}) });
const plain = createClient<paths>({ baseUrl: BASE, fetch: readyFetch, headers: { Authorization: "Bearer t" } });
const get =
  variant === "openapi-fetch"
    ? () => plain.GET("/users/{userId}", { params: { path: { userId: "me" }, query: { login_type: 100 } } })
    : () => zoom.users.getUser({ path: { userId: "me" }, query: { login_type: 100 } });
const post =
  variant === "openapi-fetch" ? () => plain.POST("/im/groups", { body: { name: "Developers", type: "normal" } }) : () => zoom.imGroups.createImGroup({ body: { name: "Developers", type: "normal" } });

for (const [name, call] of [["get", get], ["post", post]] as const) {
  if (kind !== "both" && kind !== name) continue;
  for (let i = 0; i < 2000; i++) await call();
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) await call();
  const { user, system } = process.cpuUsage(start);
  console.log(`${variant} ${name}: ${((user + system) / count).toFixed(1)} µs/call`);
}
