/**
 * The schedule interpreter: runs a (validated) schedule on real kernels, holding every tensor itself.
 * `F` runs an op's forward (an input loads its host data), `B` its backward (gradients of non-source
 * inputs are allocated on their first contribution and added into after, in the order the schedule
 * gives; parameter gradients likewise), `D` frees, `O` copies an activation's data to a host buffer
 * (the device copy stays until `D`), `P` makes a device tensor from it again, `C v MODE` makes the stored
 * form of `a:v` as real typed arrays (src/simulate/stored-forms.ts: a packed bitmap plus the non-zero
 * values, or 16-bit values rounded to nearest even), `X v` makes a tensor from it again, `D s:v` drops it.
 * After each instruction it records the bytes the tensor library counts (`tf.memory().numBytes`, per
 * tensor handle, minus the parameters and parameter gradients), the bytes of the stored forms held (the
 * byte lengths of their arrays), the bytes of its own registry and the physical bytes (distinct
 * buffers), the instruction's wall time and, within it, the wall time of its kernel; the rest of the
 * instruction (making and storing tensor handles, adding gradient contributions, freeing) is its
 * overhead, which the profiler measures per instruction kind (src/profile/profile.ts).
 */
import { InternalError } from "../errors.js";
import type { Instance, InstanceNode } from "../instance/types.js";
import { formatInstruction } from "../schedule/text.js";
import type { BackwardOp, ForwardOp, Schedule } from "../schedule/types.js";
import type { ZooOp } from "../zoo/types.js";
import { KERNELS } from "./kernels/index.js";
import type { OpKernel } from "./kernels/types.js";
import { BYTES_PER_ELEMENT, type Network } from "./network.js";
import { countNonzeros, type ElementArray } from "./stored-forms.js";
import { type ConversionRecord, StoredForms } from "./stored-holder.js";
import type { Tensor, Tf } from "./tf.js";

/** What one instruction did, measured. */
export interface StepRecord {
  readonly instruction: string;
  /** Wall time of the instruction, ms. */
  readonly ms: number;
  /**
   * Wall time of its kernel within `ms`, ms: an `F`'s forward kernel (for an input, making its tensor
   * from host data), a `B`'s backward kernel (its gradients, before they are added into the running
   * sums), a `C`'s conversion loop, an `X`'s expansion loop and tensor creation; 0 for `D`, `O` and
   * `P`, which run no kernel.
   */
  readonly kernelMs: number;
  /** Bytes of the stored forms held after the instruction (the byte lengths of their typed arrays). */
  readonly storedBytes: number;
  /** Bytes after the instruction as tf.memory() counts them, minus parameters and parameter gradients. */
  readonly libraryBytes: number;
  /** Bytes after the instruction in the interpreter's own registry of `a:` and `g:` tensors. */
  readonly registryBytes: number;
  /** Bytes of the distinct buffers behind the registry's tensors (views such as reshapes share one). */
  readonly physicalBytes: number;
  /** Library bytes while the instruction ran, new tensors made and nothing yet freed. */
  readonly duringLibraryBytes: number;
}

export type { ConversionRecord } from "./stored-holder.js";

/** A whole run: one record per instruction, the parameter gradients and the loss. */
export interface RunRecord {
  readonly steps: readonly StepRecord[];
  /** One record per `C` instruction, in schedule order. */
  readonly conversions: readonly ConversionRecord[];
  /** Non-zero elements of each activation at its first forward, by node id (when asked for). */
  readonly nonzeros: ReadonlyMap<string, number>;
  /** Parameter gradients by key `opId/name`, copied to host (empty when not asked for). */
  readonly paramGrads: ReadonlyMap<string, Float32Array>;
  readonly loss: number;
}

/** What a run keeps beyond its step records. */
export interface RunOptions {
  /**
   * Copy the parameter gradients to host at the end (default true). Runs that are only timed skip it:
   * the copy (as many bytes as the parameters) is not part of the step and only makes garbage.
   */
  readonly gradients?: boolean;
  /**
   * Count the non-zero elements of each activation at its first forward (default false), as the
   * bitmap stores them (src/simulate/stored-forms.ts); the run's `nonzeros` holds the counts.
   */
  readonly countNonzeros?: boolean;
}

type TensorContainer = ReturnType<Tf["tidy"]>;

/**
 * Runs `schedule`, which the evaluator has accepted, on `network` (built from the zoo graph of `instance`).
 * Leaves no tensor behind but the network's parameters.
 */
