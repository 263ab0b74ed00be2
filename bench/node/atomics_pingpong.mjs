// Raw Atomics ping-pong between the main thread and a worker (the M:N
// section's baseline): main stores i in PING and bumps SEQ to odd; the worker
// copies PING to PONG and bumps SEQ to even. Spin ~2,000 loads, then
// Atomics.wait (atomics.mjs). Figure: ns per round trip.
//   node --expose-gc bench/node/atomics_pingpong.mjs <n> <warm>

import { isMainThread, Worker, workerData } from "node:worker_threads";
import { check, gc, intArg, main, report } from "../effect/common.mjs";
import { LINE, publish, SPIN, stats, waitChange } from "./atomics.mjs";

const SEQ = 0;
const PING = LINE;
const PONG = 2 * LINE;
const MAIN_ASLEEP = 3 * LINE;
const WORKER_ASLEEP = 4 * LINE;
const WORKER_SLEEPS = 5 * LINE; // the worker's sleep count during the timed run, stored at its end
const WORDS = 6 * LINE;

if (isMainThread) {
  main(async () => {
    const n = intArg(0, 200_000);
    const warm = intArg(1, 20_000);
    const a = new Int32Array(new SharedArrayBuffer(WORDS * 4));
    const worker = new Worker(new URL(import.meta.url), { workerData: { sab: a.buffer, total: warm + n + 1, n } });
    const exited = new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.once("exit", resolve);
    });
    let seq = 0;
    const trip = (v) => {
      Atomics.store(a, PING, v);
      publish(a, SEQ, ++seq, WORKER_ASLEEP);
      seq = waitChange(a, SEQ, seq, MAIN_ASLEEP);
      return Atomics.load(a, PONG);
    };
    trip(0); // the worker is up before anything is timed
    const run = (k) => {
      let sum = 0;
      const t0 = performance.now();
      for (let i = 1; i <= k; i++) sum += trip(i);
      const ms = performance.now() - t0;
      check("atomics pingpong sum", sum, (k * (k + 1)) / 2);
      return ms;
    };
    if (warm > 0) run(warm);
    gc();
    stats.sleeps = 0;
    const ms = run(n);
    await exited;
    const extra = { spin: SPIN, mainSleeps: stats.sleeps, workerSleeps: Atomics.load(a, WORKER_SLEEPS) };
    report({ value: (ms * 1e6) / n, unit: "ns/round trip", n, extra });
  });
} else {
  const a = new Int32Array(workerData.sab);
  let seq = 0;
  for (let i = 0; i < workerData.total; i++) {
    if (i === workerData.total - workerData.n) stats.sleeps = 0;
    seq = waitChange(a, SEQ, seq, WORKER_ASLEEP);
    Atomics.store(a, PONG, Atomics.load(a, PING));
    publish(a, SEQ, ++seq, MAIN_ASLEEP);
  }
  Atomics.store(a, WORKER_SLEEPS, stats.sleeps);
}
