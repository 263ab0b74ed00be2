// A runtime monitor with CPU-intensive goroutines (seed article 002, "The Go
// Scheduler: M:N Threading Model"): under GOMAXPROCS(2), ten goroutines each
// add up the integers below 10⁹ while a monitor goroutine prints the
// runtime's figures every second. Two threads share the ten goroutines; the
// monitor keeps printing because it runs on a thread of its own.
//
// In gort the ten are portable goroutines (task()): they run on the
// GOMAXPROCS worker threads, and a loop without an await occupies its worker
// thread until it ends, as a goroutine did in Go before 1.14. The monitor is
// a goroutine of the main thread, which the loops never touch. Each
// goroutine sends its sum (exact, as a bigint: Go's int64) and its thread on
// a shared channel. The monitor prints numGoroutine() (Go's
// runtime.NumGoroutine) and, exactly, how many of the ten are computing and
// how many wait to start, counted with atomics (gort/sync/atomic) that every
// thread updates. (numGoroutine() on the main thread adds up what each
// worker thread last reported when it paused, so it lags behind a thread
// that is busy in a loop.)
//
// Usage: gort run examples/monitor/main.ts [goroutines=10] [n=1000000000] [interval-ms=1000]

import { threadId } from "node:worker_threads";
import { chan, go, newTicker, type SendChan, task } from "gort";
import { gomaxprocs, numCPU, numGoroutine } from "gort/runtime";
import { Int32 } from "gort/sync/atomic";

interface Sum {
  readonly id: number;
  readonly sum: bigint;
  readonly thread: number;
  readonly ms: number;
}

/** Blocks of the sum small enough that a float adds them exactly (below 2^53). */
const BLOCK = 1 << 20;

/** 0 + 1 + … + (n−1), exactly. */
function sumBelow(n: number): bigint {
  let total = 0n;
  for (let lo = 0; lo < n; lo += BLOCK) {
    const hi = Math.min(n, lo + BLOCK);
    let s = 0;
    for (let i = lo; i < hi; i++) s += i;
    total += BigInt(s);
  }
  return total;
}

/**
 * Go: go func(id int) { sum := 0; for i := 0; i < 1e9; i++ { sum += i }; ... }(i).
 * `waiting` counts the goroutines not started yet, `running` those computing now.
 */
export const cpuIntensive = task(
  import.meta,
  async (id: number, n: number, waiting: Int32, running: Int32, results: SendChan<Sum>): Promise<void> => {
    waiting.sub(1);
    running.add(1);
    const t0 = performance.now();
    const sum = sumBelow(n); // no await: this thread runs nothing else meanwhile
    const ms = performance.now() - t0;
    running.sub(1);
    await results.send({ id, sum, thread: threadId, ms });
  },
);

export default async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10);
  const n = Number(process.argv[3] ?? 1e9);
  const interval = Number(process.argv[4] ?? 1000);

  gomaxprocs(2);
  console.log(`GOMAXPROCS: ${gomaxprocs()}, NumCPU: ${numCPU()}, main thread: ${threadId}`);

  const waiting = new Int32(count);
  const running = new Int32();
  const results = chan<Sum>(count, { shared: true });
  const start = performance.now();
  const elapsed = (): string => `${(performance.now() - start).toFixed(0).padStart(5)} ms`;

  for (let i = 0; i < count; i++) go(cpuIntensive, i, n, waiting, running, results);

  // The monitor: a goroutine of the main thread, woken by a ticker.
  let reports = 0;
  const ticker = newTicker(interval);
  go(async () => {
    for await (const _ of ticker.c) {
      reports++;
      console.log(
        `[monitor ${elapsed()}] NumGoroutine: ${numGoroutine()}; of the ${count}: ${running.load()} computing, ` +
          `${waiting.load()} waiting to start; GOMAXPROCS ${gomaxprocs()}`,
      );
    }
  });

  const want = (BigInt(n) * BigInt(n - 1)) / 2n;
  const perThread = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const r = (await results.recv()) as Sum;
    if (r.sum !== want) throw new Error(`goroutine ${r.id}: sum ${r.sum}, want ${want}`);
    perThread.set(r.thread, (perThread.get(r.thread) ?? 0) + 1);
    console.log(`[${elapsed()}] goroutine ${r.id} done on thread ${r.thread} in ${r.ms.toFixed(0)} ms: sum = ${r.sum}`);
  }
  ticker.stop();

  const threads = [...perThread].sort((a, b) => a[0] - b[0]).map(([t, k]) => `thread ${t}: ${k}`);
  console.log(`all ${count} done in ${elapsed().trim()} on ${perThread.size} worker thread(s) (${threads.join(", ")})`);
  console.log(`the monitor reported ${reports} times meanwhile, from the main thread (${threadId}), which no loop blocked`);
}
