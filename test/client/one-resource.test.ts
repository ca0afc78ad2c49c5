/**
 * One resource on the core runtime: `createUsersResource(createZoomClientCore(options))` calls like
 * `zoom.users`, and a bundle of it keeps the users operations only (no other operation's spec or input
 * schema, no openapi-fetch), which is what lets a one-call bundle stay the same size however many
 * operations the spec has.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { createZoomClientCore, ValidationError } from "../../generated/index.js";
import { createUsersResource } from "../../generated/resources/users.js";
import { json, useFaultServer, type FaultServer } from "../support/fault-server.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let server: FaultServer;
useFaultServer((started) => (server = started));

describe("a resource on createZoomClientCore", () => {
  it("calls, validates and decodes as the full client does", async () => {
    server.otherwise("/v2/users/me", json(200, { id: "u1", email: "me@example.com" }));
    const users = createUsersResource(createZoomClientCore({ accessToken: "tok", baseUrl: `${server.url}/v2` }));
    const result = await users.getUser({ path: { userId: "me" }, query: { login_type: 100 } }).withResponse();
    expect(result.data).toEqual({ id: "u1", email: "me@example.com" });
    expect(result.status).toBe(200);
    // @ts-expect-error 7 is not one of Zoom's login types: the core keeps input validation
    const invalid = await users.getUser({ path: { userId: "me" }, query: { login_type: 7 } }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(server.count("/v2/users")).toBe(1);
  });

  it("bundles without the other resources' operations and without openapi-fetch", async () => {
    const importer = [
      `import { createZoomClientCore } from ${JSON.stringify(path.join(ROOT, "generated/client.ts"))};`,
      `import { createUsersResource } from ${JSON.stringify(path.join(ROOT, "generated/resources/users.ts"))};`,
      `createUsersResource(createZoomClientCore({ accessToken: "t" })).getUser({ path: { userId: "me" } });`,
    ].join("\n");
    const result = await build({
      stdin: { contents: importer, resolveDir: ROOT, loader: "ts" },
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
      // The runtime package's sources, as in the rest of the repository's tests (no build needed).
      conditions: ["@zoomgen/source"],
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain('"/users/{userId}"');
    for (const other of ["/im/groups", "/groups/{groupId}/members", "/meetings/{meetingId}/batch_registrants", "/chat/users/{userId}/channels"]) {
      expect(code).not.toContain(`"${other}`);
    }
    // Files that contributed code (the metafile also lists files that were read and then shaken off entirely).
    const output = Object.values(result.metafile.outputs)[0]!;
    const shipped = Object.entries(output.inputs).filter(([, info]) => info.bytesInOutput > 0).map(([file]) => file);
    expect(shipped.some((file) => file.endsWith("resources/users.ts"))).toBe(true);
    expect(shipped.some((file) => file.includes("node_modules/openapi-fetch"))).toBe(false);
    expect(shipped.some((file) => file.endsWith("resources/meetings.ts"))).toBe(false);
  });
});
