/**
 * A real `redis-server` for tests: on 127.0.0.1, a free port, its own temporary folder, no persistence.
 * When redis-server is not installed the tests fail with a message saying how to install it (CI's
 * .ci/run installs it): a Redis test never skips silently.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

export function requireRedisServer(): void {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      "redis-server is not installed, and the Redis tests need a real one. Install it with " +
        "`apt-get update && apt-get install -y redis-server` (.ci/run does this when it is missing).",
    );
  }
}

/** A port that was free a moment ago (redis-server cannot be asked for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  requireRedisServer();
  const dir = await mkdtemp(path.join(os.tmpdir(), "zoomgen-redis-"));
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ready = await waitForReady(child);
    if (ready === true) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        async stop() {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (tries >= 3) throw new Error(`redis-server did not start: ${ready}`);
  }
}

function waitForReady(child: ChildProcess): Promise<true | string> {
  return new Promise((resolve) => {
    let output = "";
    const timer = setTimeout(() => finish(`no "Ready to accept connections" within 10 s:\n${output}`), 10_000);
    const finish = (result: true | string) => {
      clearTimeout(timer);
      child.stdout?.removeAllListeners("data");
      resolve(result);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) finish(true);
    });
    child.once("exit", (code) => finish(`exited with code ${code}:\n${output}`));
  });
}
