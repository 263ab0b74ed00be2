// WaitGroup cycles: add(1); done(); wait() n times in one goroutine (Go's
// BenchmarkWaitGroupUncontended body, without RunParallel). Figure: ns per
// cycle. Go counterpart: bench/go/waitgroup/main.go, GOMAXPROCS=1.

import { WaitGroup } from "gort/sync";
import { check, gc, intArg, main, report } from "./common.ts";

async function run(n: number): Promise<number> {
  const wg = new WaitGroup();
  let cycles = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    wg.add(1);
    wg.done();
    await wg.wait();
    cycles++;
  }
  const ms = performance.now() - t0;
  check("waitgroup cycles", cycles, n);
  return ms;
}

main(async () => {
  const n = intArg(0, 5_000_000);
  const warm = intArg(1, 1_000_000);
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  report({ value: (ms * 1e6) / n, unit: "ns/cycle", n });
});
