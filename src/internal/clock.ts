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
}

/** Makes now() read `clock` (a synctest bubble's virtual time); `null` goes back to the base clock. */
export function setVirtualClock(clock: (() => number) | null): void {
  virtualClock = clock;
  source = clock ?? base;
}
