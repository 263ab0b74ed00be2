// The global run queue in shared memory: runnable goroutine ids that belong to
// no P, taken by any P (Go: sched.runq with globrunqput, globrunqputbatch,
// globrunqget in proc.go).
//
// Design: a ring guarded by a futex mutex (lock.ts), not a lock-free MPMC ring.
//   - Its operations are batches: a full local queue moves 129 ids in one go,
//     and globrunqget takes min(size/GOMAXPROCS + 1, capacity/2) at once.
//     Under a lock a batch is a plain copy with an exact size. A lock-free
//     bounded MPMC ring (Vyukov's, one sequence word per slot) moves one id
//     per CAS and has no exact size, so it would need per-slot loops and a
//     different fairness rule.
//   - It is off the hot path by design: Ps use their local queues and runnext,
//     and visit the global queue every 61st schedule, when their own queue
//     overflows, or when idle. Contention is rare, and a short critical
//     section (a copy of at most a few hundred words) under a spin-then-sleep
//     lock costs about as much as the CASes of a lock-free ring.
//   - Go does the same (sched.lock).
//
// Capacity: Go's global queue is an unbounded list. A shared ring cannot
// grow, so it is sized to hold every goroutine id that can exist at once
// (each runnable goroutine is in exactly one queue); overflowing it is a
// runtime bug and fatal.
//
// Invariants (under the lock): 0 ≤ tail - head ≤ capacity; slots [head, tail)
// hold the queued ids, oldest first.

import { realAtomics, type ShmAtomics } from "./atomics.ts";
import { fatal } from "./fatal.ts";
import {
  GLOBAL_RUNQ_SIZE,
  GLOBRUNQ_CAP,
  GLOBRUNQ_HEAD,
  GLOBRUNQ_LOCK,
  GLOBRUNQ_SLOTS,
  GLOBRUNQ_TAIL,
  globrunqWords,
  isRingCapacity,
} from "./layout.ts";
import { lock, unlock } from "./lock.ts";
import type { LocalRunq, RunqOverflow } from "./runq.ts";

/**
 * Lays out an empty global run queue at word `base` of `mem`.
 * Ownership: called once, before the buffer is shared.
 */
export function initGlobRunq(mem: Int32Array, base: number, capacity: number = GLOBAL_RUNQ_SIZE): void {
  if (!isRingCapacity(capacity)) {
    throw new RangeError(`Cannot create global run queue: capacity must be a power of two ≥ 2, received ${capacity}`);
  }
  const words = globrunqWords(capacity);
  if (!Number.isInteger(base) || base < 0 || base + words > mem.length) {
    throw new RangeError(`Global run queue at word ${base} (${words} words) does not fit in ${mem.length} words`);
  }
  mem.fill(0, base, base + words);
  mem[base + GLOBRUNQ_CAP] = capacity;
}

/** A handle on the global run queue. Ownership: any thread may hold one; every method takes the lock. */
export class GlobRunq implements RunqOverflow {
  readonly mem: Int32Array;
  readonly base: number;
  readonly capacity: number;
  readonly mask: number;
  readonly atomics: ShmAtomics;
  /** Scratch for get(): ids on their way to a local queue. Ownership: this handle's thread. */
  #batch: Int32Array | null = null;
  /** Scratch for put(). Ownership: this handle's thread. */
  readonly #one = new Int32Array(1);

  constructor(mem: Int32Array, base: number, atomics: ShmAtomics = realAtomics) {
    const capacity = atomics.load(mem, base + GLOBRUNQ_CAP);
    if (!isRingCapacity(capacity)) fatal(`global run queue at word ${base} is not initialised (capacity ${capacity})`);
    this.mem = mem;
    this.base = base;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.atomics = atomics;
  }

  /** Queued ids. Race: without the lock, a hint that may be stale at once (Go reads sched.runqsize the same way). */
  size(): number {
    const A = this.atomics;
    const n = (A.load(this.mem, this.base + GLOBRUNQ_TAIL) - A.load(this.mem, this.base + GLOBRUNQ_HEAD)) | 0;
    return n < 0 ? 0 : n > this.capacity ? this.capacity : n;
  }

  /** Appends one id (Go: globrunqput, used by Gosched and preemption). */
  put(id: number): void {
    this.#one[0] = id;
    this.putBatch(this.#one, 1);
  }

  /** Appends ids[from..from + n), oldest first (Go: globrunqputbatch); the overflow target of local queues. */
  putBatch(ids: Int32Array, n: number, from = 0): void {
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    lock(A, mem, b + GLOBRUNQ_LOCK);
    const h = A.load(mem, b + GLOBRUNQ_HEAD);
    const t = A.load(mem, b + GLOBRUNQ_TAIL);
    if (((t - h) | 0) + n > this.capacity) {
      unlock(A, mem, b + GLOBRUNQ_LOCK);
      fatal(`global run queue overflow (${this.capacity} slots)`);
    }
    for (let i = 0; i < n; i++) A.store(mem, b + GLOBRUNQ_SLOTS + ((t + i) & this.mask), ids[from + i] as number);
    A.store(mem, b + GLOBRUNQ_TAIL, (t + n) | 0);
    unlock(A, mem, b + GLOBRUNQ_LOCK);
  }

  /**
   * Takes the oldest ids into out[0..]: all of them, or with `gomaxprocs`
   * given, a 1/gomaxprocs share (size / gomaxprocs + 1, Go's fairness rule),
   * and at most `max` and out.length. Returns how many. Ownership: any thread.
   */
  getBatch(out: Int32Array, max: number, gomaxprocs = 1): number {
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    lock(A, mem, b + GLOBRUNQ_LOCK);
    const h = A.load(mem, b + GLOBRUNQ_HEAD);
    const t = A.load(mem, b + GLOBRUNQ_TAIL);
    const size = (t - h) | 0;
    let n = gomaxprocs > 1 ? Math.min(size, Math.trunc(size / gomaxprocs) + 1) : size;
    if (n > max) n = max;
    if (n > out.length) n = out.length;
    for (let i = 0; i < n; i++) out[i] = A.load(mem, b + GLOBRUNQ_SLOTS + ((h + i) & this.mask));
    A.store(mem, b + GLOBRUNQ_HEAD, (h + n) | 0);
    unlock(A, mem, b + GLOBRUNQ_LOCK);
    return n;
  }

  /**
   * Takes a fair share of the global queue for the P that owns `local` (Go:
   * globrunqget): min(size / gomaxprocs + 1, max if > 0, half the local
   * capacity) ids. Returns the first to run now (0 if the queue was empty)
   * and puts the rest on `local`. Unlike Go, the rest go to `local` after
   * the lock is released, so an overflow there can never re-enter the lock.
   * Ownership: the owner of `local`.
   */
  get(local: LocalRunq, gomaxprocs: number, max = 0): number {
    // Go: globrunqget's caller looks at sched.runqsize before taking the lock.
    // An M that found nothing looks here on every pass of its scheduler, and
    // the lock's line is the one the threads that queue work write.
    if (this.size() === 0) return 0;
    let want = local.capacity >>> 1;
    if (max > 0 && want > max) want = max;
    let batch = this.#batch;
    if (batch === null || batch.length < want) batch = this.#batch = new Int32Array(want);
    const n = this.getBatch(batch, want, gomaxprocs);
    if (n === 0) return 0;
    if (n > 1) local.putBatch(batch.subarray(1, n), n - 1);
    return batch[0] as number;
  }
}
