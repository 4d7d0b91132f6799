/**
 * The instance: a forward DAG of nodes, each producing one tensor, plus constants (DESIGN.md,
 * "The cost model"). Times are in milliseconds, sizes in bytes.
 */

/** What the backward of a node reads besides its incoming gradient. */
export type NeedsWord = "inputs" | "output";

/**
 * A stored form of a kept activation (DESIGN.md, "Storage modes"): `bitmap` (BitTrain, Hosny et al.
 * 2021: one bit per element plus the non-zero values; lossless), `fp16` / `bf16` (Sohoni et al. 2019:
 * two bytes per element; lossy).
 */
export type StorageMode = "bitmap" | "fp16" | "bf16";

/** Every storage mode, in the order of their codes (the evaluator stores `index + 1`). */
export const STORAGE_MODES: readonly StorageMode[] = ["bitmap", "fp16", "bf16"];

/** The modes whose expansion does not give back `a_v` bit for bit. */
export const LOSSY_MODES: ReadonlySet<StorageMode> = new Set<StorageMode>(["fp16", "bf16"]);

/** What one stored form of a node costs in time: `C v MODE` and `X v`, both on the compute stream. */
export interface StorageCosts {
  /** Time of `C v MODE` (reading `a_v`, writing `s:v`), ms. */
  readonly convertMs: number;
  /** Time of `X v` (reading `s:v`, writing `a_v`), ms. */
  readonly expandMs: number;
}

