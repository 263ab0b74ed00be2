// The shared heap of this thread's view: the one SharedArrayBuffer of the
// M:N runtime (layout.ts), mapped as Int32, Float64 and byte views. The
// main thread creates it at boot; workers receive it in their workerData.

import { RuntimeError } from "../../errors.ts";
import { initGlobRunq } from "../shm/globrunq.ts";
import { initRunq } from "../shm/runq.ts";
import {
  DEFAULT_HEAP_MB,
  GLOBAL_SLOTS,
  MAGIC,
  MAX_PROCS,
  OFF_ARENA,
  OFF_GLOBRUNQ,
  P_RUNQ,
  pBase,
  S_ARENA_BUMP,
  S_GOID,
  S_MAGIC,
} from "./layout.ts";

export interface Heap {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u8: Uint8Array;
}

let heap: Heap | null = null;

/** This thread's view of the shared heap; throws if M:N has not booted here. */
export function shared(): Heap {
  if (heap === null) throw new RuntimeError("gort: the M:N runtime is not running in this thread");
  return heap;
}

export function sharedOrNull(): Heap | null {
  return heap;
}

function heapBytes(): number {
  const env = process.env["GORT_SHARED_MB"];
  const mb = env === undefined || env === "" ? DEFAULT_HEAP_MB : Number(env);
  if (!Number.isInteger(mb) || mb < 64 || mb > 16384) {
    throw new RangeError(`GORT_SHARED_MB must be an integer from 64 to 16384, received ${JSON.stringify(env)}`);
  }
  return mb * 1024 * 1024;
}

/** Creates the shared heap (main thread, once): every structure initialised before any worker sees it. */
export function createHeap(firstGoid: number): Heap {
  const sab = new SharedArrayBuffer(heapBytes());
  const h = attachHeap(sab);
  const i32 = h.i32;
  for (let p = 0; p < MAX_PROCS; p++) initRunq(i32, pBase(p) + P_RUNQ);
  initGlobRunq(i32, OFF_GLOBRUNQ, GLOBAL_SLOTS);
  i32[S_GOID] = firstGoid;
  i32[S_ARENA_BUMP] = OFF_ARENA;
  Atomics.store(i32, S_MAGIC, MAGIC);
  return h;
}

/** Maps a heap made by createHeap (worker boot). */
export function attachHeap(sab: SharedArrayBuffer): Heap {
  heap = { sab, i32: new Int32Array(sab), f64: new Float64Array(sab), u8: new Uint8Array(sab) };
  return heap;
}
