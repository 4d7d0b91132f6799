import { stageCandidates } from "./solvers/pipeline/ilp-candidates.js";
import { jointStages, solveMicrobatchPhase } from "./solvers/pipeline/ilp-microbatch.js";
import { solvePipelineAsync } from "./solvers/pipeline/solve.js";
import { menuFor } from "./solvers/pipeline/menus.js";
import { parseInstance } from "./src/instance/parse.js";
import { pipelineProblem } from "./src/pipeline/problem.js";
import { generateInstance } from "./src/zoo/generate.js";
import { NO_DEADLINE } from "./src/time-limit.js";
import { readFileSync } from "node:fs";
const data = JSON.parse(readFileSync("bench/results/pipeline-elf.json", "utf8"));
const [zoo, P, kind, m, share] = process.argv.slice(2);
const c = data.cells.find((c: any) => c.network === zoo && c.devices === Number(P) && c.schedule === kind && c.microbatches === Number(m) && c.share === Number(share));
const config = zoo === "gpt2-small" ? { batch: 8, seq: 1024 } : { batch: 32, inputSize: 224 };
const instance = parseInstance(generateInstance({ zoo: zoo!, config, level: "block" }).document);
const problem = pipelineProblem(instance, { devices: Number(P), memory: c.memory, microbatches: Number(m), schedule: kind!, link: { bandwidth: "25GB/s", latency: "5us" } });
const list = stageCandidates(problem, menuFor(problem, { slots: 200, checkpointing: true, timeLimitSec: Infinity }, NO_DEADLINE), true, NO_DEADLINE).list;
for (let p = 1; p <= Number(P); p++) {
  const stages = jointStages(problem, list, p);
  const t = performance.now();
  const r = await solveMicrobatchPhase(problem, stages, "highs", 90);
  console.log("p", p, r.verdict, r.stepMs, r.boundMs, "binaries", r.binaries, ((performance.now() - t) / 1000).toFixed(1), "s");
}
console.log("bench (state split differs):", c.rows.map((r: any) => r.stepMs));
