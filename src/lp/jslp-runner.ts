/**
 * Runs javascript-lp-solver on one JSON model. The library's own time limit is checked only between
 * branch-and-bound nodes, and its simplex can cycle forever inside a node (seen here on a market-split
 * MILP), so a solve with a time limit runs in a worker thread that is terminated when the limit plus a
 * grace period has passed; a solve without one runs on the calling thread.
 *
 * A worker costs ~40 ms to start, and does not block the event loop while it solves. Node's modules
 * are imported only then (dynamically), so the core stays importable outside Node.
 */
import jslpModule from "javascript-lp-solver";
import type { JslpModel } from "./jslp-model.js";

/**
 * Resolves to the library's raw answer for `model`, or to `killed` when it ran past `killAfterMs`
 * (`Infinity`: never killed).
 */
export type JslpRunner = (model: JslpModel, killAfterMs: number) => Promise<unknown>;

/** The one method of the library used here. */
interface JslpSolver {
  Solve(model: JslpModel): unknown;
}

/**
 * The library. Its types describe the CommonJS build (solver at `exports.default`), while Node's ESM
 * resolution loads `index.mjs`, whose default export is the solver itself: accept both.
 */
function inlineSolver(): JslpSolver {
  const exported: unknown = jslpModule;
  if (typeof exported === "object" && exported !== null && "Solve" in exported) return exported as JslpSolver;
  return jslpModule.default;
}

/** CommonJS source of the worker: loads the library's CommonJS build and answers one model. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const loaded = require(workerData.path);
const solver = typeof loaded.Solve === "function" ? loaded : loaded.default;
parentPort.postMessage(solver.Solve(workerData.model));
`;

/** Solves in a worker; resolves to `killed` once `killAfterMs` has passed. */
async function solveInWorker(model: JslpModel, killAfterMs: number): Promise<unknown> {
  const { createRequire } = await import("node:module");
  const { Worker } = await import("node:worker_threads");
  const path = createRequire(import.meta.url).resolve("javascript-lp-solver");
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, model } });
    const timer = setTimeout(() => {
      resolve("killed");
      void worker.terminate();
    }, killAfterMs);
    const finish = (): void => {
      clearTimeout(timer);
      void worker.terminate();
    };
    worker.once("message", (answer: unknown) => {
      finish();
      resolve(answer);
    });
    worker.once("error", (error) => {
      finish();
      reject(error);
    });
    worker.once("exit", (code) => {
      finish();
      reject(new Error(`worker exited with code ${code} before answering`));
    });
  });
}

/** Longest delay `setTimeout` honours (a longer one fires at once), ms: longer limits are no limit. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The default runner: on this thread without a time limit, in a killable worker with one. */
export const defaultJslpRunner: JslpRunner = async (model, killAfterMs) =>
  killAfterMs <= MAX_TIMER_MS ? solveInWorker(model, killAfterMs) : inlineSolver().Solve(model);