export function runSchedule(
  tf: Tf,
  network: Network,
  instance: Instance,
  schedule: Schedule,
  options: RunOptions = {},
): RunRecord {
  const run = new Run(tf, network, instance, options.countNonzeros === true);
  try {
    const steps = schedule.map((instruction, index) => run.step(instruction, index));
    return {
      steps,
      conversions: run.stored.conversions,
      nonzeros: run.nonzeros,
      paramGrads: options.gradients === false ? new Map() : run.gradientsToHost(),
      loss: run.loss,
    };
  } finally {
    run.dispose();
  }
}

/** The state of one run: live tensors by name (`a:v`, `g:v`), host copies, parameter gradients. */
class Run {
  private readonly nodeById: ReadonlyMap<string, InstanceNode>;
  private readonly lossId: string | undefined;
  private readonly live = new Map<string, Tensor>();
  private readonly host = new Map<string, Float32Array | Int32Array>();
  /** Stored forms `s:v`. */
  readonly stored = new StoredForms();
  readonly nonzeros = new Map<string, number>();
  private readonly paramGrads = new Map<string, Tensor>();
  private readonly baseline: number;
  private paramGradBytes = 0;
  loss = Number.NaN;

  constructor(
    private readonly tf: Tf,
    private readonly network: Network,
    instance: Instance,
    private readonly counting: boolean,
  ) {
    this.nodeById = new Map(instance.nodes.map((node) => [node.id, node] as const));
    this.lossId = instance.nodes[instance.nodes.length - 1]?.id;
    this.baseline = tf.memory().numBytes;
  }

  /** Runs instruction `index` and measures it. */
  step(instruction: Schedule[number], index: number): StepRecord {
    const started = performance.now();
    let during: number | undefined;
    let kernelMs = 0;
    switch (instruction.op) {
      case "F":
        kernelMs = this.forward(instruction);
        break;
      case "B":
        [during, kernelMs] = this.backward(instruction);
        break;
      case "D":
        if (instruction.tensor.kind === "s") this.stored.free(instruction.tensor.node);
        else this.free(`${instruction.tensor.kind}:${instruction.tensor.node}`);
        break;
      case "O":
        this.offload(instruction.node);
        break;
      case "P":
        this.prefetch(instruction.node);
        break;
      case "C":
        kernelMs = this.stored.convert(
          instruction.node,
          instruction.mode,
          this.tensor(`a:${instruction.node}`).dataSync() as ElementArray,
          index,
        );
        break;
      case "X":
        kernelMs = this.expand(instruction.node);
        break;
    }
    const ms = performance.now() - started;
    const after = this.libraryBytes();
    return {
      instruction: formatInstruction(instruction),
      ms,
      kernelMs,
      libraryBytes: after,
      storedBytes: this.stored.bytes(),
      registryBytes: registryBytes(this.live),
      physicalBytes: physicalBytes(this.live),
      duringLibraryBytes: Math.max(during ?? after, after),
    };
  }

  /** The parameter gradients, copied to host. */
  gradientsToHost(): Map<string, Float32Array> {
    return new Map([...this.paramGrads].map(([key, t]) => [key, Float32Array.from(t.dataSync())] as const));
  }

  /** Frees every tensor the run still holds. */
  dispose(): void {
    for (const t of this.live.values()) t.dispose();
    for (const t of this.paramGrads.values()) t.dispose();
    this.live.clear();
    this.paramGrads.clear();
  }

  /** Runs a forward; returns its kernel's wall time, ms. */
  private forward({ node }: ForwardOp): number {
    const { tf, network } = this;
    const op = this.op(node);
    const data = network.inputs.get(op.id);
    const started = performance.now();
    const output =
      data !== undefined
        ? tf.tensor(data.values, [...op.shape], data.dtype)
        : tf.tidy(() =>
            kernelOf(op).forward(
              tf,
              op,
              op.inputs.map((u) => this.tensor(`a:${u}`)),
              network.paramsOf.get(op.id) ?? new Map(),
            ),
          );
    const kernelMs = performance.now() - started;
    this.live.set(`a:${op.id}`, output);
    if (this.counting && !this.nonzeros.has(op.id))
      this.nonzeros.set(op.id, countNonzeros(output.dataSync() as ElementArray));
    if (op.id === this.lossId && Number.isNaN(this.loss)) this.loss = output.dataSync()[0] ?? Number.NaN;
    return kernelMs;
  }

