// Contended Mutex: 8 goroutines share one Mutex; each does n/8 rounds of
// { lock; counter++; unlock } (Go's BenchmarkMutex body, with 8 goroutines
// instead of RunParallel). Figure: ns per lock+unlock pair. Go counterpart:
// bench/go/mutexcontended/main.go, the same program with GOMAXPROCS=1.
//
// The program is the same; the contention is each runtime's own: in gort
// every `await mu.lock()` is a scheduling point, so the goroutines
// interleave at every round (barging in normal mode, FIFO hand-offs once a
// waiter has waited 1 ms); in Go with one P a goroutine runs until it is
// preempted (10 ms), so most rounds are uncontended.

import { go } from "gort";
import { Mutex, WaitGroup } from "gort/sync";
import { check, gc, intArg, main, report } from "./common.ts";

const WORKERS = 8;

async function run(n: number): Promise<number> {
  const mu = new Mutex();
  const wg = new WaitGroup();
  const per = Math.floor(n / WORKERS);
  let counter = 0;
  const t0 = performance.now();
  for (let w = 0; w < WORKERS; w++) {
    wg.add(1);
    go(async () => {
      for (let i = 0; i < per; i++) {
        await mu.lock();
        counter++;
        mu.unlock();
      }
      wg.done();
    });
  }
  await wg.wait();
  const ms = performance.now() - t0;
  check("mutexcontended counter", counter, per * WORKERS);
  return ms;
}

main(async () => {
  const n = intArg(0, 2_000_000);
  const warm = intArg(1, 400_000);
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  report({ value: (ms * 1e6) / (Math.floor(n / WORKERS) * WORKERS), unit: "ns/op", n, extra: { workers: WORKERS } });
});
