// Effect 4 ping-pong: two Queue.bounded(1) (Effect has no unbuffered channel),
// main fiber offers on `ping`, an echo fiber takes and offers back on `pong`.
// Figure: ns per round trip.
import { Effect, Fiber, Queue } from "effect";
import { check, gc, intArg, main, report } from "./common.mjs";

const run = (n) =>
  Effect.gen(function* () {
    const ping = yield* Queue.bounded(1);
    const pong = yield* Queue.bounded(1);
    const echo = yield* Effect.forkChild(
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          const v = yield* Queue.take(ping);
          yield* Queue.offer(pong, v);
        }
      }),
    );
    let sum = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      yield* Queue.offer(ping, i);
      sum += yield* Queue.take(pong);
    }
    const ms = performance.now() - t0;
    yield* Fiber.join(echo);
    check("pingpong sum", sum, (n * (n - 1)) / 2);
    return ms;
  });

main(async () => {
  const n = intArg(0, 50_000);
  const warm = intArg(1, 10_000);
  if (warm > 0) await Effect.runPromise(run(warm));
  gc();
  const ms = await Effect.runPromise(run(n));
  report({ value: (ms * 1e6) / n, unit: "ns/round trip", n });
});
