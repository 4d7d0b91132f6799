/**
 * A throwaway Redis for the queue tests: Debian's `redis-server` on a free port of 127.0.0.1, without
 * persistence, stopped when the tests end. A machine without it fails the tests with what to install
 * (.ci/run installs it); the tests are never skipped.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** A running server. */
export interface RedisServer {
  readonly port: number;
  /** The address of queue `name` on it. */
  readonly url: (name: string) => string;
  /** Stops the server and waits for it to exit. */
  readonly stop: () => Promise<void>;
}

/** A port nobody listens on right now (the system's choice for a socket bound to port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** How long a fresh server gets to answer PING, milliseconds. */
const READY_MS = 10_000;

/** Starts `redis-server` on a free port and waits until it answers. @throws Error when it is not installed */
export async function startRedis(): Promise<RedisServer> {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0)
    throw new Error(
      "redis-server is missing: the queue tests need Debian's redis-server " +
        "(apt-get install -y redis-server; .ci/run installs it when missing)",
    );
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitForPing(port);
  return {
    port,
    url: (name) => `redis://127.0.0.1:${port}/${name}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitForPing(port: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() - started > READY_MS)
        throw new Error(`redis-server on port ${port} did not answer: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}
