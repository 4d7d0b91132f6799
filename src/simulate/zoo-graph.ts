/** Resolves an instance's `model` block to its zoo graph, through the zoo's registry. */
import type { ModelSpec } from "../instance/types.js";
import { zooModel } from "../zoo/registry.js";
import type { ZooGraph } from "../zoo/types.js";

/**
 * The zoo network an instance's `model` block names, built with its config.
 * @throws InputError from the zoo: an unknown network (code `option`, path `model`) or a bad config key
 */
export function zooGraphOf(model: ModelSpec): ZooGraph {
  return zooModel(model.zoo).build(model.config);
}
