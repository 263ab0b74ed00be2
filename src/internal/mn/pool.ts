// Booting the M:N runtime on the main thread: the shared heap, the worker
// threads (one M per P, GOMAXPROCS of them), and what the main thread does
// when a worker reports a panic or dies (Go: a panic or fatal error on any
// thread ends the program with status 2).

import { availableParallelism } from "node:os";
import { MessageChannel, Worker } from "node:worker_threads";
import { peekGoid, setGoidBlocks } from "../g.ts";
import { createHeap, sharedOrNull } from "./heap.ts";
import { M_ALIVE, MAX_PROCS, mBase, S_EXITING, S_GOID, S_NWORKERS, S_PROCS } from "./layout.ts";
import { initMainM, wakep } from "./proc.ts";
import { addWorkerPort, knownSabs } from "./sab.ts";

/** Goroutine ids each thread takes from the shared counter at a time. */
export const GOID_BLOCK = 1024;

/** Messages a worker thread sends the main thread. */
export type WorkerMessage = { readonly kind: "fatal"; readonly report: string };

const workers: Worker[] = [];
let exiting = false;

/** GOMAXPROCS as the program starts: the GOMAXPROCS environment variable, else the CPUs available. */
export function initialProcs(): number {
  const env = process.env["GOMAXPROCS"];
  if (env === undefined || env === "") return Math.min(availableParallelism(), MAX_PROCS);
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`GOMAXPROCS must be a positive integer, received ${JSON.stringify(env)}`);
  }
  return Math.min(n, MAX_PROCS);
}

let booted = false;

/** Boots the M:N runtime (once, on the main thread, at the first portable go or shared object). */
export function bootMain(procs: number): void {
  if (booted) return;
  booted = true;
  const first = peekGoid();
  const h = createHeap(first + GOID_BLOCK);
  setGoidBlocks(() => Atomics.add(h.i32, S_GOID, GOID_BLOCK), GOID_BLOCK, first);
  Atomics.store(h.i32, S_PROCS, procs);
  Atomics.store(h.i32, mBase(0) + M_ALIVE, 1);
  initMainM();
  startWorkers(procs);
  process.once("exit", () => {
    exiting = true;
    Atomics.store(h.i32, S_EXITING, 1);
  });
}

/** Whether the M:N runtime runs in this process. */
export function isBooted(): boolean {
  return booted;
}

/** Sets GOMAXPROCS for the running runtime, starting workers if there are more Ps than threads. */
export function setProcs(n: number): void {
  const h = sharedOrNull();
  if (h === null) return;
  Atomics.store(h.i32, S_PROCS, n);
  startWorkers(n);
  wakep();
}

function workerURL(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);
}

function startWorkers(n: number): void {
  const h = sharedOrNull();
  if (h === null) return;
  while (workers.length < n) {
    const p = workers.length;
    const m = p + 1;
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(workerURL(), {
      workerData: { sab: h.sab, m, p, sabs: knownSabs(), port: port2 },
      transferList: [port2],
    });
    addWorkerPort(port1);
    w.on("message", (msg: WorkerMessage) => {
      if (msg.kind === "fatal") die(msg.report);
    });
    w.on("error", (err: Error) => {
      die(`fatal error: worker thread ${m} (P${p}) failed: ${err.stack ?? String(err)}\n`);
    });
    w.on("exit", (code) => {
      Atomics.store(h.i32, mBase(m) + M_ALIVE, 0);
      if (!exiting) die(`fatal error: worker thread ${m} (P${p}) exited with code ${code}\n`);
    });
    // After the listeners: adding a "message" listener refs the worker's port again.
    w.unref();
    workers.push(w);
    Atomics.store(h.i32, S_NWORKERS, workers.length);
  }
}

function die(report: string): void {
  if (exiting) return;
  exiting = true;
  process.stderr.write(report);
  process.exit(2);
}
