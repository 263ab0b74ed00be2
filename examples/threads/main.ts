// Threads (seed article 002, "Threads: Lightweight Execution Units"): set
// GOMAXPROCS to 4 and start 10 goroutines that "might run on different OS
// threads". In gort they do when they are portable goroutines (task()): they
// run on the GOMAXPROCS worker threads of the M:N scheduler. Each prints
// Node's threadId (node:worker_threads) from its own thread; the main
// goroutine stays on the main thread (threadId 0).
//
// Usage: gort run examples/threads/main.ts [goroutines=10]

import { writeSync } from "node:fs";
import { threadId } from "node:worker_threads";
import { chan, go, type SendChan, task } from "gort";
import { gomaxprocs, numGoroutine } from "gort/runtime";
import { WaitGroup } from "gort/sync";

/** Go: go func(id int) { defer wg.Done(); fmt.Printf("Goroutine %d on thread\n", id) }(i) */
export const hello = task(import.meta, (id: number, wg: WaitGroup, threads: SendChan<number>): void => {
  try {
    // A synchronous write from this worker thread, so lines of every thread come out as they happen.
    writeSync(1, `Goroutine ${id} on thread ${threadId}\n`);
    threads.trySend(threadId);
  } finally {
    wg.done();
  }
});

export default async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10);
  // The article prints NumGoroutine under the label "threads".
  console.log(`Initial goroutines: ${numGoroutine()}`);

  gomaxprocs(4); // Force Go to use multiple OS threads
  console.log(`GOMAXPROCS: ${gomaxprocs()}`);

  const wg = new WaitGroup({ shared: true });
  const threads = chan<number>(n, { shared: true });
  for (let i = 0; i < n; i++) {
    wg.add(1);
    go(hello, i, wg, threads);
  }
  await wg.wait();

  const seen = new Set<number>();
  for (let r = threads.tryRecv(); r.ok; r = threads.tryRecv()) seen.add(r.value);
  const ids = [...seen].sort((a, b) => a - b);
  console.log(`${n} goroutines ran on ${seen.size} worker thread(s): ${ids.join(", ")}; main stayed on thread ${threadId}`);
}
