// A mutex on one Int32 word of shared memory, for short critical sections
// between threads (Go: lock_futex.go; the three-state futex mutex of
// Drepper's "Futexes Are Tricky").
//
// Word values: 0 free, 1 held, 2 held and some thread may be sleeping in
// wait(). A thread that finds the lock held spins first (waking a sleeping
// thread costs 60–100 µs here, research/anchors.md, while the sections this
// lock guards take well under a microsecond), then marks the word 2 and sleeps.
//
// Atomics.wait blocks the whole thread, event loop included; Node allows it on
// the main thread too. Hold this lock only around copies of a few hundred
// words, never across an await.

import type { ShmAtomics } from "./atomics.ts";
import { fatal } from "./fatal.ts";

/** Loads of the lock word before a waiter goes to sleep (Go: active_spin × active_spin_cnt, scaled to JS). */
export const LOCK_SPIN = 1000;

/** Acquires the lock at mem[i] (Go: lock2). */
export function lock(A: ShmAtomics, mem: Int32Array, i: number): void {
  // Ordering: a successful CAS 0→1 pairs with the releasing store in unlock():
  // everything written under the lock before is visible to us.
  if (A.compareExchange(mem, i, 0, 1) === 0) return;
  for (let spin = 0; spin < LOCK_SPIN; spin++) {
    if (A.load(mem, i) === 0 && A.compareExchange(mem, i, 0, 1) === 0) return;
  }
  for (;;) {
    const c = A.load(mem, i);
    // Taken while others may sleep: take it as 2, so our unlock wakes one of them.
    if (c === 0) {
      if (A.compareExchange(mem, i, 0, 2) === 0) return;
      continue;
    }
    // Race: tell the holder to notify before we sleep; if it released in
    // between, the CAS fails and we look again instead of sleeping.
    if (c === 1 && A.compareExchange(mem, i, 1, 2) !== 1) continue;
    // Race: wait() returns at once if the word is no longer 2 (released).
    A.wait(mem, i, 2, Number.POSITIVE_INFINITY);
  }
}

/** Releases the lock at mem[i], waking one sleeper if there may be one (Go: unlock2). */
export function unlock(A: ShmAtomics, mem: Int32Array, i: number): void {
  // Ordering: the decrement releases the critical section's writes to the
  // next acquirer (its CAS in lock()).
  const old = A.add(mem, i, -1);
  if (old === 1) return;
  if (old !== 2) {
    A.add(mem, i, 1);
    fatal(`unlock of unlocked shared lock (word ${i} was ${old})`);
  }
  A.store(mem, i, 0);
  A.notify(mem, i, 1);
}
