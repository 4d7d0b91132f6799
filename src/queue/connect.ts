/**
 * Reaching the Redis server of a queue: one probe with a bounded wait (so a wrong host or a server that
 * is down gives a clear message within seconds, not endless reconnects), then the connection options
 * BullMQ opens its own connections with.
 */
import { type ConnectionOptions, Queue } from "bullmq";
import { Redis } from "ioredis";
import { InputError } from "../errors.js";
import type { QueueTarget } from "./url.js";

/** How long the probe waits for the server to answer, milliseconds. */
export const CONNECT_WAIT_MS = 3000;

/**
 * The options BullMQ connects with: the target's host, port, credentials and TLS, no limit on retries
 * per request (BullMQ's workers require it: a blocking wait must survive a reconnect).
 */
export function connectionOptions(target: QueueTarget): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Checks that the target's Redis server answers a PING within `waitMs`.
 * @param site the command, e.g. `remat worker`
 * @throws InputError (code `option`, path `--queue`) naming the address and what went wrong (refused,
 *   unknown host, no answer in time, authentication)
 */
export async function probeServer(
  target: QueueTarget,
  site: string,
  waitMs = CONNECT_WAIT_MS,
): Promise<void> {
  const client = new Redis({
    host: target.host,
    port: target.port,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: {} } : {}),
    lazyConnect: true,
    connectTimeout: waitMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError = "";
  client.on("error", (error: Error) => {
    lastError = error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${waitMs / 1000} s`)), waitMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
  } catch (error) {
    const reason = lastError || (error as Error).message;
    throw new InputError(site, [
      {
        code: "option",
        path: "--queue",
        expected: `a reachable Redis server at ${target.shown} (start one with redis-server --port ${target.port})`,
        received: reason,
      },
    ]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** The BullMQ queue the target names (the caller closes it). */
export function openQueue(target: QueueTarget): Queue {
  return new Queue(target.name, { connection: connectionOptions(target) });
}
