// Effect 4 spawn + join: fork n fibers (Effect.forkChild of a trivial effect),
// then Fiber.join each. Figure: ns per fiber, the median of TIMED_ROUNDS runs
// after the warm-up (as gort's bench/scenarios/spawnjoin.ts, which says why).
import { Effect, Fiber } from "effect";
import { check, gc, intArg, main, report } from "./common.mjs";

const TIMED_ROUNDS = 5;

const run = (n) =>
  Effect.gen(function* () {
    let ran = 0;
    const body = Effect.sync(() => {
      ran++;
    });
    const fibers = new Array(n);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(body);
    for (let i = 0; i < n; i++) yield* Fiber.join(fibers[i]);
    const ms = performance.now() - t0;
    check("spawnjoin ran", ran, n);
    return ms;
  });

main(async () => {
  const n = intArg(0, 100_000);
  const warm = intArg(1, 100_000);
  if (n === 0) throw new RangeError("spawnjoin: n must be at least 1");
  if (warm > 0) await Effect.runPromise(run(warm));
  gc();
  const runs = [];
  for (let r = 0; r < TIMED_ROUNDS; r++) runs.push(await Effect.runPromise(run(n)));
  const first = runs[0];
  runs.sort((a, b) => a - b);
  const ms = runs[TIMED_ROUNDS >> 1];
  report({
    value: (ms * 1e6) / n,
    unit: "ns/goroutine",
    n,
    extra: {
      variant: "Effect.forkChild + Fiber.join",
      "total ms": ms,
      "ns/goroutine in the first run after gc()": (first * 1e6) / n,
    },
  });
});
