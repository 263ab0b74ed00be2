// Booting the M:N runtime on the main thread: the shared heap, the worker
// threads (one M per P, GOMAXPROCS of them), and what the main thread does
// when a worker reports a panic or dies (Go: a panic or fatal error on any
// thread ends the program with status 2).

import { availableParallelism } from "node:os";
import { MessageChannel, Worker } from "node:worker_threads";
import { peekGoid, setGoidBlocks } from "../g.ts";
import { createHeap, sharedOrNull } from "./heap.ts";
import {
  M_ALIVE,
  M_CURG,
  M_EPOCH,
  M_QUIET,
  M_SYSCALL,
  M_NEXTP,
  M_P,
  MAX_MS,
  MAX_PROCS,
  mBase,
  P_HELD,
  P_SCHEDTICK,
  P_STATUS,
  pBase,
  S_EXITING,
  S_GOID,
  S_NWORKERS,
  S_PROCS,
} from "./layout.ts";
import { awaitedWakeups, inboxPending, inboxReady, isParked } from "./m.ts";
import { giveToSpare, globalQueueSize, initMainM, releaseKeepAlive, runqEmpty, wakep } from "./proc.ts";
import { addWorkerPort, knownSabs } from "./sab.ts";

/** M_ALIVE while a worker thread boots (1 once it runs, 0 once it has exited). */
const M_STARTING = 2;

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
  for (let p = 0; p < procs; p++) assignP(p);
  setInterval(sysmon, SYSMON_MS).unref();
  process.once("exit", () => {
    exiting = true;
    Atomics.store(h.i32, S_EXITING, 1);
  });
}

/** Sets GOMAXPROCS for the running runtime: the new Ps get threads (spare ones first). */
export function setProcs(n: number): void {
  const h = sharedOrNull();
  if (h === null) return;
  Atomics.store(h.i32, S_PROCS, n);
  for (let p = 0; p < n; p++) if (Atomics.load(h.i32, pBase(p) + P_STATUS) === 0) assignP(p);
  wakep();
}

function workerURL(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);
}

/** Threads that lost their P while running one long segment and are still in it (not parked, not in a syscall). */
function stuckThreads(i32: Int32Array): number {
  let n = 0;
  for (let m = 1; m <= workers.length; m++) {
    const mb = mBase(m);
    if (Atomics.load(i32, mb + M_ALIVE) !== 1 || Atomics.load(i32, mb + M_P) >= 0) continue;
    if (isParked(m) || Atomics.load(i32, mb + M_SYSCALL) === 1) continue;
    n++;
  }
  return n;
}

/**
 * Gives P `p`, which no M holds, to a spare worker (one whose P was taken or
 * retired), or to a new worker thread. Returns false at the thread limit.
 */
function assignP(p: number): boolean {
  const { i32 } = sharedOrNull() as NonNullable<ReturnType<typeof sharedOrNull>>;
  if (giveToSpare(p)) return true;
  if (workers.length + 1 >= MAX_MS) return false;
  const m = workers.length + 1;
  Atomics.store(i32, pBase(p) + P_STATUS, m * 4 + P_HELD);
  startWorker(m, p);
  return true;
}

function startWorker(m: number, p: number): void {
  const h = sharedOrNull() as NonNullable<ReturnType<typeof sharedOrNull>>;
  const { port1, port2 } = new MessageChannel();
  // M_P and M_NEXTP as the worker will set them, so assignP sees a busy M until it runs.
  Atomics.store(h.i32, mBase(m) + M_P, p);
  Atomics.store(h.i32, mBase(m) + M_NEXTP, -1);
  Atomics.store(h.i32, mBase(m) + M_ALIVE, M_STARTING);
  const w = new Worker(workerURL(), {
    workerData: { sab: h.sab, m, p, sabs: knownSabs(), port: port2 },
    transferList: [port2],
  });
  addWorkerPort(port1);
  w.on("message", (msg: WorkerMessage) => {
    if (msg.kind === "fatal") die(msg.report);
  });
  // A thread that dies ends the program, as a fatal error ends a Go
  // program: its goroutines and whatever they held are gone.
  w.on("error", (err: Error) => {
    die(`fatal error: worker thread ${m} failed${runningWhenDied(h.i32, m)}: ${err.stack ?? String(err)}\n`);
  });
  w.on("exit", (code) => {
    Atomics.store(h.i32, mBase(m) + M_ALIVE, 0);
    if (!exiting) die(`fatal error: worker thread ${m} exited with code ${code}${runningWhenDied(h.i32, m)}\n`);
  });
  // After the listeners: adding a "message" listener refs the worker's port again.
  w.unref();
  workers.push(w);
  Atomics.store(h.i32, S_NWORKERS, workers.length);
}

// -- sysmon (Go: sysmon, retake, handoffp, checkdead) --

/** The workers' park epochs at the last look that found them all quiet, or null. */
let quietEpochs: number[] | null = null;

