/**
 * The runtime through the client generated from the real spec: input checks compiled from the spec's
 * schemas, path safety, OAuth, and a mixed-fault run where every call must end in data or a typed error.
 */
import { describe, expect, it } from "vitest";
import {
  ApiError,
  createZoomClient,
  NetworkError,
  TimeoutError,
  ValidationError,
  ZoomSdkError,
  type ClientOptions,
  type ValidationIssue,
} from "../../generated/index.js";
import {
  dailyLimit,
  htmlBody,
  invalidToken,
  json,
  rateLimited,
  token,
  truncatedJson,
  unavailable,
  useFaultServer,
  type Behaviour,
  type FaultServer,
} from "../support/fault-server.js";

let server: FaultServer;

useFaultServer((started) => (server = started));

function zoom(options: Partial<ClientOptions> = {}) {
  return createZoomClient({ accessToken: "tok", baseUrl: `${server.url}/v2`, retry: { initialDelayMs: 1, maxDelayMs: 50 }, ...options });
}
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `m${i}@example.com` }));
const registrants = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `r${i}@example.com`, first_name: "R" }));
async function issues(promise: Promise<unknown>): Promise<ValidationIssue[]> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return [...(error as ValidationError).issues];
}

describe("input checks compiled from the spec", () => {
  it("reject too many channel members (5) and registrants (30), bad enums, missing fields and bad emails, sending nothing", async () => {
    const client = zoom();
    const tooMany = await issues(client.chatChannels.inviteChannelMembers({ path: { userId: "me", channelId: "c" }, body: { members: members(6) } }));
    expect(tooMany).toContainEqual(expect.objectContaining({ path: "body.members", rule: "maxItems" }));
    const batch = await issues(client.meetings.addBatchRegistrants({ path: { meetingId: 85746065432 }, body: { registrants: registrants(31) } }));
    expect(batch).toContainEqual(expect.objectContaining({ path: "body.registrants", rule: "maxItems" }));
    const action = await issues(
      client.groups.updateGroupMember({ path: { groupId: "g", memberId: "m" }, body: { action: "bogus" as "move" } }),
    );
    expect(action).toContainEqual(expect.objectContaining({ path: "body.action", rule: "enum" }));
    const missing = await issues(client.groups.updateGroupMember({ path: { groupId: "g", memberId: "m" }, body: {} as { action: "move" } }));
    expect(missing).toContainEqual(expect.objectContaining({ path: "body.action", rule: "required" }));
    const email = await issues(
      client.chatChannels.inviteChannelMembers({ path: { userId: "me", channelId: "c" }, body: { members: [{ email: "not-an-email" }] } }),
    );
    expect(email).toContainEqual(expect.objectContaining({ path: "body.members[0].email", rule: "format" }));
    expect(server.count()).toBe(0);
  });

  it("accept the limits themselves, and can be switched off per client or per call", async () => {
    server.otherwise("/v2", json(201, { ids: [], added_at: "2024-01-01T00:00:00Z" }));
    await zoom().chatChannels.inviteChannelMembers({ path: { userId: "me", channelId: "c" }, body: { members: members(5) } });
    await zoom({ validate: false }).chatChannels.inviteChannelMembers({ path: { userId: "me", channelId: "c" }, body: { members: members(6) } });
    await zoom().chatChannels.inviteChannelMembers({ path: { userId: "me", channelId: "c" }, body: { members: members(6) }, validate: false });
    expect(server.count()).toBe(3);
  });
});

describe("path safety through the generated client", () => {
  it("percent-encodes / ? # % and spaces into one segment", async () => {
    server.otherwise("/v2", json(200, {}));
    await zoom().users.getUser({ path: { userId: "a/b?c#d%e f" } });
    expect(server.requests[0]!.rawPath).toBe("/v2/users/a%2Fb%3Fc%23d%25e%20f");
  });

  it("rejects . and .. before sending, and keeps %2e%2e literal", async () => {
    server.otherwise("/v2", json(200, {}));
    for (const value of [".", ".."]) {
      const found = await issues(zoom().users.getUser({ path: { userId: value } }));
      expect(found).toContainEqual(expect.objectContaining({ path: "path.userId", rule: "pathSegment" }));
    }
    expect(server.count()).toBe(0);
    await zoom().users.getUser({ path: { userId: "%2e%2e" } });
    expect(server.requests[0]!.rawPath).toBe("/v2/users/%252e%252e");
  });

  it("double-encodes a meeting UUID that starts with / or contains //", async () => {
    server.otherwise("/v2", json(200, { registrants: [] }));
    const body = { registrants: registrants(1) };
    await zoom().meetings.addBatchRegistrants({ path: { meetingId: "/ajXp112QmuoKj4854875==" }, body });
    await zoom().meetings.addBatchRegistrants({ path: { meetingId: "aj//Xp112==" }, body });
    await zoom().meetings.addBatchRegistrants({ path: { meetingId: 85746065432 }, body });
    expect(server.requests.map((r) => r.rawPath)).toEqual([
      "/v2/meetings/%252FajXp112QmuoKj4854875%253D%253D/batch_registrants",
      "/v2/meetings/aj%252F%252FXp112%253D%253D/batch_registrants",
      "/v2/meetings/85746065432/batch_registrants",
    ]);
  });

  it("rejects header values with CR or LF", async () => {
    await expect(zoom().users.getUser({ path: { userId: "me" }, headers: { "X-Trace": "a\nb" } })).rejects.toBeInstanceOf(ValidationError);
    expect(() => zoom({ headers: { "X-Trace": "a\rb" } })).toThrow(ValidationError);
    expect(server.count()).toBe(0);
  });
});

