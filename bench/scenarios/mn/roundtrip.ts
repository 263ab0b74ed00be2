// Latency of one portable goroutine (M:N section): n times, main starts one
// inc goroutine (x => x + 1) and awaits its result on a shared channel of
// capacity 1. Figure: the median µs per round trip (mean, p90, p99 in extra).
// Peers: piscina and tinypool, sequential `await pool.run(x)`.

import { check, type Figure, gc } from "../common.ts";
import { chan, go, gomaxprocs, type SendChan, task } from "./api.ts";

export const inc = task(import.meta, async (x: number, out: SendChan<number>): Promise<void> => {
  await out.send(x + 1);
});

async function run(n: number): Promise<Float64Array> {
  const out = chan<number>(1, { shared: true });
  const us = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    go(inc, i, out);
    sum += (await out.recv()) as number;
    us[i] = (performance.now() - t0) * 1000;
  }
  check("roundtrip sum", sum, (n * (n - 1)) / 2 + n);
  return us.sort();
}

export async function main(n: number, warm: number): Promise<Figure> {
  if (warm > 0) await run(warm);
  gc();
  const us = await run(n);
  const at = (q: number): number => us[Math.min(n - 1, Math.floor(q * n))] as number;
  const mean = us.reduce((a, b) => a + b, 0) / n;
  return {
    value: at(0.5),
    unit: "µs/round trip (median)",
    n,
    extra: { mean, p90: at(0.9), p99: at(0.99), gomaxprocs: gomaxprocs() },
  };
}
