// The runtime's monotonic clock, in milliseconds. The one place gort reads
// the time, so that tests can replace it together with Node's timer
// functions, and so that a synctest bubble (testing/synctest.ts) can run
// gort's time virtually.
//
// Two layers: the base clock (performance.now(), or a test's replacement)
// is what Node's timers measure; now() reads the virtual clock while a
// bubble is active, and the base clock otherwise.

const performanceNow = (): number => performance.now();

let base: () => number = performanceNow;
let source: () => number = performanceNow;
let virtualClock: (() => number) | null = null;

/** Milliseconds on a monotonic clock (virtual inside a synctest bubble). */
export function now(): number {
  return source();
}

/** The clock under virtual time: what real (Node) timers measure. Equal to now() outside a bubble. */
export function baseNow(): number {
  return base();
}

/** Replaces the base clock (tests only); `null` restores performance.now(). */
export function setClockForTesting(clock: (() => number) | null): void {
  base = clock ?? performanceNow;
  if (virtualClock === null) source = base;
  waitStampMs = -1;
}

/** Makes now() read `clock` (a synctest bubble's virtual time); `null` goes back to the base clock. */
export function setVirtualClock(clock: (() => number) | null): void {
  virtualClock = clock;
  source = clock ?? base;
  waitStampMs = -1;
}

/** The time of this turn's first waitStamp(), in whole ms; -1 when none was read yet. */
let waitStampMs = -1;

function expireWaitStamp(): void {
  waitStampMs = -1;
}

/**
 * When a goroutine's wait begins, in whole ms, for a dump's "[chan receive,
 * 2 minutes]". Read once per turn of the event loop and shared by the waits
 * that begin later in that turn: a look at the clock costs 70–90 ns here,
 * about what a whole park costs (skynet parks some 120,000 times in first
 * segments: 82 reads now). So a wait may read as begun up to one turn
 * early; Go's waitsince is no more exact (the garbage collector stamps it
 * when it first finds the goroutine blocked). Inside a synctest bubble it
 * is the virtual time, read every time.
 */
export function waitStamp(): number {
  if (virtualClock !== null) return Math.floor(virtualClock());
  if (waitStampMs < 0) {
    waitStampMs = Math.floor(base());
    setImmediate(expireWaitStamp).unref();
  }
  return waitStampMs;
}
