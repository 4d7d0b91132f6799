/**
 * GPT-2 (Radford, Wu, Child, Luan, Amodei, Sutskever, "Language Models are Unsupervised Multitask
 * Learners", 2019; layer layout of Hugging Face's `GPT2LMHeadModel`): token and learned position
 * embeddings, `layers` pre-norm Transformer layers (layer norm, fused q/k/v projection, causal
 * multi-head attention, output projection, residual; layer norm, 4x MLP with GELU (tanh form), residual),
 * a final layer norm, and the language-model head tied to the token embedding (no bias). Dropout is
 * left out (it is the identity at the rates used for evaluation and has no parameters). GPT-2 small:
 * 12 layers, 12 heads, width 768, vocabulary 50257, context 1024. Each Transformer layer is one block of
 * the chain view.
 */
import { GraphBuilder, INPUT_BLOCK } from "../builder.js";
import type { ZooGraph } from "../types.js";

export type Gpt2Config = {
  readonly batch: number;
  /** Sequence length T (GPT-2's context is 1024; the position table has `seq` rows). */
  readonly seq: number;
  readonly layers: number;
  readonly heads: number;
  /** Model width D. */
  readonly dim: number;
  readonly vocab: number;
};

/** Layer-norm epsilon of GPT-2. */
const LAYERNORM_EPSILON = 1e-5;

/** Builds the GPT-2-style language model for `config`; the loss is next-token cross-entropy. */
export function gpt2(config: Gpt2Config): ZooGraph {
  const { batch, seq, dim } = config;
  const b = new GraphBuilder("gpt2-small", config);
  b.block(INPUT_BLOCK);
  const ids = b.input("ids", [batch, seq], "int32");
  const labels = b.input("labels", [batch, seq], "int32");
  b.block("embed");
  const wte = b.op("embedding", "wte", [ids], { vocab: config.vocab, dim });
  let h = b.op("position-embedding", "wpe", [wte]);
  for (let layer = 0; layer < config.layers; layer++) {
    const name = `h.${layer}`;
    b.block(name);
    const ln1 = b.op("layernorm", `${name}.ln_1`, [h], { epsilon: LAYERNORM_EPSILON });
    const qkv = b.op("dense", `${name}.attn.c_attn`, [ln1], { units: 3 * dim, bias: true });
    const attention = b.op("causal-attention", `${name}.attn.attention`, [qkv], { heads: config.heads });
    const projected = b.op("dense", `${name}.attn.c_proj`, [attention], { units: dim, bias: true });
    h = b.op("add", `${name}.add_1`, [h, projected]);
    const ln2 = b.op("layernorm", `${name}.ln_2`, [h], { epsilon: LAYERNORM_EPSILON });
    const fc = b.op("dense", `${name}.mlp.c_fc`, [ln2], { units: 4 * dim, bias: true });
    const gelu = b.op("gelu", `${name}.mlp.gelu`, [fc]);
    const out = b.op("dense", `${name}.mlp.c_proj`, [gelu], { units: dim, bias: true });
    h = b.op("add", `${name}.add_2`, [h, out]);
  }
  b.block("head");
  const lnf = b.op("layernorm", "ln_f", [h], { epsilon: LAYERNORM_EPSILON });
  const logits = b.op("dense", "lm_head", [lnf], { units: config.vocab, bias: false, tiedTo: wte });
  b.op("softmax-cross-entropy", "loss", [logits, labels]);
  return b.build();
}
