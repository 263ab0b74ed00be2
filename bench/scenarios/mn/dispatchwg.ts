// Dispatch throughput of tiny portable goroutines, Go's fan-out idiom (M:N
// section): main calls wg.add(n) on a shared WaitGroup and starts n
// goroutines of x => x + 1; each adds its result to a shared Int32Array
// with Atomics.add and calls wg.done(), and main waits on the WaitGroup. Figure: goroutines per second, start to wg.wait()
// returning. The same work as dispatch.ts, whose goroutines send each
// result on a shared channel that main receives from one by one.
// Peers: piscina and tinypool with 2 threads (bench/node/pool.mjs).

import { WaitGroup } from "gort/sync";
import { check } from "../common.ts";
import { go, task } from "./api.ts";
import { dispatchMain } from "./dispatch.ts";

export const incInto = task(import.meta, (x: number, sum: Int32Array, wg: WaitGroup): void => {
  Atomics.add(sum, 0, x + 1);
  wg.done();
});

async function run(n: number): Promise<number> {
  const wg = new WaitGroup({ shared: true });
  const sum = new Int32Array(new SharedArrayBuffer(4));
  const t0 = performance.now();
  wg.add(n);
  for (let i = 0; i < n; i++) go(incInto, i, sum, wg);
  await wg.wait();
  const ms = performance.now() - t0;
  // The sum wraps at 2^32 in the Int32Array: compare modulo 2^32.
  const want = ((n * (n - 1)) / 2 + n) % 2 ** 32;
  check("dispatch sum (mod 2^32)", sum[0] as number >>> 0, want);
  return ms;
}

export const main = dispatchMain(run);
