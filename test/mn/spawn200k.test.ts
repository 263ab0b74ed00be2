// 200,000 portable goroutines, each incrementing its own slot of a shared
// Int32Array once (Atomics.add) and marking a shared WaitGroup done: every
// goroutine runs exactly once, on some worker thread — none lost, none run
// twice, however the run queues (local, global, stealing) hand them out.
// The main thread starts half of them; the other half are started by
// portable goroutines on the workers (go from a worker puts the G in that
// P's runnext/local queue, which the other Ps steal from).

import assert from "node:assert/strict";
import { test } from "node:test";
import { go } from "gort";
import { WaitGroup } from "gort/sync";
import { incSlot, spawnRange } from "./tasks.ts";
import { watchdog } from "./watchdog.ts";

watchdog();
const N = 200_000;
/** Goroutines started by each spawner on a worker. */
const PER_SPAWNER = 10_000;

test("200k portable goroutines each increment their own shared slot exactly once", { timeout: 120_000 }, async () => {
  const slots = new Int32Array(new SharedArrayBuffer(4 * N));
  const wg = new WaitGroup({ shared: true });
  const half = N / 2;
  wg.add(N + half / PER_SPAWNER);
  for (let lo = half; lo < N; lo += PER_SPAWNER) go(spawnRange, lo, lo + PER_SPAWNER, slots, wg);
  for (let i = 0; i < half; i++) go(incSlot, i, slots, wg);
  await wg.wait();
  let zero = 0;
  let more = 0;
  for (let i = 0; i < N; i++) {
    const v = Atomics.load(slots, i);
    if (v === 0) zero++;
    else if (v !== 1) more++;
  }
  assert.deepEqual({ zero, more }, { zero: 0, more: 0 }, "slots never incremented / incremented more than once");
});
