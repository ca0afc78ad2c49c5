/**
 * One "process" of a fleet for test/runtime/zoom-user-oauth.test.ts: a user-OAuth helper over a shared
 * file store. Prints "ready", waits for a line on stdin, makes N concurrent getAccessToken calls for
 * one user, and prints the tokens (or errors) it got as JSON.
 *
 *   tsx test/support/user-oauth-worker.ts <storeDir> <serverUrl> <calls> <lock|nolock>
 */
import { createZoomUserOAuth } from "../../generated/index.js";
import { fileTokenStore } from "./file-token-store.js";

const [storeDir, serverUrl, calls, lock] = process.argv.slice(2);
const oauth = createZoomUserOAuth({
  clientId: "client-id-1",
  clientSecret: "client-secret-XYZ",
  redirectUri: "https://app.example.com/zoom/callback",
  tokenUrl: `${serverUrl}/oauth/token`,
  tokenStore: fileTokenStore(storeDir!, { lock: lock === "lock" }),
});
process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  const results = await Promise.all(
    Array.from({ length: Number(calls) }, () => oauth.getAccessToken("u1").catch((error: Error) => `error: ${error.message}`)),
  );
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exit(0);
});
