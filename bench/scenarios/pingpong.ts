// Unbuffered ping-pong: main sends on `ping`, an echo goroutine receives and
// sends the value back on `pong`. Figure: ns per round trip (two handoffs).
// Go counterpart: bench/go/pingpong/main.go.

import { chan, go } from "gort";
import { check, gc, intArg, main, report } from "./common.ts";

async function run(n: number): Promise<number> {
  const ping = chan<number>();
  const pong = chan<number>();
  go(async () => {
    for (let i = 0; i < n; i++) {
      const v = await ping.recv();
      await pong.send(v as number);
    }
  });
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await ping.send(i);
    sum += (await pong.recv()) as number;
  }
  const ms = performance.now() - t0;
  check("pingpong sum", sum, (n * (n - 1)) / 2);
  return ms;
}

main(async () => {
  const n = intArg(0, 500_000);
  const warm = intArg(1, 100_000);
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  report({ value: (ms * 1e6) / n, unit: "ns/round trip", n });
});
