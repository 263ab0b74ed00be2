// The GOMAXPROCS benchmark (seed article 002, "Proper GOMAXPROCS Setting"):
// time 100 CPU-bound goroutines for every GOMAXPROCS from 1 to 2×NumCPU.
// Throughput grows with GOMAXPROCS up to the number of CPUs, then stays
// flat: more Ps than cores only adds threads that take turns.
//
// In gort the goroutines are portable (task()) and run on GOMAXPROCS worker
// threads; gomaxprocs(n) changes their number while the program runs
// (raising it starts threads, lowering it parks the extra ones). Each
// setting gets an untimed warm-up round first, so that its new threads are
// started and have loaded this module before the timed round.
//
// Usage: gort run examples/gomaxprocs/main.ts [goroutines=100] [work=3000000] [max-procs=2×NumCPU]

import { threadId } from "node:worker_threads";
import { chan, go, type SendChan, task } from "gort";
import { gomaxprocs, numCPU } from "gort/runtime";

/** The work of one goroutine: a loop of `n` multiply-adds with no await (Go: cpuIntensiveWork). */
export const cpuWork = task(import.meta, async (n: number, done: SendChan<number>): Promise<void> => {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1_000_003;
  await done.send(x >= 0 ? threadId : -1); // x is used, so the loop is not optimised away
});

/** Starts `count` goroutines of `n` iterations and waits for them; returns ms and how many threads ran them. */
async function round(count: number, n: number): Promise<{ ms: number; threads: number }> {
  const done = chan<number>(count, { shared: true });
  const t0 = performance.now();
  for (let i = 0; i < count; i++) go(cpuWork, n, done);
  const threads = new Set<number>();
  for (let i = 0; i < count; i++) threads.add((await done.recv()) as number);
  return { ms: performance.now() - t0, threads: threads.size };
}

export default async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100);
  const n = Number(process.argv[3] ?? 3_000_000);
  const maxProcs = Number(process.argv[4] ?? 2 * numCPU());
  console.log(`NumCPU: ${numCPU()}; ${count} goroutines of ${n.toLocaleString("en-US")} iterations each`);

  let base = 0;
  let best = { procs: 1, ms: Infinity };
  for (let procs = 1; procs <= maxProcs; procs++) {
    gomaxprocs(procs);
    await round(2 * procs, n); // warm-up, not timed: start the new threads, have them load this module
    const { ms, threads } = await round(count, n);
    if (procs === 1) base = ms;
    if (ms < best.ms) best = { procs, ms };
    console.log(
      `GOMAXPROCS=${procs}: ${ms.toFixed(0).padStart(6)} ms  (×${(base / ms).toFixed(2)} vs GOMAXPROCS=1, ran on ${threads} worker thread(s))`,
    );
  }
  console.log(`fastest: GOMAXPROCS=${best.procs}, ×${(base / best.ms).toFixed(2)} the speed of GOMAXPROCS=1 (NumCPU is ${numCPU()})`);
}
