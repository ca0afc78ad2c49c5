/**
 * The runtime bench's server in a process of its own: THE replay server (test/support/replay-server.ts,
 * `record: false`) serving the recorded 200 of the `get-a-user` Postman item on 127.0.0.1. Prints
 * `{"url": ...}` once listening, and closes when its stdin ends (the bench ends or dies).
 */
import { loadFixtures, replayOf } from "../test/support/postman.js";
import { startReplayServer } from "../test/support/replay-server.js";

const recorded = loadFixtures()
  .find((f) => f.file === "get-a-user.json")
  ?.item.response.find((r) => r.code === 200);
if (!recorded?.body) {
  process.stderr.write("test/fixtures/postman/get-a-user.json has no recorded 200 response with a body\n");
  process.exit(1);
}
const server = await startReplayServer({ record: false, response: replayOf(recorded) });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.resume();
process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
