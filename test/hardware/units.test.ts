/**
 * Link figures as users write them: bandwidths in bytes/ms or with a byte unit per second or per ms,
 * latencies in ms or with a time unit; anything else is an InputError (code `option`) at the path given.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseBandwidth, parseLatency } from "../../src/hardware/index.js";

function refusal(read: () => unknown): [string, string][] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues.map((issue) => [issue.code, issue.path]);
  }
  throw new Error("no error");
}

describe("parseBandwidth", () => {
  it.each([
    [25e6, 25e6],
    ["25e6", 25e6],
    ["25GB/s", 25e6],
    ["25 GB/s", 25e6],
    ["40MB/s", 40e3],
    ["4616.51kB/s", 4616.51],
    ["2GiB/s", (2 * 1024 ** 3) / 1000],
    ["25MB/ms", 25e6],
    ["1B/ms", 1],
    ["1000B/s", 1],
  ])("reads %o as %d bytes/ms", (text, bytesPerMs) => {
    expect(parseBandwidth(text, "hardware.bandwidth", "test")).toBeCloseTo(bytesPerMs, 9);
  });

  it.each([
    0,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "0GB/s",
    "-5GB/s",
    "25Gb/s",
    "25GB",
    "25gb/s",
    "25GB/h",
    "fast",
    "",
    "1e999",
    null,
  ])("refuses %o, naming the path", (value) => {
    expect(refusal(() => parseBandwidth(value, "--bandwidth", "test"))).toEqual([["option", "--bandwidth"]]);
  });
});

describe("parseLatency", () => {
  it.each([
    [0, 0],
    ["0", 0],
    [0.01, 0.01],
    ["0.11ms", 0.11],
    ["10us", 0.01],
    ["10µs", 0.01],
    ["500ns", 0.0005],
    ["1e-5s", 0.01],
    ["2 s", 2000],
  ])("reads %o as %d ms", (text, ms) => {
    expect(parseLatency(text, "hardware.latency", "test")).toBeCloseTo(ms, 12);
  });

  it.each([-1, "-0.5", Number.NaN, Number.POSITIVE_INFINITY, "1e16", "10 min", "10m", "soon", "", true])(
    "refuses %o, naming the path",
    (value) => {
      expect(refusal(() => parseLatency(value, "--latency", "test"))).toEqual([["option", "--latency"]]);
    },
  );
});
