// Worker for bench/micro/runq.ts: steals from queue 0 into queue 1 as fast as
// it can, runs (counts) what it took, until told to stop; posts the count.

import { parentPort, workerData } from "node:worker_threads";
import { GlobRunq } from "#internal/shm/globrunq";
import { LocalRunq, StealRunq } from "#internal/shm/runq";

const { sab, qw, ctl } = workerData as { sab: SharedArrayBuffer; qw: number; ctl: number };
const mem = new Int32Array(sab);
const port = parentPort;
if (port === null) throw new Error("runq_thief.js is a worker entry");
const glob = new GlobRunq(mem, 2 * qw);
const local = new LocalRunq(mem, qw, glob);
const victim = new StealRunq(mem, 0);
port.postMessage("ready");
while (Atomics.load(mem, ctl) === 0);
let n = 0;
for (;;) {
  let id = local.get();
  if (id === 0) id = local.steal(victim, false);
  if (id !== 0) {
    n++;
    continue;
  }
  // Our queue is empty (get() just said so) and only we fill it.
  if (Atomics.load(mem, ctl + 1) === 1) break;
}
port.postMessage(n);
