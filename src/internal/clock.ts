// The runtime's monotonic clock, in milliseconds. The one place gort reads
// the time, so that tests (and, later, virtual time) can replace it together
// with Node's timer functions.

let source: () => number = () => performance.now();

/** Milliseconds on a monotonic clock. */
export function now(): number {
  return source();
}

/** Replaces the clock (tests only); `null` restores performance.now(). */
export function setClockForTesting(clock: (() => number) | null): void {
  source = clock ?? (() => performance.now());
}
