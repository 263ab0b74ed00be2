// Runtime statistics with a ticker (seed article 002, "Runtime
// Statistics"): a goroutine ranges over a 2 s ticker and prints goroutine
// and memory figures while 100 goroutines sleep 10 s; main sleeps 15 s.
// All times scale with one unit (1 s by default) so that a run can be short.
//
// What maps to what: Go's MemStats.Alloc is the V8 heap in use, Sys the
// process's resident memory; GC runs are counted with a PerformanceObserver
// (gort's readMemStats has no NumGC); there is no goroutine stack memory to
// report (suspended goroutines live on the heap). debug.SetGCPercent has no
// Node equivalent.
//
// Usage: gort run examples/runtimestats/main.ts [unit-ms=1000]

import { PerformanceObserver } from "node:perf_hooks";
import { go, Millisecond, newTicker, sleep } from "gort";
import { gomaxprocs, numGoroutine, readMemStats } from "gort/runtime";

const unit = Number(process.argv[2] ?? 1000) * Millisecond;

let gcRuns = 0;
const gcObserver = new PerformanceObserver((list) => {
  gcRuns += list.getEntries().length;
});
gcObserver.observe({ entryTypes: ["gc"] });

const MB = 1024 * 1024;

function printRuntimeStats(): void {
  const m = readMemStats();
  console.log("\n=== Runtime Statistics ===");
  console.log(`Goroutines: ${numGoroutine()}`);
  console.log(`GOMAXPROCS: ${gomaxprocs()}`);
  console.log(`Memory Allocated: ${Math.floor(m.heapAlloc / MB)} MB`);
  console.log(`Memory System: ${Math.floor(m.rss / MB)} MB`);
  console.log(`GC Runs: ${gcRuns}`);
  console.log(`Timers armed: ${m.timers}`);
}

export default async function main(): Promise<void> {
  // Monitor runtime stats
  const ticker = newTicker(2 * unit);
  try {
    go(async () => {
      for await (const _ of ticker.c) printRuntimeStats();
    });

    // Create some goroutines
    for (let i = 0; i < 100; i++) {
      go(async (id: number) => {
        void id;
        await sleep(10 * unit);
      }, i);
    }

    await sleep(15 * unit);
  } finally {
    ticker.stop(); // Go: defer ticker.Stop()
    gcObserver.disconnect();
  }
}
