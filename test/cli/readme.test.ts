/**
 * The documented CLI steps work: every cheap command of the README's "Command line" block and every
 * example in the commands' --help texts runs, in order, and exits 0, and no documented solve answers
 * `infeasible`. Commands that take seconds (a full-size graph-mincut solve, the zoo batch, profiling
 * and what depends on its output) are listed by name and skipped, and the list is checked to match
 * exactly those. The LICENSE is the MIT license package.json names.
 */
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.js";
import { bin, ROOT, tempFolder } from "./run.js";

/** Commands of the README that take seconds, by a part of their text. */
const EXPENSIVE = [
  "resnet-50-b32-224-op.json --budget 50% --solver graph-mincut",
  "'instances/zoo/*-op.json'",
  "profile --model resnet-18 --batch 4",
  "profile --model resnet-18 --batches",
  "solve r18.json",
  "simulate r18.json",
  "predict r18-lines.json",
  "--batch-model r18-lines.json",
];

/** Shell words of one command line: single and double quotes, `#` comments. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word = (word ?? "") + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word = word ?? "";
    } else if (char === " " || char === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "#" && word === undefined) break;
    else word = (word ?? "") + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The command lines of the README's "Command line" block (continuations joined), with their text. */
function readmeCommands(): { text: string; words: string[] }[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Command line"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((text) => ({ text, words: shellWords(text) }));
}

/** `remat ...` examples of every --help text: `Example: remat ...` and the lines under `Examples:`. */
function helpExamples(): string[][] {
  const examples: string[][] = [];
  for (const command of commands) {
    let inExamples = false;
    for (const line of command.help.split("\n")) {
      const inline = /^Example: (remat .*)$/.exec(line);
      if (inline !== undefined && inline !== null) examples.push(shellWords(inline[1] as string));
      if (/^Examples:/.test(line)) inExamples = true;
      else if (inExamples && /^\s+remat /.test(line)) examples.push(shellWords(line.trim()));
      else if (inExamples) inExamples = false;
    }
  }
  return examples;
}

describe("documented CLI steps", () => {
  const folder = tempFolder("remat-readme-");
  symlinkSync(join(ROOT, "instances"), join(folder, "instances"));

  it("run as the README shows them, each cheap one exiting 0", () => {
    const lines = readmeCommands();
    expect(lines.length).toBeGreaterThan(10);
    const skipped = lines.filter((line) => EXPENSIVE.some((part) => line.text.includes(part)));
    for (const part of EXPENSIVE)
      expect(
        skipped.some((line) => line.text.includes(part)),
        part,
      ).toBe(true);
    expect(skipped).toHaveLength(EXPENSIVE.length);
    for (const line of lines) {
      expect(line.words.slice(0, 2), line.text).toEqual(["npx", "remat"]);
      if (skipped.includes(line)) continue;
      const run = bin(line.words.slice(2), { cwd: folder });
      expect(run.code, `${line.text}\n${run.err}`).toBe(0);
      if (line.words[2] === "solve") expect(run.out, line.text).not.toMatch(/infeasible/);
    }
  });

  it("include --help examples that run and exit 0", () => {
    const examples = helpExamples();
    expect(examples.map((words) => words[1])).toEqual(expect.arrayContaining(["solve", "zoo"]));
    for (const words of examples) {
      expect(words[0]).toBe("remat");
      const run = bin(words.slice(1), { cwd: folder });
      expect(run.code, `${words.join(" ")}\n${run.err}`).toBe(0);
      if (words[1] === "solve") expect(run.out, words.join(" ")).not.toMatch(/infeasible/);
    }
  });
});

describe("the license", () => {
  it("is the MIT license package.json names, held by the remat developers", () => {
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).license).toBe("MIT");
    expect(license.split("\n")[0]).toBe("MIT License");
    expect(license).toMatch(/^Copyright \(c\) \d{4} remat developers$/m);
    expect(license).toContain("Permission is hereby granted, free of charge");
  });
});
