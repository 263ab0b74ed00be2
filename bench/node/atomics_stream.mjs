// Raw Atomics stream, capacity 100 (the M:N section's baseline): a worker
// produces n values into a single-producer single-consumer ring in a
// SharedArrayBuffer, the main thread consumes them. Free-running HEAD/TAIL
// counters; a side that finds the ring empty (full) spins ~2,000 loads, then
// Atomics.wait (atomics.mjs). Figure: ns per item.
//   node --expose-gc bench/node/atomics_stream.mjs <n> <warm> [await]
//
// With "await", each side awaits one resolved promise per item (the put
// returns one, the take a Promise.resolve of its value), as
// `await ch.send(v)` and `await ch.recv()` must at least: the floor of any
// channel whose operations are awaited, with no channel logic at all.

import { isMainThread, Worker, workerData } from "node:worker_threads";
import { check, gc, intArg, main, report } from "../effect/common.mjs";
import { LINE, publish, SPIN, stats, waitChange } from "./atomics.mjs";

const CAP = 100;
const HEAD = 0; // items taken, written by the consumer (main)
const TAIL = LINE; // items put, written by the producer (worker)
const CONSUMER_ASLEEP = 2 * LINE;
const PRODUCER_ASLEEP = 3 * LINE;
const WORKER_SLEEPS = 4 * LINE; // the worker's sleep count during the timed run, stored at its end
const SLOTS = 5 * LINE;
const WORDS = SLOTS + CAP;
const RESOLVED = Promise.resolve();

if (isMainThread) {
  main(async () => {
    const n = intArg(0, 1_000_000);
    const warm = intArg(1, 100_000);
    const a = new Int32Array(new SharedArrayBuffer(WORDS * 4));
    const awaited = process.argv[4] === "await";
    const worker = new Worker(new URL(import.meta.url), { workerData: { sab: a.buffer, runs: [1, warm, n], awaited } });
    const exited = new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.once("exit", resolve);
    });
    let head = 0;
    const take = () => {
      let tail = Atomics.load(a, TAIL);
      if (tail === head) tail = waitChange(a, TAIL, head, CONSUMER_ASLEEP);
      const v = Atomics.load(a, SLOTS + (head % CAP));
      publish(a, HEAD, ++head, PRODUCER_ASLEEP);
      return v;
    };
    const run = async (k) => {
      let sum = 0;
      const t0 = performance.now();
      if (awaited) for (let i = 0; i < k; i++) sum += await Promise.resolve(take());
      else for (let i = 0; i < k; i++) sum += take();
      const ms = performance.now() - t0;
      check("atomics stream sum", sum, (k * (k - 1)) / 2);
      return ms;
    };
    await run(1); // the worker is up before anything is timed
    if (warm > 0) await run(warm);
    gc();
    stats.sleeps = 0;
    const ms = await run(n);
    await exited;
    const extra = { awaited: String(awaited), spin: SPIN, capacity: CAP, mainSleeps: stats.sleeps, workerSleeps: Atomics.load(a, WORKER_SLEEPS) };
    report({ value: (ms * 1e6) / n, unit: "ns/item", n, extra });
  });
} else {
  const a = new Int32Array(workerData.sab);
  let tail = 0;
  const put = (i) => {
    let head = Atomics.load(a, HEAD);
    while (tail - head >= CAP) head = waitChange(a, HEAD, head, PRODUCER_ASLEEP);
    Atomics.store(a, SLOTS + (tail % CAP), i);
    publish(a, TAIL, ++tail, CONSUMER_ASLEEP);
    return RESOLVED;
  };
  for (const k of workerData.runs) {
    stats.sleeps = 0;
    if (workerData.awaited) for (let i = 0; i < k; i++) await put(i);
    else for (let i = 0; i < k; i++) put(i);
  }
  Atomics.store(a, WORKER_SLEEPS, stats.sleeps);
}
