/**
 * Queue addresses: `redis://[USER:PASSWORD@]HOST:PORT/NAME` names a Redis server and a queue on it
 * (`rediss://` for TLS). The queue name is one path segment of letters, digits, `.`, `_` and `-`
 * (BullMQ keys are `bull:NAME:...`, and `:` would split them).
 */
import { describeValue, InputError } from "../errors.js";

/** A parsed queue address. */
export interface QueueTarget {
  /** The address as given, with any password replaced by `***` (for messages). */
  readonly shown: string;
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  /** The BullMQ queue name. */
  readonly name: string;
}

/** Redis's own default port, used when the address names none. */
const DEFAULT_PORT = 6379;

const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Parses a queue address.
 * @param text the address, e.g. `redis://127.0.0.1:6379/sweep`
 * @param site the command, e.g. `remat batch`
 * @param path the option that gave it, e.g. `--queue`
 * @throws InputError (code `option`, at `path`) for another scheme, a missing host or queue name, a bad
 *   port, a query or fragment, or a name with other characters
 */
export function parseQueueUrl(text: string, site: string, path = "--queue"): QueueTarget {
  const refuse = (expected: string, received: string): never => {
    throw new InputError(site, [{ code: "option", path, expected, received }]);
  };
  const shape = "an address redis://HOST:PORT/NAME (rediss:// for TLS)";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(shape, describeValue(text));
  }
  const shown = url.password === "" ? text : text.replace(`:${url.password}@`, ":***@");
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    refuse(shape, `the scheme ${describeValue(url.protocol.replace(/:$/, ""))} (${shown})`);
  if (url.hostname === "") refuse(`${shape} with a host`, `no host (${shown})`);
  if (url.search !== "" || url.hash !== "")
    refuse(`${shape} without ?query or #fragment`, describeValue(shown));
  const name = url.pathname.replace(/^\//, "");
  if (name === "") refuse(`${shape} with a queue name`, `no queue name (${shown})`);
  if (!NAME.test(name))
    refuse(`a queue name of letters, digits, ".", "_" and "-" (${shape})`, describeValue(name));
  const port = url.port === "" ? DEFAULT_PORT : Number(url.port);
  if (port < 1) refuse(`${shape} with a port from 1 to 65535`, `port ${url.port} (${shown})`);
  return {
    shown,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    ...(url.username === "" ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === "" ? {} : { password: decodeURIComponent(url.password) }),
    tls: url.protocol === "rediss:",
    name,
  };
}