  /**
   * Runs a backward; returns the library bytes with its gradients made and nothing freed, and its
   * kernel's wall time, ms.
   */
  private backward({ node: id }: BackwardOp): [number, number] {
    const { tf, network } = this;
    const op = this.op(id);
    const node = this.nodeById.get(id);
    if (node === undefined) throw new InternalError(`simulate: no node ${id}`);
    const isLoss = id === this.lossId;
    const dy = isLoss ? tf.ones([]) : this.tensor(`g:${id}`);
    const wantInputs = op.inputs.map((u) => (this.nodeById.get(u)?.inputs.length ?? 0) > 0);
    // tidy keeps what it returns only inside arrays and plain objects, so no Map crosses it
    const started = performance.now();
    const kept = tf.tidy(() => {
      const result = kernelOf(op).backward(
        tf,
        op,
        op.inputs.map((u) => this.op(u).shape),
        {
          dy,
          ...(node.needs.includes("inputs") ? { inputs: op.inputs.map((u) => this.tensor(`a:${u}`)) } : {}),
          ...(node.needs.includes("output") ? { output: this.tensor(`a:${id}`) } : {}),
          params: network.paramsOf.get(id) ?? new Map(),
          wantInputs,
        },
      );
      return {
        inputs: [...result.inputs],
        params: Object.fromEntries(result.params),
      } as unknown as TensorContainer;
    }) as unknown as { inputs: (Tensor | undefined)[]; params: Record<string, Tensor> };
    const kernelMs = performance.now() - started;
    op.inputs.forEach((u, i) => {
      const contribution = kept.inputs[i];
      if (contribution === undefined) return;
      if (wantInputs[i] === true) this.accumulate(this.live, `g:${u}`, contribution);
      else contribution.dispose();
    });
    const keys = network.paramKeysOf.get(id);
    for (const [name, contribution] of Object.entries(kept.params)) {
      const key = keys?.get(name);
      if (key === undefined)
        throw new InternalError(`simulate: ${id} returned a gradient for unknown parameter ${name}`);
      this.paramGradBytes += this.accumulate(this.paramGrads, key, contribution);
    }
    // the loss's seed gradient (a scalar 1) is not a tensor of the model: the evaluator gives the loss none
    const during = this.libraryBytes() - (isLoss ? dy.size * BYTES_PER_ELEMENT : 0);
    dy.dispose();
    this.live.delete(`g:${id}`);
    return [during, kernelMs];
  }

  private free(name: string): void {
    this.tensor(name).dispose();
    this.live.delete(name);
  }

  private offload(id: string): void {
    const data = this.tensor(`a:${id}`);
    const values = data.dataSync();
    this.host.set(id, data.dtype === "int32" ? Int32Array.from(values) : Float32Array.from(values));
  }

  private prefetch(id: string): void {
    const op = this.op(id);
    const values = this.host.get(id);
    if (values === undefined) throw new InternalError(`simulate: no host copy of a:${id}`);
    const dtype = values instanceof Int32Array ? "int32" : "float32";
    this.live.set(`a:${id}`, this.tf.tensor(values, [...op.shape], dtype));
  }

  /** `X v`: `a:v` again from its stored form; returns the expansion's wall time (with the tensor made), ms. */
  private expand(id: string): number {
    const started = performance.now();
    const { data, dtype } = this.stored.expand(id);
    const tensor = this.tf.tensor(data, [...this.op(id).shape], dtype);
    const kernelMs = performance.now() - started;
    this.live.set(`a:${id}`, tensor);
    return kernelMs;
  }

  /** Adds `contribution` into `table[key]` (taking it over when absent); returns the bytes newly allocated. */
  private accumulate(table: Map<string, Tensor>, key: string, contribution: Tensor): number {
    const previous = table.get(key);
    if (previous === undefined) {
      table.set(key, contribution);
      return contribution.size * BYTES_PER_ELEMENT;
    }
    table.set(key, this.tf.add(previous, contribution));
    previous.dispose();
    contribution.dispose();
    return 0;
  }

  private libraryBytes(): number {
    return this.tf.memory().numBytes - this.baseline - this.paramGradBytes;
  }

  private tensor(name: string): Tensor {
    const found = this.live.get(name);
    if (found === undefined)
      throw new InternalError(`simulate: ${name} is not live, yet the evaluator accepted the schedule`);
    return found;
  }

  private op(id: string): ZooOp {
    const op = this.network.opById.get(id);
    if (op === undefined) throw new InternalError(`simulate: node ${id} has no zoo op`);
    return op;
  }
}

function kernelOf(op: ZooOp): OpKernel {
  if (op.type === "input") throw new InternalError(`simulate: ${op.id} is an input and has no kernel`);
  return KERNELS[op.type];
}

function registryBytes(live: ReadonlyMap<string, Tensor>): number {
  let bytes = 0;
  for (const t of live.values()) bytes += t.size * BYTES_PER_ELEMENT;
  return bytes;
}

function physicalBytes(live: ReadonlyMap<string, Tensor>): number {
  const seen = new Map<object, number>();
  for (const t of live.values()) seen.set(t.dataId, t.size * BYTES_PER_ELEMENT);
  let bytes = 0;
  for (const b of seen.values()) bytes += b;
  return bytes;
}
