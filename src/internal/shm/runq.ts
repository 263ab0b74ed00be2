// A P's local run queue in shared memory: a ring of goroutine ids that only
// its owner thread pushes to, and from which the owner and any other thread
// ("stealers") take, plus the runnext slot (Go: runqput, runqputslow,
// runqputbatch, runqget, runqgrab, runqsteal, runqempty in proc.go).
//
// The same buffer is seen through two handle types (Tokio's Local/Steal
// split): LocalRunq, held by the owner only, puts and gets; StealRunq, which
// any thread may build over the buffer, is the victim side of a steal. A
// thread steals *into its own* LocalRunq, so stolen ids land straight in the
// thief's ring, as in Go's runqsteal.
//
// Ids are positive int32 goroutine ids; 0 means "none" (an empty runnext,
// get() on an empty queue).
//
// Protocol (layout in layout.ts):
//   - The owner writes slot `tail & mask` and then stores tail + 1. Only the
//     owner writes slots and tail.
//   - Any consumer (owner get, owner overflow, stealer grab) reads head, reads
//     the slots it wants, and then CASes head forward over them. The CAS is the
//     commit point: whoever wins it owns those ids; a loser read nothing it keeps.
//   - runnext is set to an id only by the owner, and cleared to 0 by CAS by
//     whoever takes it (owner get, or a stealer as a last resort).
//
// Invariants:
//   - At every instant 0 ≤ tail - head ≤ capacity (as wrapping 32-bit counters).
//   - Each id put is taken exactly once: by get, by a steal, or by moving it
//     to the overflow target.
//   - A slot the owner writes is outside [head, tail): it was freed by a CAS on
//     head that the owner saw before writing (put reads head first).
//
// Every shared access goes through the ShmAtomics seam (atomics.ts), so the
// model test (test/internal/shm/runq.model.test.ts) can interleave the owner
// and stealers access by access.

import { realAtomics, type ShmAtomics } from "./atomics.ts";
import { fatal } from "./fatal.ts";
import {
  isRingCapacity,
  LOCAL_RUNQ_SIZE,
  RUNQ_CAP,
  RUNQ_HEAD,
  RUNQ_RUNNEXT,
  RUNQ_SLOTS,
  RUNQ_TAIL,
  runqWords,
} from "./layout.ts";

/**
 * Where a full local queue sends half of its ids (Go: globrunqputbatch, the
 * global queue). Tests inject an array.
 */
export interface RunqOverflow {
  /** Takes ids[0], …, ids[n - 1], in that order (oldest first). */
  putBatch(ids: Int32Array, n: number): void;
}

/**
 * How many loads of runnext a stealer spends waiting for the victim's owner to
 * run its runnext before taking it (Go: usleep(3) in runqgrab). About 1–3 µs.
 */
export const RUNNEXT_STEAL_BACKOFF = 1000;

/**
 * Lays out an empty run queue of `capacity` slots at word `base` of `mem`.
 * Ownership: called once, before the buffer is shared with other threads
 * (posting the buffer to a worker orders these plain writes before its reads).
 */
export function initRunq(mem: Int32Array, base: number, capacity: number = LOCAL_RUNQ_SIZE): void {
  if (!isRingCapacity(capacity)) {
    throw new RangeError(`Cannot create run queue: capacity must be a power of two ≥ 2, received ${capacity}`);
  }
  checkBounds(mem, base, runqWords(capacity));
  mem.fill(0, base, base + runqWords(capacity));
  mem[base + RUNQ_CAP] = capacity;
}

function checkBounds(mem: Int32Array, base: number, words: number): void {
  if (!Number.isInteger(base) || base < 0 || base + words > mem.length) {
    throw new RangeError(`Run queue at word ${base} (${words} words) does not fit in ${mem.length} words`);
  }
}

/**
 * The victim's view of a run queue: what another thread may do with it.
 * Ownership: any thread; holds only immutable configuration.
 */
export class StealRunq {
  readonly mem: Int32Array;
  /** Word index of the queue's header in `mem`. */
  readonly base: number;
  readonly capacity: number;
  readonly mask: number;
  readonly atomics: ShmAtomics;

