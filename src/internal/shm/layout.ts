// Every SharedArrayBuffer layout the runtime uses, in one place (piscina's
// symbols.ts habit): a structure in shared memory is a run of Int32 words at
// some base index of an Int32Array, and the constants below are word offsets
// from that base. Threads agree on layouts only through this file.
//
// Each field says who writes it and who reads it (`Ownership:`). "Owner" is
// the thread that runs the P the structure belongs to; "stealer" is any
// other thread. A structure's header fills one 64-byte cache line and its
// size is rounded up to whole lines, so two structures never share a line.
//
// Counters (head, tail) are free-running 32-bit integers that wrap; a
// distance is `(tail - head) | 0` and a slot is `counter & (capacity - 1)`,
// which is why capacities are powers of two.

/** Int32 words per 64-byte cache line. */
export const LINE_WORDS = 16;

/** Rounds a word count up to whole cache lines. */
export function roundToLine(words: number): number {
  return Math.ceil(words / LINE_WORDS) * LINE_WORDS;
}

/** Whether n is a power of two in [2, 2^30]: the capacities the rings accept. */
export function isRingCapacity(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && n <= 2 ** 30 && (n & (n - 1)) === 0;
}

// -- Per-P local run queue (Go: p.runqhead, p.runqtail, p.runq, p.runnext) --

/** Slots in a P's local run queue (Go: len(p.runq)). */
export const LOCAL_RUNQ_SIZE = 256;

/** Ownership: advanced by CAS by the owner (get, overflow) and by stealers (grab); read by both. */
export const RUNQ_HEAD = 0;
/** Ownership: written only by the owner (put, steal into its own queue); read by stealers. */
export const RUNQ_TAIL = 1;
/**
 * Ownership: set to an id only by the owner (put with next); cleared to 0 by
 * CAS by the owner (get) and by stealers (grab's last resort). 0 = empty.
 */
export const RUNQ_RUNNEXT = 2;
/** Ownership: written once by initRunq before the buffer is shared; read-only after. */
export const RUNQ_CAP = 3;
/**
 * First slot. Slot `i & (cap - 1)` for head ≤ i < tail holds a goroutine id.
 * Ownership: written only by the owner, and only at indices in [tail, head + cap)
 * (outside the queue), before the tail store that publishes them; read by
 * whoever then wins the CAS on head for them.
 */
export const RUNQ_SLOTS = LINE_WORDS;

/** Int32 words taken by a local run queue of the given capacity. */
export function runqWords(capacity: number): number {
  return roundToLine(RUNQ_SLOTS + capacity);
}

// -- Global run queue (Go: sched.runq under sched.lock) --

/** Slots in the global run queue: at least the number of goroutine ids that can exist at once. */
export const GLOBAL_RUNQ_SIZE = 1 << 16;

/** Ownership: the lock word (0 free, 1 held, 2 held with sleepers), see lock.ts; any thread. */
export const GLOBRUNQ_LOCK = 0;
/** Ownership: read and written only under GLOBRUNQ_LOCK; read without it only as a hint (size). */
export const GLOBRUNQ_HEAD = 1;
/** Ownership: read and written only under GLOBRUNQ_LOCK; read without it only as a hint (size). */
export const GLOBRUNQ_TAIL = 2;
/** Ownership: written once by initGlobRunq before the buffer is shared; read-only after. */
export const GLOBRUNQ_CAP = 3;
/** First slot. Ownership: read and written only under GLOBRUNQ_LOCK. */
export const GLOBRUNQ_SLOTS = LINE_WORDS;

/** Int32 words taken by a global run queue of the given capacity. */
export function globrunqWords(capacity: number): number {
  return roundToLine(GLOBRUNQ_SLOTS + capacity);
}
