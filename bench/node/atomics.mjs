// Raw Node baseline for the cross-thread rows: the main thread and one worker
// share a SharedArrayBuffer of Int32 words. A thread that waits for a word to
// change first spins (SPIN Atomics.loads), then announces that it sleeps and
// calls Atomics.wait; the other side calls Atomics.notify only when that
// announcement is set. Every field sits on its own 64-byte line.

/** Atomics.wait calls made by this thread so far (a side figure). */
export const stats = { sleeps: 0 };

/** Loads before a waiting thread goes to sleep (the anchors' ≈2,000). */
export const SPIN = 2000;
/** Int32 words per 64-byte cache line. */
export const LINE = 16;

/**
 * Waits until a[idx] !== seen, spinning first; `sleepIdx` is this thread's
 * "asleep" flag, which the other side checks after each store (both accesses
 * are sequentially consistent, so either this thread sees the new value or
 * the other side sees the flag and notifies). Returns the new value.
 */
export function waitChange(a, idx, seen, sleepIdx) {
  for (let k = 0; k < SPIN; k++) {
    const v = Atomics.load(a, idx);
    if (v !== seen) return v;
  }
  for (;;) {
    Atomics.store(a, sleepIdx, 1);
    const v = Atomics.load(a, idx);
    if (v !== seen) {
      Atomics.store(a, sleepIdx, 0);
      return v;
    }
    stats.sleeps++;
    Atomics.wait(a, idx, seen);
    Atomics.store(a, sleepIdx, 0);
  }
}

/** Stores v at a[idx] and wakes the other thread if it announced it sleeps. */
export function publish(a, idx, v, otherSleepIdx) {
  Atomics.store(a, idx, v);
  if (Atomics.load(a, otherSleepIdx) !== 0) Atomics.notify(a, idx);
}
