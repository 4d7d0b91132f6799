import { solve } from "./solvers/index.js";
import { toInstance } from "./src/zoo/level.js";
import { zooModel } from "./src/zoo/registry.js";
import { storeAllEvaluation } from "./src/schedule/builders.js";
import { withHardware } from "./src/hardware/apply.js";
for (const layers of [6, 8, 10, 12]) {
const base = toInstance(zooModel("mlp-chain").build({ batch: 128, inputSize: 8, hidden: 16, layers, outputs: 4 }));
const peak = storeAllEvaluation(base).peakBytes;
const line: string[] = [`L${layers} peak ${peak} fixed ${base.fixedBytes}`];
for (const [label, inst] of [["pcie3", base], ["slow", withHardware(base, { bandwidth: 2000, latency: 0.01 })], ["fast", withHardware(base, { bandwidth: 1e9, latency: 0 })]] as const) {
  for (const solver of ["chain-dp", "pofo"]) {
    if (solver === "chain-dp" && label !== "pcie3") continue;
    let lo = 0, hi = peak;
    while (hi - lo > 16) { const mid = Math.floor((lo + hi) / 2); const r = await solve(inst, { solver, budget: mid }); if (r.status === "infeasible") lo = mid; else hi = mid; }
    line.push(`${label}/${solver} ${(hi / peak * 100).toFixed(2)}%`);
  }
}
console.log(line.join("  "));
}
