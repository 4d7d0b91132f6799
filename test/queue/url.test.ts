/** Queue addresses (src/queue/url.ts): what is read from them and what is refused, with its path. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseQueueUrl } from "../../src/queue/url.js";

/** The issue a bad address gives. */
function issueOf(text: string) {
  try {
    parseQueueUrl(text, "remat batch");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues[0];
  }
  throw new Error(`${text} was accepted`);
}

describe("parseQueueUrl", () => {
  it("reads the host, port and queue name of redis://HOST:PORT/NAME", () => {
    expect(parseQueueUrl("redis://10.0.0.7:6390/sweep-1", "remat batch")).toEqual({
      shown: "redis://10.0.0.7:6390/sweep-1",
      host: "10.0.0.7",
      port: 6390,
      tls: false,
      name: "sweep-1",
    });
  });

  it("takes Redis's port 6379 when none is given, and rediss:// as TLS", () => {
    const target = parseQueueUrl("rediss://cache.example/q", "remat worker");
    expect([target.port, target.tls, target.host]).toEqual([6379, true, "cache.example"]);
  });

  it("reads credentials but never shows the password", () => {
    const target = parseQueueUrl("redis://me:s3cret@127.0.0.1:6379/q", "remat batch");
    expect([target.username, target.password]).toEqual(["me", "s3cret"]);
    expect(target.shown).toBe("redis://me:***@127.0.0.1:6379/q");
  });

  it("reads an IPv6 host without its brackets", () => {
    expect(parseQueueUrl("redis://[::1]:7000/q", "remat batch").host).toBe("::1");
  });

  it.each([
    ["not a url", "no URL"],
    ["http://127.0.0.1:6379/q", "another scheme"],
    ["redis://127.0.0.1:6379", "no queue name"],
    ["redis://127.0.0.1:6379/", "an empty queue name"],
    ["redis://127.0.0.1:6379/a:b", "a colon in the name"],
    ["redis://127.0.0.1:6379/a/b", "a slash in the name"],
    ["redis://127.0.0.1:0/q", "port 0"],
    ["redis://127.0.0.1:70000/q", "a port above 65535"],
    ["redis://127.0.0.1:6379/q?db=2", "a query"],
  ])("refuses %s (%s) as an option issue at --queue", (text) => {
    expect(issueOf(text)).toMatchObject({ code: "option", path: "--queue" });
  });
});
