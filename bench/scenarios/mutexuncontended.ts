// Uncontended Mutex: one goroutine locks and unlocks n times. Figure: ns per
// lock+unlock pair. Go counterpart: bench/go/mutexuncontended/main.go (the
// same loop, GOMAXPROCS=1).

import { Mutex } from "gort/sync";
import { check, gc, intArg, main, report } from "./common.ts";

async function run(n: number): Promise<number> {
  const mu = new Mutex();
  let count = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await mu.lock();
    count++;
    mu.unlock();
  }
  const ms = performance.now() - t0;
  check("mutexuncontended count", count, n);
  return ms;
}

main(async () => {
  const n = intArg(0, 5_000_000);
  const warm = intArg(1, 1_000_000);
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  report({ value: (ms * 1e6) / n, unit: "ns/op", n });
});