describe("OAuth through the generated client", () => {
  it("uses the `oauth` option shape of the demo", async () => {
    server.script("/oauth/token", token("gen-token"));
    server.otherwise("/v2", json(200, { id: "me" }));
    const client = createZoomClient({
      oauth: { accountId: "a", clientId: "c", clientSecret: "s3cret-value", tokenUrl: `${server.url}/oauth/token` },
      baseUrl: `${server.url}/v2`,
    });
    await expect(client.users.getUser({ path: { userId: "me" } })).resolves.toEqual({ id: "me" });
    expect(server.requests[1]!.headers["authorization"]).toBe("Bearer gen-token");
  });
});

describe("a mixed-fault run", () => {
  it("ends every one of 200 concurrent calls in data or a typed error: none hangs or is lost, no POST is sent twice", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const faults: Behaviour[] = [
        json(200, { id: "ok" }),
        rateLimited({ retryAfter: "0" }),
        rateLimited({ retryAfter: new Date().toUTCString() }),
        dailyLimit(),
        unavailable(),
        { fault: "reset" },
        { fault: "reset-mid-body", body: JSON.stringify({ pad: "x".repeat(1000) }) },
        json(200, {}, {}, 1500), // slower than the timeout
        truncatedJson(),
        htmlBody(),
        invalidToken(),
        json(404, { code: 1001, message: "User does not exist" }),
      ];
      server.cycle("/v2", ...faults);
      const client = zoom({ timeoutMs: 600, maxConcurrentRequests: 50 });
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          const call =
            i % 2 === 0
              ? client.users.getUser({ path: { userId: `user-${i}` } })
              : client.imGroups.createImGroup({ body: { name: `group-${i}` }, headers: { "X-Call": String(i) } });
          return call.then(
            (data) => ({ ok: true as const, data }),
            (error: unknown) => ({ ok: false as const, error }),
          );
        }),
      );
      const elapsed = performance.now() - started;
      expect(outcomes).toHaveLength(200);
      for (const outcome of outcomes) {
        if (!outcome.ok) expect(outcome.error).toBeInstanceOf(ZoomSdkError);
      }
      const postsPerCall = new Map<string, string[]>();
      for (const r of server.requests.filter((r) => r.method === "POST")) {
        const id = String(r.headers["x-call"]);
        postsPerCall.set(id, [...(postsPerCall.get(id) ?? []), r.answered]);
      }
      // A POST is sent again only after a QPS 429 or a rejected token (401), where Zoom did nothing.
      for (const answers of postsPerCall.values()) {
        for (const earlier of answers.slice(0, -1)) expect(["429", "401"]).toContain(earlier);
      }
      // Under heavy load a POST may time out before it reaches the server; none may arrive twice wrongly.
      expect(postsPerCall.size).toBeLessThanOrEqual(100);
      const repeatedPosts = [...postsPerCall.values()].filter((answers) => answers.length > 1).length;
      const kinds = outcomes.map((o) => (o.ok ? "data" : (o.error as Error).name));
      const tally = Object.fromEntries([...new Set(kinds)].map((k) => [k, kinds.filter((x) => x === k).length]));
      console.info(`mixed faults: 200 calls in ${elapsed.toFixed(0)} ms, ${server.count()} requests; outcomes ${JSON.stringify(tally)}; POSTs repeated: ${repeatedPosts}`);
      expect(kinds.some((k) => k === "data")).toBe(true);
      expect(outcomes.some((o) => !o.ok && (o.error instanceof ApiError || o.error instanceof NetworkError || o.error instanceof TimeoutError))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  it("never repeats a POST after a 5xx, a reset or a timeout", async () => {
    // Counted by a header of this test's own: on a starved event loop, Node's fetch still sends
    // requests of earlier tests' timed-out attempts seconds after those calls ended.
    for (const [name, fault] of [["5xx", unavailable()], ["reset", { fault: "reset" } as const], ["timeout", json(201, {}, {}, 2000)]] as const) {
      await server.isolate();
      server.otherwise("/v2", fault);
      const headers = { "X-Case": `never-repeats-${name}` };
      await expect(zoom({ timeoutMs: 300 }).imGroups.createImGroup({ body: { name: "n" }, headers })).rejects.toBeInstanceOf(ZoomSdkError);
      const sent = server.requests.filter((request) => request.headers["x-case"] === headers["X-Case"]);
      expect(sent.length).toBeLessThanOrEqual(1); // 0 only if a loaded machine timed out before sending
    }
  });
});
