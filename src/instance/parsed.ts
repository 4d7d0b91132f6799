/**
 * Which objects are validated instances: `parseInstance` marks every instance it returns, so library
 * entry points can refuse a plain object (an unparsed JSON document, a hand-built literal) with an
 * InputError instead of failing later with a TypeError deep inside a solver.
 */
import { describeValue, InputError } from "../errors.js";
import type { Instance } from "./types.js";

const parsed = new WeakSet<object>();

/** Records that `instance` came out of `parseInstance` (called by the parser only). */
export function markParsed(instance: Instance): Instance {
  parsed.add(instance);
  return instance;
}

/** Whether `value` is an instance returned by `parseInstance` or `loadInstance`. */
export function isParsedInstance(value: unknown): value is Instance {
  return typeof value === "object" && value !== null && parsed.has(value);
}

/**
 * @param site the library function called, for the message
 * @throws InputError (code `type`, path `instance`) when `value` is not a parsed instance
 */
export function requireInstance(value: unknown, site: string): asserts value is Instance {
  if (isParsedInstance(value)) return;
  throw new InputError(site, [
    {
      code: "type",
      path: "instance",
      expected: "an instance returned by parseInstance or loadInstance (parse JSON documents first)",
      received: describeValue(value),
    },
  ]);
}
