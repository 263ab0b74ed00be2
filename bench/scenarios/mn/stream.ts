// Cross-thread stream through a shared channel of capacity 100 (M:N
// section): a portable producer goroutine, on a worker thread, sends n values;
// main receives them. Figure: ns per item. Peers: Go GOMAXPROCS=2
// (bench/go/mnstream), raw Atomics SPSC ring (bench/node/atomics_stream.mjs).

import { check, type Figure, gc } from "../common.ts";
import { chan, go, gomaxprocs, type SendChan, task } from "./api.ts";

export const produce = task(import.meta, async (n: number, out: SendChan<number>): Promise<void> => {
  for (let i = 0; i <= n; i++) await out.send(i);
});

async function run(n: number): Promise<number> {
  const ch = chan<number>(100, { shared: true });
  go(produce, n, ch);
  await ch.recv(); // the producer is running before the clock starts
  let sum = 0;
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) sum += (await ch.recv()) as number;
  const ms = performance.now() - t0;
  check("stream sum", sum, (n * (n + 1)) / 2);
  return ms;
}

export async function main(n: number, warm: number): Promise<Figure> {
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  return { value: (ms * 1e6) / n, unit: "ns/item", n, extra: { gomaxprocs: gomaxprocs() } };
}
