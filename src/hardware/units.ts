/**
 * Link figures written by a user: a bandwidth in bytes/ms, or with a unit per second or per ms
 * (`16GB/s`, `450e6`, `40MB/s`, `2.5GiB/s`); a latency in ms, or with a time unit (`10us`, `0.11ms`,
 * `1e-5s`). Units are case-sensitive where case matters: `B` is a byte, and `b` (a bit) is refused
 * rather than read as a byte. Decimal prefixes are powers of 1000, binary ones (`KiB`) of 1024.
 */
import { describeValue, InputError } from "../errors.js";
import { MAX_TOTAL_MS } from "../instance/limits.js";

/** Bytes per prefix of a byte unit. */
const BYTE_PREFIX: Readonly<Record<string, number>> = {
  "": 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Milliseconds per time unit. */
const MS_PER: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3 };

const NUMBER = "([0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?)";
const BANDWIDTH_PATTERN = new RegExp(`^\\s*${NUMBER}\\s*(?:(k|K|M|G|T|Ki|Mi|Gi|Ti)?B/(s|ms))?\\s*$`);
const LATENCY_PATTERN = new RegExp(`^\\s*${NUMBER}\\s*(ns|us|µs|ms|s)?\\s*$`);

/** What a bandwidth must be, as issues say it. */
export const BANDWIDTH_EXPECTED =
  "a positive finite bandwidth: bytes/ms (25e6), or bytes with a unit per second or per ms (25GB/s, 40MB/s, 2GiB/s, 25MB/ms)";

/** What a latency must be, as issues say it. */
export const LATENCY_EXPECTED = `a latency >= 0 and at most ${MAX_TOTAL_MS} ms: ms (0.01), or with a unit (10us, 0.11ms, 1e-5s, 500ns)`;

function optionError(site: string, path: string, expected: string, received: unknown): InputError {
  return new InputError(site, [{ code: "option", path, expected, received: describeValue(received) }]);
}

/**
 * Reads a bandwidth: a number is bytes/ms; text may carry a unit (see the module comment).
 *
 * @param value e.g. `25e6`, `"25e6"`, `"25GB/s"`
 * @param path the option it came from, for the error (`hardware.bandwidth`)
 * @param site the function or command reading it
 * @returns bytes per ms, positive and finite
 * @throws InputError (code `option`) for anything else: zero, negative, not finite, an unknown unit, bits
 */
export function parseBandwidth(value: unknown, path: string, site: string): number {
  let bytesPerMs = Number.NaN;
  if (typeof value === "number") bytesPerMs = value;
  else if (typeof value === "string") {
    const match = BANDWIDTH_PATTERN.exec(value);
    if (match !== null) {
      const amount = Number(match[1]);
      const perMs = match[3] === undefined ? 1 : match[3] === "ms" ? 1 : 1e-3;
      bytesPerMs = amount * (BYTE_PREFIX[match[2] ?? ""] ?? Number.NaN) * perMs;
    }
  }
  if (!(Number.isFinite(bytesPerMs) && bytesPerMs > 0))
    throw optionError(site, path, BANDWIDTH_EXPECTED, value);
  return bytesPerMs;
}

/**
 * Reads a latency: a number is ms; text may carry a time unit (see the module comment).
 *
 * @param value e.g. `0.01`, `"0.01"`, `"10us"`
 * @param path the option it came from, for the error (`hardware.latency`)
 * @param site the function or command reading it
 * @returns ms, >= 0 and at most 1e15 (the instance format's limit on times, src/instance/limits.ts)
 * @throws InputError (code `option`) for anything else: negative, not finite, beyond the limit, an unknown unit
 */
export function parseLatency(value: unknown, path: string, site: string): number {
  let ms = Number.NaN;
  if (typeof value === "number") ms = value;
  else if (typeof value === "string") {
    const match = LATENCY_PATTERN.exec(value);
    if (match !== null) ms = Number(match[1]) * (MS_PER[match[2] ?? "ms"] ?? Number.NaN);
  }
  if (!(Number.isFinite(ms) && ms >= 0 && ms <= MAX_TOTAL_MS))
    throw optionError(site, path, LATENCY_EXPECTED, value);
  return ms;
}
