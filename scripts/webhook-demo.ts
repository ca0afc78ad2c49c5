/**
 * `npx tsx scripts/webhook-demo.ts`: the generated webhook endpoint at work, as Zoom would meet it.
 *
 * Starts `createZoomWebhookHandler` behind Node's http on 127.0.0.1 (a free port) with a made-up secret
 * token, then plays Zoom and an attacker against it over real HTTP: Zoom's URL validation, a signed
 * `user.updated`, the same request replayed, a forged signature, a stale timestamp and an unknown event.
 * Prints each request's story and the answer. Exit code 0 when every answer is the expected one.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createZoomWebhookHandler, toNodeListener } from "../generated/index.js";

const SECRET = "demo-webhook-secret-token";
const out = (line = "") => process.stdout.write(`${line}\n`);

const seen: string[] = [];
const endpoint = createZoomWebhookHandler({
  secretToken: SECRET,
  handlers: { "user.updated": (event) => void seen.push(`user.updated for ${event.payload.object.id}`) },
});
const server = createServer(toNodeListener(endpoint));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zoom/webhook`;

const sign = (body: string, timestamp: string, secret = SECRET) => `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
const now = () => String(Math.floor(Date.now() / 1000));

async function post(story: string, body: string, headers: Record<string, string>, expected: number): Promise<boolean> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  const ok = response.status === expected;
  out(`${ok ? "ok  " : "FAIL"} ${story}`);
  out(`     → ${response.status}${text ? ` ${text}` : ""}`);
  return ok;
}

const challenge = JSON.stringify({ event: "endpoint.url_validation", event_ts: Date.now(), payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" } });
const event = JSON.stringify({ event: "user.updated", event_ts: Date.now(), payload: { account_id: "EAAAAAbbbbbCCCCHMA", object: { id: "z8dsdsdsdsdCfp8uQ", first_name: "Harry" } } });
const unknown = JSON.stringify({ event: "meeting.started", event_ts: Date.now(), payload: {} });
const t = now();
const results = [
  await post("Zoom validates the endpoint URL (signed challenge)", challenge, { "x-zm-request-timestamp": t, "x-zm-signature": sign(challenge, t) }, 200),
  await post("Zoom sends a signed user.updated", event, { "x-zm-request-timestamp": t, "x-zm-signature": sign(event, t) }, 204),
  await post("someone replays that exact request", event, { "x-zm-request-timestamp": t, "x-zm-signature": sign(event, t) }, 401),
  await post("someone forges a signature with another secret", event, { "x-zm-request-timestamp": now(), "x-zm-signature": sign(event, now(), "guessed-secret") }, 401),
  await post("someone sends a captured request from 10 minutes ago", event, { "x-zm-request-timestamp": String(Number(t) - 600), "x-zm-signature": sign(event, String(Number(t) - 600)) }, 401),
  await post("someone asks for the HMAC of a text of their choice (unsigned challenge)", challenge, {}, 401),
  await post("a signed event this endpoint does not know", unknown, { "x-zm-request-timestamp": t, "x-zm-signature": sign(unknown, t) }, 400),
];
await new Promise((resolve) => setTimeout(resolve, 20)); // handlers run just after the 204
out();
out(`handlers called: ${seen.length === 0 ? "none" : seen.join(", ")}`);
server.close();
process.exitCode = results.every(Boolean) && seen.length === 1 ? 0 : 1;
