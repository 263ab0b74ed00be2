// GOMAXPROCS: how many Ps (worker threads running portable goroutines) the
// M:N runtime uses.

import { describe } from "../errors.ts";
import { MAX_PROCS } from "../internal/mn/layout.ts";
import { initialProcs, setProcs } from "../internal/mn/pool.ts";

let procs = initialProcs();

/**
 * Sets the number of processors that may run goroutines at once and returns
 * the previous setting; `n` < 1 (or omitted) only reads it (Go:
 * runtime.GOMAXPROCS). Defaults to the GOMAXPROCS environment variable, else
 * numCPU(); at most 64.
 *
 * Portable goroutines (`task()`) run on GOMAXPROCS worker threads, started
 * when the first one is; local goroutines run on the thread that started
 * them, the main goroutine on the main thread. Raising it while running
 * starts more workers; lowering it parks the extra ones after their current
 * goroutines, and their queued goroutines move to the others.
 */
export function gomaxprocs(n?: number): number {
  const prev = procs;
  if (n !== undefined) {
    if (typeof n !== "number" || !Number.isInteger(n)) {
      throw new TypeError(`gomaxprocs: n must be an integer, received ${describe(n)}`);
    }
    if (n >= 1) {
      procs = Math.min(n, MAX_PROCS);
      setProcs(procs);
    }
  }
  return prev;
}
