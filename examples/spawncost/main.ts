// Goroutine creation overhead (seed article 002, "Goroutine vs Thread
// Creation Benchmark"): start 100,000 goroutines that do nothing but
// wg.Done(), wait for all, and report the average cost of one; then the
// article's BenchmarkGoroutineCreation loop (start one goroutine and wait for
// it, b.N times) as a plain loop.
//
// Usage: gort run examples/spawncost/main.ts [goroutines=100000] [benchmark-iterations=100000]

import { go } from "gort";
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

async function measureGoroutineOverhead(numGoroutines: number): Promise<void> {
  const start = performance.now();
  const wg = new WaitGroup();
  for (let i = 0; i < numGoroutines; i++) {
    wg.add(1);
    go((id: number) => {
      // Minimal work
      void id;
      wg.done();
    }, i);
  }
  await wg.wait();
  const elapsed = performance.now() - start;
  console.log(`Created ${numGoroutines} goroutines in ${formatDuration(elapsed)}`);
  console.log(`Average time per goroutine: ${formatDuration(elapsed / numGoroutines)}`);
}

// BenchmarkGoroutineCreation, without the testing package: b.N = n.
async function benchmarkGoroutineCreation(n: number): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const wg = new WaitGroup();
    wg.add(1);
    go(() => {
      wg.done();
    });
    await wg.wait();
  }
  const elapsed = performance.now() - start;
  console.log(`BenchmarkGoroutineCreation\t${n}\t${Math.round((elapsed * 1e6) / n)} ns/op`);
}

export default async function main(): Promise<void> {
  await measureGoroutineOverhead(Number(process.argv[2] ?? 100_000));
  await benchmarkGoroutineCreation(Number(process.argv[3] ?? 100_000));
}