/** One node of the forward DAG, with every optional field filled with its default. */
export interface InstanceNode {
  readonly id: string;
  /** Forward time, ms. */
  readonly fwd: number;
  /** Backward time, ms. */
  readonly bwd: number;
  /** Size of the activation `a_v`, bytes. */
  readonly bytes: number;
  /** Size of the gradient `g_v`, bytes (default `bytes`). */
  readonly gradBytes: number;
  /** Ids of the nodes whose activations the forward reads, in argument order. */
  readonly inputs: readonly string[];
  /** What the backward reads besides `g_v` (default both). */
  readonly needs: readonly NeedsWord[];
  /** Intermediates a coarse node keeps for its backward when run with tape, bytes (default 0). */
  readonly tapeBytes: number;
  /** Workspace live only while the forward runs, bytes (default 0). */
  readonly fwdTemp: number;
  /** Workspace live only while the backward runs, bytes (default 0). */
  readonly bwdTemp: number;
  /** Whether the forward may be run again (default true; false for data inputs). */
  readonly recomputable: boolean;
  /** Whether `a_v` may be copied to host (default true). */
  readonly offloadable: boolean;
  /**
   * Bytes of one element of `a_v` (default 4, float32); `a_v` has `ceil(bytes / elementBytes)` elements
   * (src/evaluate/storage.ts).
   */
  readonly elementBytes: number;
  /** Measured fraction of the elements of `a_v` that are non-zero, in [0, 1] (default 1). */
  readonly density: number;
  /**
   * The stored forms this node offers, with their conversion times (default none: `C v MODE` is invalid
   * for a mode not listed).
   */
  readonly storage: Readonly<Partial<Record<StorageMode, StorageCosts>>>;
  /** Free-form per-node annotations kept for provenance (op type, shape, ...); never read by solvers. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** Host<->device link: a transfer of `b` bytes takes `latency + b / bandwidth` ms on its channel. */
export interface Hardware {
  /** Bytes per ms, each direction. */
  readonly bandwidth: number;
  /** Ms per transfer. */
  readonly latency: number;
}

/**
 * What the simulator runs an instance on: a network of the model zoo ({@link ZooModelSpec}) or an
 * imported ONNX file with its own weights ({@link OnnxModelSpec}).
 */
export type ModelSpec = ZooModelSpec | OnnxModelSpec;

/** A runnable network from the model zoo, for the simulator. */
export interface ZooModelSpec {
  readonly zoo: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** The TensorFlow.js backend the profiler measured the times on; `remat simulate` defaults to it. */
  readonly backend?: "cpu" | "wasm";
  readonly onnx?: undefined;
}

/** An imported ONNX model whose every node has a kernel: the simulator runs it with the file's initializers. */
export interface OnnxModelSpec {
  readonly onnx: OnnxModelSource;
  readonly backend?: "cpu" | "wasm";
  readonly zoo?: undefined;
  readonly config?: undefined;
}

/**
 * Where an imported instance's network and weights are: the ONNX file and the import options that
 * rebuild the instance's graph from it (src/onnx/runnable.ts maps each node to a kernel and each
 * learned initializer to its parameter).
 */
export interface OnnxModelSource {
  /** The ONNX file: relative to the folder of the instance file, or absolute. */
  readonly file: string;
  /** SHA-256 of the file's bytes, lower-case hex: a file changed since the import is refused. */
  readonly sha256: string;
  /** `--batch` of the import. */
  readonly batch?: number;
  /** `--input NAME=SHAPE` of the import. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** The loss the importer appended. */
  readonly loss: "mean-square" | "cross-entropy";
}

/**
 * What `fixedBytes` is made of (Sohoni et al. 2019), when the instance says: `weights + gradients +
 * optimizer = fixedBytes` exactly. Instances without it leave the split unknown.
 */
export interface MemoryParts {
  /** The parameters, bytes. */
  readonly weights: number;
  /** The parameters' gradients, bytes. */
  readonly gradients: number;
  /** The optimizer's state (momentum, Adam's moments; 0 for plain SGD), bytes. */
  readonly optimizer: number;
}

/** A validated, frozen instance (format `remat-instance/1`). */
export interface Instance {
  readonly format: "remat-instance/1";
  readonly name: string;
  readonly source: string;
  /** Bytes resident for the whole step (parameters, their gradients, optimizer state). */
  readonly fixedBytes: number;
  /** What `fixedBytes` is made of, when the instance says (absent: unknown). */
  readonly memory?: MemoryParts;
  readonly hardware?: Hardware;
  readonly model?: ModelSpec;
  /** Lines of each node's sizes and times against the batch size, from profiles (absent: none). */
  readonly batchModel?: BatchModel;
  /** Nodes in a topological order; the last one is the loss. */
  readonly nodes: readonly InstanceNode[];
}

/** The format tag every instance file carries. */
export const INSTANCE_FORMAT = "remat-instance/1";

/**
 * The batch model (read by src/instance/batch-model.ts). The node fields a batch model fits, in the order they are written.
 */
export const BATCH_FIELDS = ["fwd", "bwd", "bytes", "gradBytes", "tapeBytes", "fwdTemp", "bwdTemp"] as const;
export type BatchField = (typeof BATCH_FIELDS)[number];

/** The size fields among them (integers, bytes); the rest are times (ms). */
export const BATCH_SIZE_FIELDS: ReadonlySet<BatchField> = new Set<BatchField>([
  "bytes",
  "gradBytes",
  "tapeBytes",
  "fwdTemp",
  "bwdTemp",
]);

/**
 * `value(batch) ~ intercept + slope * batch`, fitted by least squares to the profiled batches
 * (an exact line when `maxResidual` is 0).
 */
export interface BatchLine {
  readonly intercept: number;
  readonly slope: number;
  /** The largest |measured - fitted| over the profiled batches, in the field's unit. */
  readonly maxResidual: number;
}

/** The `batchModel` block. */
export interface BatchModel {
  /** The batch sizes profiled, increasing, at least two. */
  readonly batches: readonly number[];
  /** The batch size the instance's own nodes were measured at (one of `batches`). */
  readonly batch: number;
  readonly fixedBytes: BatchLine;
  /**
   * Per node id, the line of each field; a field left out was 0 at every profiled batch and is
   * predicted 0.
   */
  readonly nodes: Readonly<Record<string, Readonly<Partial<Record<BatchField, BatchLine>>>>>;
}
