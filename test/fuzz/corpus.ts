/**
 * The fuzz corpus, generated: every mutation of test/fuzz/instance-mutations.ts and test/fuzz/mutations.ts applied to every base (the
 * bundled example instances, a few small generated ones, and their store-all schedule files), plus
 * malformed option sets on valid files. Each case is a CLI invocation and what its error must name.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomChain, randomLayeredDag, randomSeriesParallel } from "../../src/generate/families.js";
import { parseInstance } from "../../src/instance/parse.js";
import { storeAllSchedule } from "../../src/schedule/builders.js";
import { scheduleDocument } from "../../src/schedule/file.js";
import { formatSchedule } from "../../src/schedule/text.js";
import { instanceMutations } from "./instance-mutations.js";
import { type Doc, scheduleMutations } from "./mutations.js";

/** One CLI run that must be refused as bad input. */
export interface FuzzCase {
  readonly name: string;
  readonly args: readonly string[];
  /** The file the message must name, when the bad input is a file. */
  readonly file?: string;
  /** The JSON path or option the message must name as the issue (`""` is the document itself). */
  readonly path: string | RegExp;
}

/** A valid instance document and the file it was written to. */
interface Base {
  readonly label: string;
  readonly doc: Doc;
  readonly file: string;
  readonly scheduleDoc: Doc;
  readonly scheduleFile: string;
}

const examplesFolder = new URL("../../instances/examples/", import.meta.url);

/** The bases: every bundled example, and three small generated instances of the other families. */
function baseDocuments(): { label: string; doc: Doc }[] {
  const examples = readdirSync(examplesFolder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({
      label: name,
      doc: JSON.parse(readFileSync(new URL(name, examplesFolder), "utf8")) as Doc,
    }));
  const generated = [randomChain(7, 5), randomLayeredDag(11, 3, 3), randomSeriesParallel(13, 8)].map(
    (instance) => ({ label: `${instance.name}.json`, doc: JSON.parse(JSON.stringify(instance)) as Doc }),
  );
  return [...examples, ...generated];
}

/** Writes the bases and every mutant into a fresh temporary folder and returns the cases. */
export function buildCorpus(): { folder: string; bases: readonly Base[]; cases: readonly FuzzCase[] } {
  const folder = mkdtempSync(join(tmpdir(), "remat-fuzz-"));
  const write = (name: string, text: string): string => {
    const path = join(folder, name.replace(/[^A-Za-z0-9.]+/g, "-"));
    writeFileSync(path, text);
    return path;
  };
  const bases: Base[] = baseDocuments().map(({ label, doc }) => {
    const instance = parseInstance(doc, label);
    const scheduleDoc = scheduleDocument(instance.name, formatSchedule(storeAllSchedule(instance))) as Doc;
    return {
      label,
      doc,
      file: write(label, JSON.stringify(doc)),
      scheduleDoc,
      scheduleFile: write(`schedule-${label}`, JSON.stringify(scheduleDoc)),
    };
  });
  const cases: FuzzCase[] = [];
  bases.forEach((base, b) => {
    instanceMutations.forEach((mutation, m) => {
      const mutant = mutation.apply(base.doc);
      if (mutant === undefined) return;
      const file = write(`i${b}-${m}-${mutation.name}.json`, mutant.text);
      cases.push({
        name: `solve on ${base.label} with ${mutation.name}`,
        args: ["solve", file, "--solver", "store-all", "--budget", "80%"],
        file,
        path: mutant.path,
      });
    });
    scheduleMutations.forEach((mutation, m) => {
      const mutant = mutation.apply(base.scheduleDoc);
      if (mutant === undefined) return;
      const file = write(`s${b}-${m}-${mutation.name}.json`, mutant.text);
      cases.push({
        name: `evaluate on the store-all schedule of ${base.label} with ${mutation.name}`,
        args: ["evaluate", base.file, file],
        file,
        path: mutant.path,
      });
    });
  });
  return { folder, bases, cases: [...cases, ...optionCases(bases, folder)] };
}

/** Malformed option sets on valid files: each names the option the message must name. */
function optionCases(bases: readonly Base[], folder: string): FuzzCase[] {
  const base = bases[0] as Base;
  const solve = (...rest: string[]) => ["solve", base.file, "--solver", "store-all", ...rest];
  const batch = (...rest: string[]) => [
    "batch",
    "--instances",
    base.file,
    "--budgets",
    "50%",
    "--solvers",
    "store-all",
    "--out",
    join(folder, "results.jsonl"),
    ...rest,
  ];
  const cases: [string, string[], string | RegExp][] = [];
  for (const budget of ["-5%", "1e999%", "12 parsecs", "1e30GB", "1e400", "0", "0%", "50%%", "", "NaN"])
    cases.push([`solve with --budget ${JSON.stringify(budget)}`, solve("--budget", budget), "--budget"]);
  for (const slots of ["0", "1.5", "abc", "-3", "1e999"])
    cases.push([`solve with --slots ${slots}`, solve("--slots", slots), "--slots"]);
  for (const limit of ["0", "abc", "-1", "Infinity"])
    cases.push([`solve with --time-limit ${limit}`, solve("--time-limit", limit), "--time-limit"]);
  for (const jobs of ["0", "abc", "2.5", "-2"])
    cases.push([`batch with --jobs ${jobs}`, batch("--jobs", jobs), "--jobs"]);
  cases.push(
    ["batch with --budgets 1e999%", [...batch().slice(0, 4), "1e999%", ...batch().slice(5)], "--budgets"],
    ["solve with an unknown option", solve("--frobnicate"), /--frobnicate/],
    ["solve with --budget missing its value", solve("--budget"), /--budget/],
    ["solve with --slots missing its value", solve("--slots"), /--slots/],
    ["solve with an unknown solver", solve("--solver", "nope"), "--solver"],
    ["solve with an unknown objective", solve("--objective", "fast"), "--objective"],
    ["solve without --solver", ["solve", base.file], "--solver"],
    ["solve with an --extra switch without =", solve("--extra", "foo"), "--extra"],
    [
      "solve with --checkpoints from a missing file",
      ["solve", base.file, "--solver", "checkpoints", "--checkpoints", `@${join(folder, "absent.txt")}`],
      "--checkpoints",
    ],
    ["solve with a second instance", solve(base.file), "arguments"],
    ["evaluate without a schedule", ["evaluate", base.file], "SCHEDULE_OR_RESULT"],
    ["an unknown command", ["frobnicate"], /frobnicate/],
  );
  const fileCases: FuzzCase[] = [
    {
      name: "solve on a missing file",
      args: solve().map((a) => (a === base.file ? join(folder, "absent.json") : a)),
      file: join(folder, "absent.json"),
      path: "",
    },
    {
      name: "solve on a folder",
      args: solve().map((a) => (a === base.file ? folder : a)),
      file: folder,
      path: "",
    },
    {
      name: "evaluate with a missing schedule file",
      args: ["evaluate", base.file, join(folder, "absent.json")],
      file: join(folder, "absent.json"),
      path: "",
    },
  ];
  return [...cases.map(([name, args, path]) => ({ name, args, path })), ...fileCases];
}