  /** A handle on the queue that initRunq laid out at word `base` of `mem`. */
  constructor(mem: Int32Array, base: number, atomics: ShmAtomics = realAtomics) {
    checkBounds(mem, base, RUNQ_SLOTS);
    // Ordering: RUNQ_CAP is written before the buffer is shared and never again.
    const capacity = atomics.load(mem, base + RUNQ_CAP);
    if (!isRingCapacity(capacity)) fatal(`run queue at word ${base} is not initialised (capacity ${capacity})`);
    checkBounds(mem, base, runqWords(capacity));
    this.mem = mem;
    this.base = base;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.atomics = atomics;
  }

  /**
   * Whether the queue and runnext are both empty (Go: runqempty).
   * Race: true only if there was an instant when both were empty; the owner
   * may put again right after.
   */
  isEmpty(): boolean {
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    for (;;) {
      const h = A.load(mem, b + RUNQ_HEAD);
      const t = A.load(mem, b + RUNQ_TAIL);
      const next = A.load(mem, b + RUNQ_RUNNEXT);
      // Race: put(id, true) can move runnext's old id to the tail between our
      // loads of tail and runnext, so we could see an empty ring (old tail)
      // and an empty runnext (already taken by get) while the kicked id sits
      // in the ring. Re-reading tail detects that: tail only grows.
      if (A.load(mem, b + RUNQ_TAIL) === t) return h === t && next === 0;
    }
  }

  /** Ids in the ring plus runnext. Race: a snapshot that may be stale at once; for heuristics only. */
  size(): number {
    const A = this.atomics;
    const h = A.load(this.mem, this.base + RUNQ_HEAD);
    const t = A.load(this.mem, this.base + RUNQ_TAIL);
    let n = (t - h) | 0;
    if (n < 0) n = 0;
    if (n > this.capacity) n = this.capacity;
    return n + (A.load(this.mem, this.base + RUNQ_RUNNEXT) !== 0 ? 1 : 0);
  }
}

/**
 * The owner's handle on its P's run queue.
 * Ownership: exactly one thread (the P's current M) holds a LocalRunq for a
 * queue at a time; all its methods are owner-only.
 */
export class LocalRunq extends StealRunq {
  readonly overflow: RunqOverflow;
  /** Whether the id returned by the last get() came from runnext (Go: inheritTime). */
  inheritTime = false;
  /** Scratch for runqputslow: half the ring plus the new id. Ownership: owner, within one call. */
  readonly #batch: Int32Array;

  constructor(mem: Int32Array, base: number, overflow: RunqOverflow, atomics: ShmAtomics = realAtomics) {
    super(mem, base, atomics);
    this.overflow = overflow;
    this.#batch = new Int32Array((this.capacity >>> 1) + 1);
  }

  /**
   * Puts a runnable goroutine on the queue (Go: runqput). With `next`, it
   * goes to runnext and runs before the queued ones, and the id it displaces
   * goes to the tail. A full ring first moves its older half, plus the id
   * being put, to the overflow target (Go: runqputslow).
   */
  put(id: number, next: boolean): void {
    if ((id | 0) !== id || id <= 0) throw new RangeError(`Run queue ids are positive int32s, received ${id}`);
    const A = this.atomics;
    const mem = this.mem;
    if (next) {
      const slot = this.base + RUNQ_RUNNEXT;
      let old: number;
      // Race: a stealer may clear runnext between our load and CAS (grab's
      // last resort); then the CAS fails and we retry. Nobody else sets it.
      do old = A.load(mem, slot);
      while (A.compareExchange(mem, slot, old, id) !== old);
      if (old === 0) return;
      id = old; // kick the old runnext to the tail
    }
    this.#putTail(id);
  }

