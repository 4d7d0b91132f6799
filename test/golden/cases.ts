/**
 * The golden cases and where each expectation comes from (its provenance), checked live by
 * golden.test.ts on top of the pinned numbers in expected.json:
 * - `sum-of-times`: an optimal answer whose makespan is the sum-of-times bound, recomputed now;
 * - `rotor-reference`: chain-dp's answer, never above rotor's optimum at the same budget and slots
 *   (test/chain/rotor-reference.ts, rotor's recurrence and discretization transcribed), computed now;
 * - `closed-form`: revolve's makespan from Griewank & Walther's count of advances E(n, c);
 * - `exhaustive`: the optimum of the answer's class by enumeration (test/conformance/class-optimum.ts),
 *   or store-all's cost when store-all (outside the class) does better;
 * - `certificate`: an optimal answer of a solver whose certificate the result carries (pinned with it);
 * - `snapshot`: a heuristic's output pinned as it is, so that any change is a deliberate diff.
 */
import { DEFAULT_COSTS, randomChain } from "../../src/generate/families.js";
import { loadInstance } from "../../src/instance/load.js";
import type { Instance } from "../../src/instance/types.js";
import type { Objective } from "../../src/optimality.js";

export type Provenance =
  | "sum-of-times"
  | "rotor-reference"
  | "closed-form"
  | "exhaustive"
  | "certificate"
  | "snapshot";

export interface GoldenCase {
  /** A zoo or example file under instances/, or `homogeneous-N` (a generated homogeneous chain). */
  readonly instance: string;
  readonly solver: string;
  readonly budget: string;
  readonly objective: Objective;
  readonly provenance: Provenance;
}

const OP = ["resnet-50-b32-224-op", "densenet-121-b32-224-op", "inception-v3-b32-299-op", "unet-b4-512-op"];
const BLOCK = [
  "resnet-50-b32-224-block",
  "gpt2-small-b8-t1024-block",
  "mobilenet-v2-b32-224-block",
  "vgg-16-b32-224-block",
];

const time = (instance: string, solver: string, budget: string, provenance: Provenance): GoldenCase => ({
  instance,
  solver,
  budget,
  objective: "time",
  provenance,
});

/** Every golden case. Budget-independent answers appear at one budget only. */
export const CASES: readonly GoldenCase[] = [
  ...OP.flatMap((instance) => [
    time(instance, "store-all", "100%", "sum-of-times"),
    time(instance, "recompute-all", "none", "snapshot"),
    time(instance, "chen-sqrt", "none", "snapshot"),
    time(instance, "chen-greedy", "50%", "snapshot"),
    time(instance, "chen-greedy", "80%", "snapshot"),
  ]),
  ...["resnet-50-b32-224-op", "densenet-121-b32-224-op"].flatMap((instance) => [
    time(instance, "graph-mincut", "50%", "snapshot"),
    {
      instance,
      solver: "graph-mincut",
      budget: "none",
      objective: "memory" as const,
      provenance: "snapshot" as const,
    },
  ]),
  {
    instance: "vgg-16-b32-224-op",
    solver: "graph-mincut",
    budget: "none",
    objective: "memory",
    provenance: "certificate",
  },
  ...BLOCK.flatMap((instance) => [
    time(instance, "chain-dp", "40%", "rotor-reference"),
    time(instance, "chain-dp", "60%", "rotor-reference"),
    time(instance, "chain-dp", "80%", "rotor-reference"),
    time(instance, "chen-greedy", "60%", "snapshot"),
  ]),
  time("homogeneous-60", "revolve", "30%", "closed-form"),
  time("homogeneous-60", "revolve", "60%", "closed-form"),
  {
    instance: "examples/skip-dag",
    solver: "graph-mincut",
    budget: "none",
    objective: "memory",
    provenance: "exhaustive",
  },
  {
    instance: "examples/chain",
    solver: "chain-dp",
    budget: "none",
    objective: "memory",
    provenance: "exhaustive",
  },
  {
    instance: "examples/coarse-chain",
    solver: "chain-dp",
    budget: "none",
    objective: "memory",
    provenance: "exhaustive",
  },
];

/** The key of a case in expected.json. */
export function keyOf(golden: GoldenCase): string {
  return `${golden.instance} ${golden.solver} ${golden.objective} ${golden.budget}`;
}

/** The name of a generated homogeneous chain of N stages: `homogeneous-N`. */
const HOMOGENEOUS = /^homogeneous-(\d+)$/;

/** The instance of a case: a shipped file, or a generated homogeneous chain (every stage fwd 2, bwd 3). */
export async function instanceOf(golden: GoldenCase): Promise<Instance> {
  const generated = HOMOGENEOUS.exec(golden.instance);
  if (generated !== null)
    return randomChain(1, Number(generated[1]), { ...DEFAULT_COSTS, fwd: [2, 2], bwd: [3, 3] });
  const path = golden.instance.startsWith("examples/") ? golden.instance : `zoo/${golden.instance}`;
  return loadInstance(`instances/${path}.json`);
}
