// 2-case select: two sender goroutines each send n/2 values on their own
// unbuffered channel; main runs n selects over both. Figure: ns per select
// (each includes the handoff from the chosen sender). Go counterpart:
// bench/go/select2/main.go, the same program.

import { chan, go, recv, select } from "gort";
import { check, gc, intArg, main, report } from "./common.ts";

async function run(n: number): Promise<number> {
  const half = Math.floor(n / 2);
  const a = chan<number>();
  const b = chan<number>();
  go(async () => {
    for (let i = 0; i < half; i++) await a.send(1);
  });
  go(async () => {
    for (let i = 0; i < half; i++) await b.send(2);
  });
  let fromA = 0;
  let fromB = 0;
  const t0 = performance.now();
  for (let i = 0; i < 2 * half; i++) {
    await select([
      recv(a, () => {
        fromA++;
      }),
      recv(b, () => {
        fromB++;
      }),
    ]);
  }
  const ms = performance.now() - t0;
  check("select2 count a", fromA, half);
  check("select2 count b", fromB, half);
  return ms;
}

main(async () => {
  const n = intArg(0, 1_000_000);
  const warm = intArg(1, 200_000);
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  report({ value: (ms * 1e6) / (2 * Math.floor(n / 2)), unit: "ns/select", n });
});
