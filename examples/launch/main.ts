// Launching 1,000 goroutines (seed article 002, "Goroutines: Go's
// Innovation"): each sleeps 100 ms to simulate work and reports; main sleeps
// 2 s and counts the goroutines left (only itself). A goroutine costs a few
// hundred bytes of heap in gort; 1,000 OS threads would cost gigabytes of
// reserved stack.
//
// Usage: gort run examples/launch/main.ts [goroutines=1000] [work-ms=100] [wait-ms=2000]

import { go, Millisecond, sleep } from "gort";
import { gomaxprocs, numCPU, numGoroutine } from "gort/runtime";

const count = Number(process.argv[2] ?? 1000);
const work = Number(process.argv[3] ?? 100) * Millisecond;
const wait = Number(process.argv[4] ?? 2000) * Millisecond;

async function expensiveOperation(id: number): Promise<void> {
  // Simulate work
  await sleep(work);
  console.log(`Goroutine ${id} completed`);
}

export default async function main(): Promise<void> {
  console.log(`Number of CPUs: ${numCPU()}`);
  console.log(`GOMAXPROCS: ${gomaxprocs()}`);

  // Launch 1000 goroutines - try this with OS threads!
  for (let i = 0; i < count; i++) go(expensiveOperation, i);
  console.log(`Launched: ${numGoroutine()} goroutines`);

  await sleep(wait);
  console.log(`Number of goroutines: ${numGoroutine()}`);
}
