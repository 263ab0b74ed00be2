// errgroup: a Group runs 10,000 goroutines that each return null, then
// wait(); repeated n / 10,000 times. Figure: ns per goroutine (go + run +
// wait). Go counterpart: bench/go/errgroup/main.go (a minimal errgroup built
// on sync.WaitGroup + sync.Once, as x/sync implements it).

import { Group } from "gort/sync/errgroup";
import { check, gc, intArg, main, report } from "./common.ts";

const PER_GROUP = 10_000;

async function run(n: number): Promise<number> {
  const groups = Math.max(1, Math.round(n / PER_GROUP));
  let count = 0;
  const body = (): null => {
    count++;
    return null;
  };
  const t0 = performance.now();
  for (let k = 0; k < groups; k++) {
    const g = new Group();
    for (let i = 0; i < PER_GROUP; i++) g.go(body);
    const err = await g.wait();
    if (err !== null) throw err;
  }
  const ms = performance.now() - t0;
  check("errgroup goroutines", count, groups * PER_GROUP);
  return ms;
}

main(async () => {
  const n = intArg(0, 1_000_000);
  const warm = intArg(1, 100_000);
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  const total = Math.max(1, Math.round(n / PER_GROUP)) * PER_GROUP;
  report({ value: (ms * 1e6) / total, unit: "ns/goroutine", n: total, extra: { "goroutines per group": PER_GROUP } });
});
