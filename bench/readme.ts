/**
 * Rewrites the README's generated benchmark blocks from bench/results/*.json (bench/readme-blocks.ts).
 * Run after a benchmark: npx tsx bench/readme.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { withBlocks } from "./readme-blocks.js";

const path = new URL("../README.md", import.meta.url);
writeFileSync(path, withBlocks(readFileSync(path, "utf8")));
process.stdout.write("README.md: generated blocks rewritten from bench/results\n");
