// Threads (seed article 002, "Threads: Lightweight Execution Units"): set
// GOMAXPROCS to 4 and start 10 goroutines that "might run on different OS
// threads". The M:N scheduler of gort is not built yet, so each goroutine
// also prints the thread it ran on: all of them share the main thread
// (threadId 0), whatever gomaxprocs says.
//
// Usage: gort run examples/threads/main.ts [goroutines=10]

import { threadId } from "node:worker_threads";
import { gomaxprocs, numGoroutine } from "gort/runtime";
import { WaitGroup } from "gort/sync";

export default async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10);
  // The article prints NumGoroutine under the label "threads".
  console.log(`Initial goroutines: ${numGoroutine()}`);

  gomaxprocs(4); // Force Go to use multiple OS threads
  console.log(`GOMAXPROCS: ${gomaxprocs()}`);

  const threads = new Set<number>();
  const wg = new WaitGroup();
  for (let i = 0; i < n; i++) {
    // Go: wg.Add(1); go func(id int) { defer wg.Done(); ... }(i)
    wg.go((id: number) => {
      threads.add(threadId);
      console.log(`Goroutine ${id} on thread ${threadId}`);
    }, i);
  }
  await wg.wait();
  console.log(`${n} goroutines ran on ${threads.size} thread(s): ${[...threads].join(", ")}`);
}
