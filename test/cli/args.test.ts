/**
 * Value-taking options accept a following token that starts with `-` as their value, so that the
 * option's own check judges `--budget -5%` or `--jobs -1` (InputError naming the option) instead of
 * parseArgs calling the argument ambiguous.
 */
import { describe, expect, it } from "vitest";
import { attachDashValues } from "../../src/cli/args.js";
import { commands } from "../../src/cli/commands/index.js";
import { withFlagPaths } from "../../src/cli/flags.js";
import { InputError } from "../../src/errors.js";

const chain = "instances/examples/chain.json";
const quiet = { out: () => undefined, err: () => undefined };

/** The issues (code, path) of the InputError that `remat NAME ARGS` throws, as the CLI prints them. */
async function issues(name: string, ...args: string[]): Promise<[string, string][]> {
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) throw new Error(`no command ${name}`);
  const error = await command.run(args, quiet).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, `${name} ${args.join(" ")}`).toBeInstanceOf(InputError);
  return withFlagPaths(error as InputError).issues.map((issue) => [issue.code, issue.path]);
}

describe("negative option values", () => {
  it("reach the option's own check, which names the option", async () => {
    const batch = ["--instances", chain, "--budgets", "100%", "--solvers", "store-all", "--out", "x.jsonl"];
    const cases: [string, string[], string][] = [
      ["solve", [chain, "--solver", "store-all", "--budget", "-5%"], "--budget"],
      ["solve", [chain, "--solver", "store-all", "--slots", "-1"], "--slots"],
      ["solve", [chain, "--solver", "store-all", "--time-limit", "-2"], "--time-limit"],
      ["batch", [...batch, "--jobs", "-1"], "--jobs"],
      ["batch", [...batch, "--slots", "-1"], "--slots"],
      [
        "batch",
        ["--instances", chain, "--budgets", "-5%", "--solvers", "store-all", "--out", "x.jsonl"],
        "--budgets",
      ],
      ["demo", ["--time-limit", "-1"], "--time-limit"],
      ["zoo", ["generate", "mlp", "--batch", "-4", "--out", "x.json"], "--batch"],
    ];
    for (const [name, args, option] of cases) {
      const found = await issues(name, ...args);
      expect(found, `${name} ${args.join(" ")}`).toEqual([["option", option]]);
    }
  });

  it("leave a following option alone, so a forgotten value is still reported as missing", () => {
    const options = { out: { type: "string" }, json: { type: "boolean" } } as const;
    expect(attachDashValues(["--out", "--json"], options)).toEqual(["--out", "--json"]);
    expect(attachDashValues(["--out", "-"], options)).toEqual(["--out=-"]);
    expect(attachDashValues(["--out", "-x", "--", "--out", "-y"], options)).toEqual([
      "--out=-x",
      "--",
      "--out",
      "-y",
    ]);
    expect(attachDashValues(["--json", "-1"], options)).toEqual(["--json", "-1"]);
  });
});

describe("batch options", () => {
  const base = ["--instances", chain, "--budgets", "100%", "--out", "never-written.jsonl"];

  it("refuse a switch or --slots that none of the batch's solvers reads", async () => {
    expect(
      await issues("batch", ...base, "--solvers", "store-all,chen-sqrt", "--extra", "spanWork=1"),
    ).toEqual([["option", "--extra spanWork"]]);
    expect(await issues("batch", ...base, "--solvers", "store-all", "--slots", "100")).toEqual([
      ["option", "--slots"],
    ]);
  });
});
