// The scheduling demo (seed article 002, "Scheduling Algorithm"): 20
// goroutines start, sleep 10 ms, yield with runtime.Gosched and resume.
// gort runs them all on one thread, so every "starting" line comes before
// any "resuming" one: none of them blocks until its sleep.
//
// Usage: gort run examples/scheduling/main.ts [goroutines=20] [sleep-ms=10]

import { Millisecond, sleep } from "gort";
import { gomaxprocs, gosched } from "gort/runtime";
import { WaitGroup } from "gort/sync";

function demonstrateScheduling(n: number, pause: number): Promise<void> {
  gomaxprocs(2); // 2 Ps available (gort: recorded; one thread until the M:N scheduler lands)

  const wg = new WaitGroup();
  // Create goroutines that will be distributed across Ps
  for (let i = 0; i < n; i++) {
    wg.go(async (id: number) => {
      console.log(`Goroutine ${id} starting`);
      // Do some work
      await sleep(pause);
      // Yield to scheduler
      await gosched();
      console.log(`Goroutine ${id} resuming`);
    }, i);
  }
  return wg.wait();
}

export default async function main(): Promise<void> {
  await demonstrateScheduling(Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 10) * Millisecond);
}
