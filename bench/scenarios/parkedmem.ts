// Memory per parked goroutine: n goroutines each block on a receive from one
// shared unbuffered channel. Figure: (RSS after - RSS before) / n in bytes,
// both read after a forced full GC (node --expose-gc). extra: V8 heap used
// per goroutine, and the time to spawn and park them all.
// Go counterpart: bench/go/parkedmem/main.go (RSS from /proc/self/statm).

import { chan, go } from "gort";
import { canGc, gc, intArg, main, report, turn } from "./common.ts";

/** Spawns k goroutines parked on `ch.recv()` and waits until all have parked. */
async function spawnParked(k: number, ch: { recv(): Promise<unknown> }): Promise<void> {
  let parked = 0;
  const body = async (): Promise<void> => {
    parked++;
    await ch.recv();
  };
  for (let i = 0; i < k; i++) go(body);
  while (parked < k) await turn();
  await turn();
}

main(async () => {
  if (!canGc()) throw new Error("parkedmem needs node --expose-gc");
  const n = intArg(0, 1_000_000);
  const warm = intArg(1, 10_000);
  // Warm-up: park and release a few, so code and runtime structures exist before the baseline.
  const w = chan<void>();
  await spawnParked(warm, w);
  w.close();
  await turn();
  await turn();

  gc();
  const rss0 = process.memoryUsage.rss();
  const heap0 = process.memoryUsage().heapUsed;
  const ch = chan<void>();
  const t0 = performance.now();
  await spawnParked(n, ch);
  const spawnMs = performance.now() - t0;
  gc();
  const rss1 = process.memoryUsage.rss();
  const heap1 = process.memoryUsage().heapUsed;
  report({
    value: (rss1 - rss0) / n,
    unit: "B/goroutine (RSS)",
    n,
    extra: {
      "V8 heap B/goroutine": (heap1 - heap0) / n,
      "ms to spawn and park all": spawnMs,
      measure: "RSS delta after forced GC (process.memoryUsage.rss)",
    },
  });
  // The goroutines stay parked; the process exits without waking them.
});
