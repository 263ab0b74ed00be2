// Effect 4 memory per parked fiber: n fibers (Effect.forkChild) each block on
// Queue.take of one shared Queue.bounded(1). Figure: RSS delta per fiber after
// a forced GC (node --expose-gc); extra: V8 heap per fiber, time to park all.
import { Effect, Queue } from "effect";
import { intArg, main, report } from "./common.mjs";

const fullGc = () => {
  globalThis.gc();
  globalThis.gc();
};

/** Forks k fibers parked on Queue.take(q) and waits until all have started. */
const spawnParked = (k, q) =>
  Effect.gen(function* () {
    let started = 0;
    const body = Effect.andThen(
      Effect.sync(() => {
        started++;
      }),
      Queue.take(q),
    );
    const fibers = new Array(k);
    for (let i = 0; i < k; i++) fibers[i] = yield* Effect.forkChild(body);
    while (started < k) yield* Effect.yieldNow;
    yield* Effect.yieldNow;
    return fibers;
  });

main(async () => {
  if (typeof globalThis.gc !== "function") throw new Error("parkedmem needs node --expose-gc");
  const n = intArg(0, 1_000_000);
  const warm = intArg(1, 10_000);
  await Effect.runPromise(
    Effect.gen(function* () {
      const w = yield* Queue.bounded(1);
      const ws = yield* spawnParked(warm, w);
      for (let i = 0; i < warm; i++) yield* Queue.offer(w, i);
      ws.length = 0;
    }),
  );
  fullGc();
  const rss0 = process.memoryUsage.rss();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await Effect.runPromise(
    Effect.gen(function* () {
      const q = yield* Queue.bounded(1);
      const fibers = yield* spawnParked(n, q);
      const spawnMs = performance.now() - t0;
      fullGc();
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
      // Keep the fibers reachable until after the measurement, then exit without waking them.
      if (fibers.length !== n) throw new Error("lost fibers");
      process.exit(0);
    }),
  );
});
