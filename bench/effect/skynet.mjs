// Effect 4 skynet: the same tree with fibers; each parent makes one
// Queue.unbounded() as its result channel, forks div children onto it, takes
// div sums and offers the total to its own parent. Figure: ms.
// Queue.unbounded, not Queue.bounded(1) (closer to an unbuffered channel): on
// this machine bounded(1) took ~24 s against ~10.5 s, and the comparison should
// use Effect's faster form.
import { Effect, Queue } from "effect";
import { check, gc, intArg, main, report } from "./common.mjs";

const skynet = (c, num, size, div) =>
  Effect.gen(function* () {
    if (size === 1) {
      yield* Queue.offer(c, num);
      return;
    }
    const rc = yield* Queue.unbounded();
    for (let i = 0; i < div; i++) {
      const subNum = num + i * (size / div);
      yield* Effect.forkChild(skynet(rc, subNum, size / div, div));
    }
    let sum = 0;
    for (let i = 0; i < div; i++) sum += yield* Queue.take(rc);
    yield* Queue.offer(c, sum);
  });

const run = (size) =>
  Effect.gen(function* () {
    const c = yield* Queue.unbounded();
    const t0 = performance.now();
    yield* Effect.forkChild(skynet(c, 0, size, 10));
    const result = yield* Queue.take(c);
    const ms = performance.now() - t0;
    check("skynet result", result, (size * (size - 1)) / 2);
    return ms;
  });

main(async () => {
  const size = intArg(0, 1_000_000);
  const warm = intArg(1, 100_000);
  for (const k of [size, warm]) {
    if (k !== 0 && !/^10*$/.test(String(k))) throw new RangeError(`skynet: sizes must be powers of 10, got ${k}`);
  }
  if (size === 0) throw new RangeError("skynet: size must be at least 1");
  if (warm > 0) await Effect.runPromise(run(warm));
  gc();
  const ms = await Effect.runPromise(run(size));
  report({ value: ms, unit: "ms", n: size });
});