/**
 * Go's checkdead, across threads: while the main thread waits for a wake-up
 * from another thread, if every worker is parked and quiet (layout.ts
 * M_QUIET) with an empty inbox, no portable goroutine is queued, and this
 * holds on two looks with no worker having parked again in between, no
 * wake-up can ever come: the main thread stops holding the process open for
 * one (so under `gort run` the deadlock is reported).
 */
function checkQuiet(i32: Int32Array): void {
  if (awaitedWakeups() === 0 || inboxReady()) {
    quietEpochs = null;
    return;
  }
  const epochs: number[] = [];
  for (let m = 1; m <= workers.length; m++) {
    const mb = mBase(m);
    if (Atomics.load(i32, mb + M_ALIVE) === 0) continue;
    if (!isParked(m) || Atomics.load(i32, mb + M_QUIET) !== 1 || inboxPending(m)) {
      quietEpochs = null;
      return;
    }
    epochs.push(Atomics.load(i32, mb + M_EPOCH));
  }
  if (globalQueueSize() !== 0) {
    quietEpochs = null;
    return;
  }
  for (let p = 0; p < MAX_PROCS; p++) {
    if (!runqEmpty(p)) {
      quietEpochs = null;
      return;
    }
  }
  if (quietEpochs !== null && quietEpochs.length === epochs.length && quietEpochs.every((e, i) => e === epochs[i])) {
    releaseKeepAlive();
    return;
  }
  quietEpochs = epochs;
}

/** How often sysmon looks, and how long a P may go without scheduling while work waits (Go: forcePreemptNS). */
const SYSMON_MS = 10;
/**
 * How long an M may stay in one segment, goroutines waiting on its P,
 * before sysmon hands the P on. Go preempts a goroutine after 10 ms and the
 * P stays; gort cannot preempt, and handing a P on costs a thread (often a
 * new one, ~100 ms to start) and a core shared by one more computing
 * thread, which measured slower than waiting for CPU-bound segments of tens
 * of ms. So only a segment this long counts as stuck; a known blocking
 * section (runtime.syscall) hands its P on at once.
 */
const STUCK_MS = 100;
const lastTick = new Int32Array(MAX_PROCS);
const since = new Float64Array(MAX_PROCS);

/**
 * A thread that stays in one goroutine segment (a CPU loop, a blocking
 * call) cannot be preempted; if its P has goroutines waiting that no idle
 * thread will steal, sysmon takes the P from it and hands it to another
 * thread (Go: retake/handoffp for a P in a syscall), so GOMAXPROCS Ps keep
 * running. The stuck thread learns it lost its P at its next queue
 * operation (P_STATUS) and goes on with its own goroutines only.
 */
function sysmon(): void {
  const h = sharedOrNull();
  if (h === null) return;
  const { i32 } = h;
  checkQuiet(i32);
  const now = performance.now();
  const procs = Atomics.load(i32, S_PROCS);
  const glob = globalQueueSize();
  for (let p = 0; p < procs; p++) {
    const st = Atomics.load(i32, pBase(p) + P_STATUS);
    if (st === 0) {
      assignP(p);
      continue;
    }
    const tick = Atomics.load(i32, pBase(p) + P_SCHEDTICK);
    const m = st >> 2;
    // A thread still starting is not stuck, nor is one parked (idle), nor
    // one that has been handed this P and not taken it yet.
    if (
      tick !== lastTick[p] ||
      (st & 3) !== P_HELD ||
      isParked(m) ||
      Atomics.load(i32, mBase(m) + M_ALIVE) !== 1 ||
      Atomics.load(i32, mBase(m) + M_P) !== p
    ) {
      lastTick[p] = tick;
      since[p] = now;
      continue;
    }
    if (now - (since[p] as number) < STUCK_MS) continue;
    if (runqEmpty(p) && glob === 0) continue;
    // A goroutine computing for long keeps its P in Go (it is preempted
    // instead); here it cannot be, so its P is handed on, but to one extra
    // computing thread at most: beyond that, queued work waits for a P
    // rather than threads piling up on the cores GOMAXPROCS allows.
    if (stuckThreads(i32) >= 1) continue;
    if (Atomics.compareExchange(i32, pBase(p) + P_STATUS, st, 0) !== st) continue;
    since[p] = now;
    if (!assignP(p)) Atomics.store(i32, pBase(p) + P_STATUS, 0);
  }
}

/**
 * " while running goroutine N" when thread m died in a goroutine's first
 * segment (its M_CURG still names it: a process.exit() or an endless
 * allocation there), "" when that is not known.
 */
function runningWhenDied(i32: Int32Array, m: number): string {
  const g = Atomics.load(i32, mBase(m) + M_CURG);
  return g === 0 ? "" : ` while running goroutine ${g}`;
}

function die(report: string): void {
  if (exiting) return;
  exiting = true;
  process.stderr.write(report);
  process.exit(2);
}
