// Virtual time for tests (Go: testing/synctest, Go 1.24–1.25).
//
// synctest(body) runs body as a goroutine in a "bubble": gort's timers
// (sleep, Timer, Ticker, after, afterFunc, context deadlines) made while the
// bubble runs use a virtual clock that starts at the real now() and moves
// only when every goroutine is blocked — then it jumps to the earliest timer
// and fires it. So a test of code that waits for an hour runs in
// microseconds and always sees the same order of events. If every goroutine
// is blocked and no timer is pending, nothing can ever happen: the bubble is
// deadlocked and synctest throws a DeadlockError with a goroutine dump.
// synctest returns once body and every goroutine started in the bubble have
// ended; if body throws, synctest rethrows at once (without waiting for the
// others: their pending timers are dropped).
//
// The bubble is the whole process while it lasts (JavaScript has no way to
// tell which goroutine made a timer after its first await): every goroutine
// started and every timer made while it runs belongs to it. Timers made
// before it stay on real time. One bubble at a time.
//
// "Every goroutine is blocked" is observed, not proved: two turns of the
// event loop pass without a single gort operation and nothing is runnable.
// A goroutine awaiting something else (real I/O, Node's own timers, a plain
// promise settled later) looks blocked, so time may jump or a deadlock be
// reported under it: real I/O inside a bubble is not supported.
// Date.now(), performance.now() and new Date() (the value a Timer or Ticker
// sends, ctx.deadline()) are not faked; gort's clock (internal/clock.ts) is.

import { formatDump } from "../internal/dump.ts";
import { baseNow, setVirtualClock } from "../internal/clock.ts";
import { records, type G } from "../internal/g.ts";
import { allGoroutines, anyRunnable, numGoroutine, opsCount, ready, spawn } from "../internal/sched.ts";
import { Sudog, SudogKind } from "../internal/sudog.ts";
import { setVirtual, VirtualTimers, virtual } from "../internal/vtime.ts";

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** wait() calls in progress: the driver must not move time while one is (its caller is not blocked). */
let waiting = 0;

/** Resolves once two whole turns of the event loop passed with no gort operation and nothing runnable. */
async function quiescent(): Promise<void> {
  for (;;) {
    const before = opsCount();
    await turn();
    await turn();
    if (opsCount() === before && !anyRunnable()) return;
  }
}

/** Thrown by synctest when every goroutine of its bubble is blocked and no timer can wake one. */
export class DeadlockError extends Error {
  override name = "DeadlockError";
  /** The goroutine dump (Go's format) of the bubble's goroutines, also in the message. */
  readonly dump: string;

  constructor(message: string, dump: string) {
    super(dump === "" ? message : `${message}\n\n${dump}`);
    this.dump = dump;
  }
}

/**
 * Runs `body` in a bubble with virtual time (Go: synctest.Test) and returns
 * once it and every goroutine it started have ended.
 *
 * @throws DeadlockError if every goroutine in the bubble is blocked with no
 *   timer pending; Error if a bubble is already running; whatever body throws.
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
  const clock = new VirtualTimers(Math.ceil(baseNow())); // whole ms: virtual sums stay exact
  setVirtual(clock);
  setVirtualClock(() => clock.now);
  // Without goroutine records (GORT_TRACK=off) only counts are known.
  const liveBefore = numGoroutine();
  let finished = false;
  let failure: { error: unknown } | null = null;
  try {
    // Goroutines of the bubble have ids from the body's on.
    const firstId = spawn(async function synctestBody() {
      try {
        await body();
      } catch (error) {
        failure = { error };
      } finally {
        finished = true;
      }
    }, null);
    const members = (): G[] => allGoroutines().filter((g) => g.id >= firstId);
    const alive = (): boolean => (records ? members().length > 0 : numGoroutine() > liveBefore);
    for (;;) {
      await quiescent();
      if (failure !== null) break;
      if (waiting > 0) continue; // wait() returns first; its caller then runs on
      if (finished && !alive()) break;
      if (!clock.advance()) {
        const dump = records ? formatDump(members()) : "";
        throw new DeadlockError(
          finished
            ? "synctest: deadlock: body returned but goroutines in the bubble remain blocked and no timer is pending"
            : "synctest: deadlock: all goroutines in the bubble are blocked and no timer is pending",
          dump,
        );
      }
    }
  } finally {
    clock.end();
    setVirtual(null);
    setVirtualClock(null);
    // The scheduler's time slice started on the virtual clock, which may be
    // ahead of the real one: a wake-up makes it start a new slice next turn.
    ready(new Sudog(SudogKind.Wake, null, undefined, () => {}));
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/**
 * Waits until every other goroutine in the bubble is blocked (Go:
 * synctest.Wait): what they will do before a timer fires has been done.
 * @throws Error outside a bubble.
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
