// Buffered channel (cap 100): a producer goroutine sends n values, main
// receives them. Figure: ns per item. Go counterpart: bench/go/buffered/main.go.

import { chan, go } from "gort";
import { check, gc, intArg, main, report } from "./common.ts";

async function run(n: number): Promise<number> {
  const ch = chan<number>(100);
  go(async () => {
    for (let i = 0; i < n; i++) await ch.send(i);
  });
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sum += (await ch.recv()) as number;
  const ms = performance.now() - t0;
  check("buffered sum", sum, (n * (n - 1)) / 2);
  return ms;
}

main(async () => {
  const n = intArg(0, 2_000_000);
  const warm = intArg(1, 400_000);
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  report({ value: (ms * 1e6) / n, unit: "ns/item", n });
});
