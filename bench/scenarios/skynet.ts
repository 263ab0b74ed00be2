// Skynet, the literal port of Go's program (github.com/atemerev/skynet):
// skynet(c, num, size, div) starts div children, each with the parent's one
// result channel, and sends the sum of what they send back. 1,000,000 leaves,
// 1,111,111 goroutines. Figure: ms for the whole tree.
// Go counterpart: bench/go/skynet/main.go.

import { chan, go, type SendChan } from "gort";
import { check, gc, intArg, main, report } from "./common.ts";

async function skynet(c: SendChan<number>, num: number, size: number, div: number): Promise<void> {
  if (size === 1) {
    await c.send(num);
    return;
  }
  const rc = chan<number>();
  let sum = 0;
  for (let i = 0; i < div; i++) {
    const subNum = num + i * (size / div);
    go(skynet, rc, subNum, size / div, div);
  }
  for (let i = 0; i < div; i++) {
    sum += (await rc.recv()) as number;
  }
  await c.send(sum);
}

async function run(size: number): Promise<number> {
  const c = chan<number>();
  const t0 = performance.now();
  go(skynet, c, 0, size, 10);
  const result = await c.recv();
  const ms = performance.now() - t0;
  check("skynet result", result, (size * (size - 1)) / 2);
  return ms;
}

main(async () => {
  const size = intArg(0, 1_000_000);
  const warm = intArg(1, 100_000);
  for (const k of [size, warm]) {
    if (k !== 0 && !/^10*$/.test(String(k))) throw new RangeError(`skynet: sizes must be powers of 10, got ${k}`);
  }
  if (size === 0) throw new RangeError("skynet: size must be at least 1");
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(size);
  report({ value: ms, unit: "ms", n: size });
});
