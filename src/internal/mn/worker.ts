// The entry of a worker thread: an M that runs one P (proc.ts). It maps the
// shared heap, takes goroutine ids from the shared counter, loads the kinds
// of shared objects (so handles can be unwrapped here), and starts its
// schedule loop. Panics and fatal errors go to the main thread, which ends
// the program.

import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { setGoidBlocks } from "../g.ts";
import { setFatalReport } from "../panic.ts";
import { attachHeap } from "./heap.ts";
import { M_ALIVE, mBase, S_GOID } from "./layout.ts";
import { setSelfM } from "./m.ts";
import { GOID_BLOCK, type WorkerMessage } from "./pool.ts";
import { startWorkerP } from "./proc.ts";
import { type SabMessage, setMainPort } from "./sab.ts";
import "../../index.ts";
import "../../sync/index.ts";

interface WorkerBoot {
  readonly sab: SharedArrayBuffer;
  readonly m: number;
  readonly p: number;
  readonly sabs: readonly SabMessage[];
  readonly port: MessagePort;
}

const boot = workerData as WorkerBoot;
const port = parentPort;
if (port === null) throw new Error("gort: worker.ts must run in a worker thread");
const h = attachHeap(boot.sab);
setSelfM(boot.m);
setMainPort(boot.port, boot.sabs);
setGoidBlocks(() => Atomics.add(h.i32, S_GOID, GOID_BLOCK), GOID_BLOCK);
setFatalReport((report) => {
  port.postMessage({ kind: "fatal", report } satisfies WorkerMessage);
  // The main thread ends the process; run nothing more here meanwhile.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
Atomics.store(h.i32, mBase(boot.m) + M_ALIVE, 1);
// The port keeps this thread's event loop alive while it is parked; the main thread unref()s the worker.
port.on("message", () => {});
startWorkerP(boot.p);
