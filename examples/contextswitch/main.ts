// The context-switch test (seed article 002, "Context Switching
// Comparison"): with GOMAXPROCS=1, 100 goroutines each send 1,000 empty
// values on one unbuffered channel to a single receiver, so every send is a
// hand-off from one goroutine to another. gort always runs goroutines on
// one thread, and a hand-off is a promise settled in user space: no kernel.
//
// Usage: gort run examples/contextswitch/main.ts [goroutines=100] [iterations=1000]

import { chan, go } from "gort";
import { gomaxprocs } from "gort/runtime";
import { WaitGroup } from "gort/sync";

/** Go's time.Duration.String for a duration in milliseconds: 350ns, 1.25µs, 12.5ms, 2.5s. */
function formatDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  const trim = (x: number, digits: number): string => x.toFixed(digits).replace(/\.?0+$/, "");
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3, 3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6, 6)}ms`;
  return `${trim(ns / 1e9, 9)}s`;
}

type Empty = Record<never, never>; // Go: struct{}
const empty: Empty = {};

async function contextSwitchTest(numGoroutines: number, iterations: number): Promise<void> {
  gomaxprocs(1); // Force context switching

  const ch = chan<Empty>();
  const wg = new WaitGroup();

  const start = performance.now();
  for (let i = 0; i < numGoroutines; i++) {
    wg.go(async () => {
      for (let j = 0; j < iterations; j++) await ch.send(empty);
    });
  }

  go(async () => {
    for (let i = 0; i < numGoroutines * iterations; i++) await ch.recv();
  });

  await wg.wait();
  const elapsed = performance.now() - start;
  const totalSwitches = numGoroutines * iterations;

  console.log(`Total context switches: ${totalSwitches}`);
  console.log(`Total time: ${formatDuration(elapsed)}`);
  console.log(`Average time per switch: ${formatDuration(elapsed / totalSwitches)}`);
}

export default async function main(): Promise<void> {
  await contextSwitchTest(Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 1000));
}
