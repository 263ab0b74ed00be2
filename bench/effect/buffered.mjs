// Effect 4 buffered transfer: Queue.bounded(100), a producer fiber offers n
// values one at a time, main takes them one at a time. Figure: ns per item.
import { Effect, Fiber, Queue } from "effect";
import { check, gc, intArg, main, report } from "./common.mjs";

const run = (n) =>
  Effect.gen(function* () {
    const q = yield* Queue.bounded(100);
    const producer = yield* Effect.forkChild(
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) yield* Queue.offer(q, i);
      }),
    );
    let sum = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sum += yield* Queue.take(q);
    const ms = performance.now() - t0;
    yield* Fiber.join(producer);
    check("buffered sum", sum, (n * (n - 1)) / 2);
    return ms;
  });

main(async () => {
  const n = intArg(0, 200_000);
  const warm = intArg(1, 50_000);
  if (warm > 0) await Effect.runPromise(run(warm));
  gc();
  const ms = await Effect.runPromise(run(n));
  report({ value: (ms * 1e6) / n, unit: "ns/item", n });
});
