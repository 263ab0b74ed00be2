// Context tree: a root withCancel(background()) and 1,000 descendants made
// breadth-first, each node getting 4 withCancel children (the shape of Go's
// TestSimultaneousCancels: root, 4, 16, 64, 256, then 659 more of the next
// level), then cancel the root and check that all 1,001 are done (err()).
// Figure: µs per tree, create + cancel. n = number of trees.
// Go counterpart: bench/go/contexttree/main.go (context.WithCancel).

import { background, type Context, withCancel } from "gort/context";
import { check, gc, intArg, main, report } from "./common.ts";

const DESCENDANTS = 1000;

function tree(): number {
  const [root, cancel] = withCancel(background());
  const all: Context[] = [root];
  for (let head = 0; all.length <= DESCENDANTS; head++) {
    const parent = all[head] as Context;
    for (let i = 0; i < 4 && all.length <= DESCENDANTS; i++) all.push(withCancel(parent)[0]);
  }
  cancel();
  let done = 0;
  for (const c of all) if (c.err() !== null) done++;
  return done;
}

function run(n: number): number {
  const t0 = performance.now();
  let done = 0;
  for (let i = 0; i < n; i++) done += tree();
  const ms = performance.now() - t0;
  check("contexttree done", done, n * (DESCENDANTS + 1));
  return ms;
}

main(async () => {
  const n = intArg(0, 2_000);
  const warm = intArg(1, 500);
  if (warm > 0) run(warm);
  gc();
  const ms = run(n);
  report({ value: (ms * 1e3) / n, unit: "µs/tree", n, extra: { contexts: DESCENDANTS + 1 } });
});
