// Parallel skynet (M:N section): the skynet tree of bench/scenarios/skynet.ts
// with its top levels portable. The root and its `div` children are portable
// goroutines (task) talking over shared unbuffered channels, so they spread
// over the GOMAXPROCS worker threads; below them every goroutine is local
// (plain go() of an async function, local channels) on its parent's thread.
// 1,000,000 leaves: 11 portable goroutines, 1,111,100 local. Figure: ms for
// the whole tree. Peer: Go's skynet (bench/go/skynet) with GOMAXPROCS=2.

import { check, type Figure, gc } from "../common.ts";
import { chan, go, gomaxprocs, type SendChan, task } from "./api.ts";

async function skynetLocal(c: SendChan<number>, num: number, size: number, div: number): Promise<void> {
  if (size === 1) {
    await c.send(num);
    return;
  }
  const rc = chan<number>();
  for (let i = 0; i < div; i++) go(skynetLocal, rc, num + i * (size / div), size / div, div);
  let sum = 0;
  for (let i = 0; i < div; i++) sum += (await rc.recv()) as number;
  await c.send(sum);
}

/** A portable skynet node: its children are portable while their size is ≥ `portableMin`, else local. */
export const skynetPortable = task(
  import.meta,
  async (c: SendChan<number>, num: number, size: number, div: number, portableMin: number): Promise<void> => {
    if (size === 1) {
      await c.send(num);
      return;
    }
    const sub = size / div;
    const portable = sub >= portableMin;
    const rc = portable ? chan<number>(0, { shared: true }) : chan<number>();
    for (let i = 0; i < div; i++) {
      if (portable) go(skynetPortable, rc, num + i * sub, sub, div, portableMin);
      else go(skynetLocal, rc, num + i * sub, sub, div);
    }
    let sum = 0;
    for (let i = 0; i < div; i++) sum += (await rc.recv()) as number;
    await c.send(sum);
  },
);

/** Portable goroutines in a tree of `size` leaves whose nodes of size ≥ portableMin are portable. */
function portableCount(size: number, div: number, portableMin: number): number {
  let count = 0;
  for (let level = 1, s = size; s >= portableMin && s >= 1; level *= div, s /= div) count += level;
  return count;
}

async function run(size: number): Promise<number> {
  const div = 10;
  const portableMin = size / div; // the root and its children
  const c = chan<number>(0, { shared: true });
  const t0 = performance.now();
  go(skynetPortable, c, 0, size, div, portableMin);
  const result = await c.recv();
  const ms = performance.now() - t0;
  check("skynet result", result, (size * (size - 1)) / 2);
  return ms;
}

export async function main(size: number, warm: number): Promise<Figure> {
  for (const k of [size, warm]) {
    if (k !== 0 && !/^10*$/.test(String(k))) throw new RangeError(`skynet: sizes must be powers of 10, got ${k}`);
  }
  if (size < 10) throw new RangeError("skynet: size must be at least 10");
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(size);
  return { value: ms, unit: "ms", n: size, extra: { portable: portableCount(size, 10, size / 10), gomaxprocs: gomaxprocs() } };
}