  #putTail(id: number): void {
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    for (;;) {
      // Ordering: head is loaded before the slot store below. It pairs with the
      // consumers' CAS on head: every slot below the head we read has been
      // read by the consumer that took it, so the slot at tail is free if
      // tail - head < capacity. A stale head only makes the queue look fuller.
      const h = A.load(mem, b + RUNQ_HEAD);
      const t = A.loadOwn(mem, b + RUNQ_TAIL); // our own word
      if (((t - h) | 0) < this.capacity) {
        A.store(mem, b + RUNQ_SLOTS + (t & this.mask), id);
        // Ordering: the slot store comes before this tail store, which
        // publishes it; pairs with the tail load in grab() and get().
        A.store(mem, b + RUNQ_TAIL, (t + 1) | 0);
        return;
      }
      if (this.#putSlow(id, h, t)) return;
      // Stealers took some ids meanwhile: the ring has room now.
    }
  }

  /** Moves the older half of a full ring, then id, to the overflow target (Go: runqputslow). */
  #putSlow(id: number, h: number, t: number): boolean {
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    const n = ((t - h) | 0) >>> 1;
    if (n !== this.capacity >>> 1) fatal("runqputslow: queue is not full");
    const batch = this.#batch;
    for (let i = 0; i < n; i++) batch[i] = A.load(mem, b + RUNQ_SLOTS + ((h + i) & this.mask));
    // Race: stealers may take some of these ids while we copy; then head has
    // moved, this CAS fails, and we keep nothing we copied. Partner: the CAS
    // on head in grab() and get().
    if (A.compareExchange(mem, b + RUNQ_HEAD, h, (h + n) | 0) !== h) return false;
    batch[n] = id;
    this.overflow.putBatch(batch, n + 1);
    return true;
  }

  /**
   * Puts ids[0..n) at the tail, in order, and sends whatever does not fit to
   * the overflow target (Go: runqputbatch). For ids taken from the global queue.
   */
  putBatch(ids: Int32Array, n: number): void {
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    // Ordering: as in #putTail: head first (free slots), slot stores, then
    // one tail store publishing them all.
    const h = A.load(mem, b + RUNQ_HEAD);
    const t = A.loadOwn(mem, b + RUNQ_TAIL);
    let room = this.capacity - ((t - h) | 0);
    if (room > n) room = n;
    for (let i = 0; i < room; i++) {
      const id = ids[i] as number;
      if ((id | 0) !== id || id <= 0) fatal(`runqputbatch: bad id ${id}`);
      A.store(mem, b + RUNQ_SLOTS + ((t + i) & this.mask), id);
    }
    A.store(mem, b + RUNQ_TAIL, (t + room) | 0);
    if (room < n) this.overflow.putBatch(ids.subarray(room, n), n - room);
  }

  /**
   * Takes the next goroutine to run: runnext first (then inheritTime is
   * true), else the oldest in the ring. Returns 0 when both are empty
   * (Go: runqget).
   */
  get(): number {
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    // A hint: only we set runnext to an id, so a stale read is an id a stealer
    // has taken since, and the CAS below fails.
    const next = A.loadHint(mem, b + RUNQ_RUNNEXT);
    // Race: if this CAS fails, a stealer took runnext (only the owner, us, sets
    // it to an id), so there is nothing to retry.
    if (next !== 0 && A.compareExchange(mem, b + RUNQ_RUNNEXT, next, 0) === next) {
      this.inheritTime = true;
      return next;
    }
    for (;;) {
      // Ordering: head pairs with the other consumers' CAS on head, which
      // only moves it forward: a stale head fails the CAS below (and when it
      // equals our tail the ring is empty anyway, head never passing tail).
      const h = A.loadHint(mem, b + RUNQ_HEAD);
      const t = A.loadOwn(mem, b + RUNQ_TAIL); // our own word
      if (t === h) {
        this.inheritTime = false;
        return 0;
      }
      const id = A.loadOwn(mem, b + RUNQ_SLOTS + (h & this.mask)); // only we write slots
      // Race: a stealer may take slot h between our loads and this CAS; then
      // the CAS fails and we retry with the new head. The slot cannot be
      // overwritten meanwhile: only we write slots.
      if (A.compareExchange(mem, b + RUNQ_HEAD, h, (h + 1) | 0) === h) {
        this.inheritTime = false;
        return id;
      }
    }
  }

  /**
   * Steals half (rounded up) of `victim`'s ring into this queue and returns
   * one of the stolen ids to run now, or 0 if there was nothing to take (Go:
   * runqsteal). With `stealRunnext`, and only when the victim's ring is
   * empty, takes the victim's runnext instead, after giving its owner
   * `backoff` loads' time to run it (Go: runqgrab's stealRunNextG, which
   * findRunnable passes on its last pass over the Ps).
   */
  steal(victim: StealRunq, stealRunnext: boolean, backoff: number = RUNNEXT_STEAL_BACKOFF): number {
    if (victim.mem === this.mem && victim.base === this.base) fatal("runqsteal: stealing from own queue");
    const A = this.atomics;
    const mem = this.mem;
    const b = this.base;
    const t = A.loadOwn(mem, b + RUNQ_TAIL); // our own word
    // Ordering: head pairs with our stealers' CAS on head; a stale head only
    // makes our free space look smaller.
    const h = A.load(mem, b + RUNQ_HEAD);
    let n = grab(victim, this, t, this.capacity - ((t - h) | 0), stealRunnext, backoff);
    if (n === 0) return 0;
    n--;
    const id = A.load(mem, b + RUNQ_SLOTS + ((t + n) & this.mask));
    // Ordering: publishes the other stolen ids to our own stealers; pairs
    // with the tail load in their grab().
    if (n > 0) A.store(mem, b + RUNQ_TAIL, (t + n) | 0);
    return id;
  }
}

