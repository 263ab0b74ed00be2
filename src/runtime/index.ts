/**
 * gort/runtime: the runtime's own controls and views (Go's runtime package).
 *
 * `numGoroutine` and `stack` show what goroutines exist and what they wait
 * on; `readMemStats` adds memory and timers; `gosched` yields; `setPanicHandler`
 * lets a test harness catch goroutine panics instead of exiting.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { formatDump } from "../internal/dump.ts";
import { allThreadsDump } from "../internal/mn/dumps.ts";
import { goTraceback } from "../internal/panic.ts";
import { GStatus, running } from "../internal/g.ts";
import { allGoroutines, numGoroutine as localNumGoroutine } from "../internal/sched.ts";
import { otherThreadsGoroutines } from "../internal/mn/proc.ts";
import { armedTimers } from "../internal/timer.ts";

/**
 * The number of goroutines that exist (Go: runtime.NumGoroutine): this
 * thread's, the main goroutine included, and, on the main thread, those of
 * the worker threads (as of each one's last pause) and the portable
 * goroutines queued to start.
 */
export function numGoroutine(): number {
  return localNumGoroutine() + otherThreadsGoroutines();
}
export { gomaxprocs } from "./procs.ts";
export { syscall } from "../internal/mn/proc.ts";
export { type PanicHandler, type PanicInfo, setPanicHandler } from "../internal/panic.ts";

/**
 * Lets every other runnable goroutine, timer and pending I/O callback run,
 * then resumes (Go: runtime.Gosched).
 */
export function gosched(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Logical CPUs this process may use (Go: runtime.NumCPU). */
export function numCPU(): number {
  return availableParallelism();
}

/** Memory and scheduler figures (Go: runtime.MemStats, plus goroutine counts by state). */
export interface MemStats {
  /** V8 heap in use, bytes (Go: HeapAlloc). */
  readonly heapAlloc: number;
  /** V8 heap reserved, bytes (Go: HeapSys). */
  readonly heapSys: number;
  /** Resident set size of the process, bytes. */
  readonly rss: number;
  /** Memory of ArrayBuffers and other objects outside the V8 heap, bytes. */
  readonly external: number;
  /** Goroutines by state; `waiting` counts those known to be parked, `suspended` the rest (see stack()). */
  readonly goroutines: {
    readonly total: number;
    readonly runnable: number;
    readonly running: number;
    readonly waiting: number;
    readonly suspended: number;
  };
  /** gort timers (sleep, Timer, Ticker, after, afterFunc, deadlines) armed now. */
  readonly timers: number;
}

/** Reads memory statistics and counts goroutines by state (Go: runtime.ReadMemStats). */
export function readMemStats(): MemStats {
  const m = process.memoryUsage();
  let runnable = 0;
  let waiting = 0;
  let suspended = 0;
  let runningNow = 0;
  const me = running();
  for (const g of allGoroutines()) {
    if (g === me) runningNow++;
    else if (g.status === GStatus.Runnable) runnable++;
    else if (g.status === GStatus.Waiting) waiting++;
    else suspended++;
  }
  return {
    heapAlloc: m.heapUsed,
    heapSys: m.heapTotal,
    rss: m.rss,
    external: m.external,
    goroutines: { total: numGoroutine(), runnable, running: runningNow, waiting, suspended },
    timers: armedTimers,
  };
}

/**
 * A dump of goroutines in Go's format (Go: runtime.Stack): with `all`, every
 * live goroutine; otherwise the calling one, with its JavaScript stack.
 * Each entry has the goroutine's id and state (Go's wait reason where the
 * runtime knows it), its function and where that is defined, and who
 * started it.
 *
 * @example
 * ```ts
 * process.stderr.write(stack(true));
 * ```
 */
export function stack(all = false): string {
  const callerStack = new Error().stack;
  const me = running();
  if (all) return allThreadsDump(me, callerStack);
  if (me === null) return `goroutine ? [running]:\n${goTraceback(callerStack)}\n`;
  return formatDump([me], me, callerStack);
}
