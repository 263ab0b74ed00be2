// The entry of a worker thread: an M that runs one P (proc.ts). It maps the
// shared heap, takes goroutine ids from the shared counter, loads the kinds
// of shared objects (so handles can be unwrapped here), and starts its
// schedule loop. Panics and fatal errors go to the main thread, which ends
// the program.

import { Buffer } from "node:buffer";
import { writeSync } from "node:fs";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { setGoidBlocks } from "../g.ts";
import { setFatalReport } from "../panic.ts";
import { attachHeap } from "./heap.ts";
import { M_ALIVE, mBase, S_GOID } from "./layout.ts";
import { setSelfM } from "./m.ts";
import { GOID_BLOCK, type WorkerMessage } from "./pool.ts";
import { noteOwnResources, startWorkerP } from "./proc.ts";
import { type SabMessage, setMainPort } from "./sab.ts";
import "../../index.ts";
import "../../sync/index.ts";
import "./dumps.ts"; // answers other threads' dump requests
import { syncLeakTracking } from "./leaks.ts";
import { syncTrace } from "./tracing.ts";

const nap = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `data` to `fd`, waiting while a non-blocking pipe is full. */
function writeAll(fd: number, data: Uint8Array): void {
  for (let off = 0; off < data.length; ) {
    try {
      off += writeSync(fd, data, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      Atomics.wait(nap, 0, 0, 1);
    }
  }
}

function syncOutput(stream: NodeJS.WriteStream, fd: number): void {
  const write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    const done = typeof encoding === "function" ? encoding : cb;
    const data =
      typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : (chunk as Uint8Array);
    writeAll(fd, data);
    if (typeof done === "function") (done as () => void)();
    return true;
  };
  stream.write = write as typeof stream.write;
}

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
// Output is written synchronously, as Go's os.Stdout is: a worker's
// process.stdout otherwise goes through the main thread asynchronously and
// is lost when the program exits first (main returned, a panic).
syncOutput(process.stdout, 1);
syncOutput(process.stderr, 2);
Atomics.store(h.i32, mBase(boot.m) + M_ALIVE, 1);
syncTrace(); // a trace the main thread runs already (after M_ALIVE: from now on TRACE_TOKEN reaches this thread too)
syncLeakTracking(); // leaks the main thread tracks already
// The port keeps this thread's event loop alive while it is parked; the main thread unref()s the worker.
port.on("message", () => {});
noteOwnResources(); // what of the event loop's is the worker's own (deadlock detection: proc.ts publish)
startWorkerP(boot.p);
