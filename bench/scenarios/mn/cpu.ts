// CPU-bound scaling (M:N section): 8 portable goroutines each compute
// sum(0..n-1) in a float loop and send it on a shared channel; main receives
// the 8 sums. Run with GOMAXPROCS=1 and 2; the harness divides the times for
// the speedup. Figure: ms for all 8; extra.threads: how many threads ran the
// 8 (each goroutine also sends its threadId). Peer: Go (bench/go/mncpu), same P.

import { threadId } from "node:worker_threads";
import type { Figure } from "../common.ts";
import { gc } from "../common.ts";
import { chan, go, gomaxprocs, type SendChan, task } from "./api.ts";

const TASKS = 8;

export const sum = task(import.meta, async (n: number, out: SendChan<number>, where: SendChan<number>): Promise<void> => {
  let s = 0;
  for (let i = 0; i < n; i++) s += i;
  await out.send(s);
  await where.send(threadId);
});

async function run(n: number): Promise<{ ms: number; threads: number }> {
  const out = chan<number>(TASKS, { shared: true });
  const where = chan<number>(TASKS, { shared: true });
  const want = (n * (n - 1)) / 2; // exact: below 2^53 for n ≤ 1.3e8
  const t0 = performance.now();
  for (let t = 0; t < TASKS; t++) go(sum, n, out, where);
  for (let t = 0; t < TASKS; t++) {
    const got = await out.recv();
    if (got !== want) throw new Error(`cpu sum: got ${String(got)}, want ${want}`);
  }
  const ms = performance.now() - t0;
  const threads = new Set<number>();
  for (let t = 0; t < TASKS; t++) threads.add((await where.recv()) as number);
  return { ms, threads: threads.size };
}

export async function main(n: number, warm: number): Promise<Figure> {
  if (warm > 0) await run(warm);
  gc();
  const { ms, threads } = await run(n);
  return { value: ms, unit: "ms", n, extra: { tasks: TASKS, threads, gomaxprocs: gomaxprocs() } };
}
