// Dispatch throughput of tiny portable goroutines (M:N section): main starts
// n goroutines of inc (x => x + 1) with go(); they run on the GOMAXPROCS
// worker threads and send their results on one shared channel of capacity
// 100; main receives all n. Figure: goroutines per second, start to last
// result. Peers: piscina and tinypool with 2 threads (bench/node/pool.mjs).

import { check, type Figure, gc } from "../common.ts";
import { chan, go, gomaxprocs, type SendChan, task } from "./api.ts";

export const inc = task(import.meta, async (x: number, out: SendChan<number>): Promise<void> => {
  await out.send(x + 1);
});

async function run(n: number): Promise<number> {
  const out = chan<number>(100, { shared: true });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) go(inc, i, out);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (await out.recv()) as number;
  const ms = performance.now() - t0;
  check("dispatch sum", sum, (n * (n - 1)) / 2 + n);
  return ms;
}

/** The driver of a dispatch scenario whose `run(n)` returns the ms for n tasks (also dispatchwg.ts). */
export function dispatchMain(run: (n: number) => Promise<number>): (n: number, warm: number) => Promise<Figure> {
  return async (n, warm) => {
    // Warm up in runs of n at most: the code paths of a run's start and end
    // (a fresh free list, the workers waking) then reach the JIT several times.
    for (let done = 0; done < warm; done += n) await run(Math.min(n, warm - done));
    gc();
    const ms = await run(n);
    return { value: n / (ms / 1000), unit: "tasks/s", n, extra: { ms, gomaxprocs: gomaxprocs() } };
  };
}

export const main = dispatchMain(run);