/**
 * Takes half (rounded up, at most `room`) of the victim's ring and writes the
 * ids into thief's slots from index `thiefTail` on, without publishing them;
 * returns how many (Go: runqgrab). Ownership: any thread, for its own thief queue.
 */
function grab(
  victim: StealRunq,
  thief: LocalRunq,
  thiefTail: number,
  room: number,
  stealRunnext: boolean,
  backoff: number,
): number {
  if (room <= 0) return 0;
  // Both handles were built by the thief's thread; victim words go through
  // the victim handle's seam and thief words through the thief's.
  const A = victim.atomics;
  const TA = thief.atomics;
  const vm = victim.mem;
  const vb = victim.base;
  const tm = thief.mem;
  const tSlots = thief.base + RUNQ_SLOTS;
  retry: for (;;) {
    // Ordering: head first, pairing with the other consumers' CAS on head;
    // then tail, pairing with the owner's tail store in put(): every slot
    // below that tail was written before it.
    const h = A.load(vm, vb + RUNQ_HEAD);
    const t = A.load(vm, vb + RUNQ_TAIL);
    let n = (t - h) | 0;
    n = n - (n >>> 1);
    if (n === 0) {
      if (!stealRunnext) return 0;
      const next = A.load(vm, vb + RUNQ_RUNNEXT);
      if (next === 0) return 0;
      // The owner most likely readied this goroutine and is about to block and
      // run it; taking it now would move a communicating pair apart. Give the
      // owner a moment (Go sleeps 3 µs; a worker spins instead).
      for (let i = 0; i < backoff; i++) {
        if (A.load(vm, vb + RUNQ_RUNNEXT) !== next) continue retry;
      }
      // Race: the owner's get() CASes runnext to 0 too; exactly one CAS wins.
      if (A.compareExchange(vm, vb + RUNQ_RUNNEXT, next, 0) !== next) continue;
      TA.store(tm, tSlots + (thiefTail & thief.mask), next);
      return 1;
    }
    // Race: head moved on between our two loads (other consumers took ids and
    // the owner reused their slots), so h and t are inconsistent. The CAS
    // below would fail anyway; retry now rather than copy garbage.
    if (n > victim.capacity >>> 1) continue;
    if (n > room) n = room;
    for (let i = 0; i < n; i++) {
      const id = A.load(vm, vb + RUNQ_SLOTS + ((h + i) & victim.mask));
      TA.store(tm, tSlots + ((thiefTail + i) & thief.mask), id);
    }
    // Race: commit. If another consumer moved head since our load, some of the
    // slots we copied may have been taken (and rewritten by the owner); the
    // CAS fails and the copies, beyond our tail, are simply overwritten next
    // time. Partner: the CAS on head in get(), #putSlow() and other grabs.
    if (A.compareExchange(vm, vb + RUNQ_HEAD, h, (h + n) | 0) === h) return n;
  }
}
