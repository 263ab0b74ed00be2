// Virtual time for tests (Go: testing/synctest, Go 1.24–1.25).
//
// synctest(body) runs body as a goroutine in a "bubble": gort's timers
// (sleep, Timer, Ticker, after, afterFunc, context deadlines) use a virtual
// clock that starts at the real now and moves only when every goroutine is
// blocked — then it jumps to the earliest timer and fires it. So a test of
// code that waits for an hour runs in microseconds and always sees the same
// order of events. If every goroutine is blocked and no timer is pending,
// nothing can ever happen: the bubble is deadlocked and synctest throws with
// a goroutine dump. synctest returns once body and every goroutine it
// started have ended.
//
// "Every goroutine is blocked" is observed, not proved: the event loop turns
// without a single gort operation and nothing is runnable. So real I/O and
// Node's own timers inside a bubble are not supported (their callbacks may
// come at any later turn); Date.now() and performance.now() are not faked,
// gort's clock is. One bubble at a time, in one thread.

import { formatDump } from "../internal/dump.ts";
import { setClockForTesting } from "../internal/clock.ts";
import { allGoroutines, anyRunnable, opsCount, spawn } from "../internal/sched.ts";
import { setVirtual, VirtualTimers, virtual } from "../internal/vtime.ts";
import { nextGoid } from "../internal/g.ts";

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** wait() calls in progress: the driver must not move time while one is (its caller is not blocked). */
let waiting = 0;

/** Resolves once a whole turn of the event loop passed with no gort operation and nothing runnable. */
async function quiescent(): Promise<void> {
  for (;;) {
    const before = opsCount();
    await turn();
    await turn();
    if (opsCount() === before && !anyRunnable()) return;
  }
}

/** Thrown when every goroutine of a bubble is blocked and no timer can wake one. */
export class DeadlockError extends Error {
  override name = "DeadlockError";
}

/**
 * Runs `body` in a bubble with virtual time (Go: synctest.Test) and returns
 * once it and every goroutine it started have ended.
 *
 * @throws DeadlockError if every goroutine in the bubble is blocked with no
 *   timer pending; Error if a bubble is already running.
 * @example
 * ```ts
 * test("the cache entry expires after an hour", () => synctest(async () => {
 *   cache.set("k", "v", { ttl: Hour });
 *   await sleep(Hour); // returns at once: virtual time
 *   assert.equal(cache.get("k"), undefined);
 * }));
 * ```
 */
export async function synctest(body: () => unknown): Promise<void> {
  if (typeof body !== "function") throw new TypeError("synctest: body must be a function");
  if (virtual !== null) throw new Error("synctest: bubbles cannot be nested or run concurrently");
  const clock = new VirtualTimers(Math.ceil(performance.now())); // whole ms: virtual sums stay exact
  setVirtual(clock);
  setClockForTesting(() => clock.now);
  const firstId = nextGoid() + 1; // goroutines of the bubble have ids from here on
  let finished = false;
  let failure: { error: unknown } | null = null;
  spawn(async function synctestBody() {
    try {
      await body();
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
    }
  }, null);
  try {
    for (;;) {
      await quiescent();
      if (waiting > 0) continue;
      const inBubble = allGoroutines().filter((g) => g.id >= firstId);
      if (finished && inBubble.length === 0) break;
      if (!clock.advance()) {
        if (failure !== null) break; // body threw; its goroutines are left to the leak checks
        throw new DeadlockError(
          `synctest: deadlock: all goroutines in the bubble are blocked and no timer is pending\n\n${formatDump(inBubble)}`,
        );
      }
    }
  } finally {
    setVirtual(null);
    setClockForTesting(null);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/**
 * Waits until every other goroutine is blocked (Go: synctest.Wait): what
 * they will do without a timer firing has been done.
 */
export async function wait(): Promise<void> {
  if (virtual === null) throw new Error("synctest: wait() called outside a bubble");
  waiting++;
  try {
    await quiescent();
  } finally {
    waiting--;
  }
}
