/**
 * The zoo's measured density table (src/zoo/densities-data.ts, written by bench/zoo-densities.ts):
 * per ReLU network, the fraction of non-zero elements of each op's output, MEASURED by the simulator
 * (`measureDensities`, src/simulate/densities.ts) at initialisation (seed 1: random parameters, random
 * input data) at a small config. Trained networks are typically sparser after ReLU than at
 * initialisation, so a bitmap's savings planned from this table are a floor for them. `zooWithStorage`
 * puts the table's densities and roofline conversion times (src/zoo/storage-fields.ts) on a zoo
 * instance at any config: O(n) per instance plus the zoo's build.
 */
import { InputError } from "../errors.js";
import { parseInstance } from "../instance/parse.js";
import type { Instance } from "../instance/types.js";
import { ZOO_DENSITY_TABLE } from "./densities-data.js";
import { formatDocument, type InstanceDocument, type Optimizer } from "./document.js";
import { type GeneratedInstance, generateInstance, type ZooSetting } from "./generate.js";
import { toInstance } from "./level.js";
import { zooModel } from "./registry.js";
import { blockWithStorage, integerOps, opWithStorage, storageSourceNote } from "./storage-fields.js";
import type { ZooGraph } from "./types.js";

/** How the table was measured. */
export interface DensityProvenance {
  readonly config: Readonly<Record<string, number>>;
  readonly seed: number;
  readonly backend: string;
  readonly date: string;
  readonly commit: string;
  readonly how: string;
}

/** One network's measured densities. */
export interface NetworkDensities {
  readonly provenance: DensityProvenance;
  /** Mean density over the ReLU/ReLU6 outputs, and their count. */
  readonly meanReluDensity: number;
  readonly reluCount: number;
  /** Per op id: non-zero fraction (ops absent are dense, 1). */
  readonly fractions: Readonly<Record<string, number>>;
}

/** The networks the table covers. */
export function densityNetworks(): readonly string[] {
  return Object.keys(ZOO_DENSITY_TABLE);
}

/**
 * The measured densities of zoo network `zoo`.
 * @throws InputError (code `option`, path `model`) for a network the table does not cover
 */
export function zooDensities(zoo: string): NetworkDensities {
  const entry = (ZOO_DENSITY_TABLE as Readonly<Record<string, NetworkDensities>>)[zoo];
  if (entry === undefined)
    throw new InputError("zoo densities", [
      {
        code: "option",
        path: "model",
        expected: `a network with measured densities (${densityNetworks().join(", ")})`,
        received: JSON.stringify(zoo),
      },
    ]);
  return entry;
}

/** Options of `zooWithStorage`, as `toInstance` takes them. */
export interface StorageInstanceOptions {
  readonly level: "op" | "block";
  readonly optimizer?: Optimizer;
  readonly name?: string;
}

/**
 * The instance of `graph` at `options.level` with the table's densities and roofline storage costs.
 * @throws InputError for a network the table does not cover
 */
export function zooWithStorage(graph: ZooGraph, options: StorageInstanceOptions): Instance {
  const table = zooDensities(graph.zoo);
  const note = storageSourceNote(graph.zoo, JSON.stringify(table.provenance.config));
  const integer = integerOps(graph);
  const base = { ...(options.optimizer === undefined ? {} : { optimizer: options.optimizer }) };
  const named = options.name === undefined ? {} : { name: options.name };
  const op = opWithStorage(
    toInstance(graph, { ...base, ...named, level: "op" }),
    table.fractions,
    integer,
    note,
  );
  if (options.level === "op") return op;
  return blockWithStorage(toInstance(graph, { ...base, ...named, level: "block" }), op, integer, note);
}

/**
 * The text of the generated instance of `setting` (src/zoo/generate.ts) with the table's densities and
 * roofline storage costs (`remat zoo generate --densities`); the bundled instances are left without.
 * @throws InputError for a network the table does not cover, or as `generateInstance` does
 */
export function generateWithStorage(setting: ZooSetting): GeneratedInstance {
  const table = zooDensities(setting.zoo);
  const note = storageSourceNote(setting.zoo, JSON.stringify(table.provenance.config));
  const integer = integerOps(zooModel(setting.zoo).build(setting.config));
  const read = (level: "op" | "block") => {
    const generated = generateInstance({ ...setting, level });
    return { generated, instance: parseInstance(JSON.parse(generated.text)) };
  };
  const op = read("op");
  const opLevel = opWithStorage(op.instance, table.fractions, integer, note);
  const chosen = setting.level === "op" ? op : read("block");
  const instance =
    setting.level === "op" ? opLevel : blockWithStorage(chosen.instance, opLevel, integer, note);
  const document = instance as unknown as InstanceDocument;
  return { ...chosen.generated, document, text: formatDocument(document) };
}
