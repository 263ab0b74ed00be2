// A weighted semaphore (Go: golang.org/x/sync/semaphore, semaphore.go).
//
// Rules, as in x/sync: acquisitions are served FIFO, so a large waiter at the
// head blocks smaller ones behind it (no starvation of large requests); a
// waiter whose context is done first is removed and fails with ctx.err(), and
// if it was at the head the waiters behind it are woken if they now fit; a
// request larger than the semaphore's size fails only when its context is
// done; a waiter granted the semaphore whose context is done by the time it
// resumes releases it and fails (x/sync ≥ v0.7).
//
// State and rules are apart: WeightedState holds size, cur and the FIFO of
// waiters (here a doubly linked list in this thread's heap); the algorithm
// in Weighted only reads and updates it through its fields, and wakes a
// waiter through the engine's park/ready. A semaphore shared across threads
// will keep the same fields in a SharedArrayBuffer under a lock (Go's s.mu)
// and wake waiters on other threads through the shared-memory scheduler.

import type { Context } from "../../context/context.ts";
import { watchDone } from "../../context/cancel.ts";
import { describe } from "../../errors.ts";
import { WaitReason } from "../../internal/g.ts";
import { nonBlocking, park, parked, ready } from "../../internal/sched.ts";
import { type Sudog, SudogKind } from "../../internal/sudog.ts";

/** One blocked acquire (Go: type waiter). */
class Waiter {
  readonly n: number;
  readonly sg: Sudog;
  stop: (() => void) | null = null;
  prev: Waiter | null = null;
  next: Waiter | null = null;
  constructor(n: number, sg: Sudog) {
    this.n = n;
    this.sg = sg;
  }
}

/** What the waiter's promise resolves with when its context was done first. */
class Failed {
  readonly err: Error;
  constructor(err: Error) {
    this.err = err;
  }
}

/** Where a Weighted's state lives (one thread's heap). */
class WeightedState {
  readonly size: number;
  cur = 0;
  head: Waiter | null = null;
  tail: Waiter | null = null;
  constructor(size: number) {
    this.size = size;
  }
  push(w: Waiter): void {
    w.prev = this.tail;
    if (this.tail === null) this.head = w;
    else this.tail.next = w;
    this.tail = w;
  }
  remove(w: Waiter): void {
    if (w.prev === null) this.head = w.next;
    else w.prev.next = w.next;
    if (w.next === null) this.tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = w.next = null;
  }
}

function checkWeight(op: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new RangeError(`semaphore: ${op}: weight must be a non-negative integer, received ${describe(n)}`);
  }
  return n;
}

/**
 * A semaphore with a total weight, acquired and released in any weights
 * (Go: semaphore.Weighted). Bound concurrent use of a resource: `acquire(ctx,
 * 1)` before a unit of work, `release(1)` after.
 */
export class Weighted {
  readonly #s: WeightedState;

  /** A semaphore of total weight `n` (Go: semaphore.NewWeighted). @throws RangeError unless n is a non-negative integer. */
  constructor(n: number) {
    this.#s = new WeightedState(checkWeight("newWeighted", n));
  }

  /**
   * Acquires weight `n`, waiting until it is available or `ctx` is done
   * (Go: Weighted.Acquire). Resolves once acquired; rejects with `ctx.err()`
   * if ctx is done first (also when it already is, even if the weight is
   * free), leaving the semaphore unchanged. Waiters are served in order.
   *
   * **Blocking:** wait reason `"semacquire"`.
   */
  acquire(ctx: Context, n: number): Promise<void> {
    checkWeight("acquire", n);
    const s = this.#s;
    const early = ctx.err();
    if (early !== null) return Promise.reject(early);
    if (s.size - s.cur >= n && s.head === null) {
      s.cur += n;
      return nonBlocking();
    }
    const p = park(SudogKind.Wake, undefined, WaitReason.Semacquire);
    const sg = parked;
    if (n > s.size) {
      // Don't make other acquire calls block on one that is doomed to fail.
      watchDone(ctx, (err) => {
        sg.elem = new Failed(err);
        ready(sg);
      });
      return p.then(settle);
    }
    const w = new Waiter(n, sg);
    s.push(w);
    w.stop = watchDone(ctx, (err) => {
      // ctx is done first: leave the queue (Go: the <-done case of Acquire).
      const isFront = s.head === w;
      s.remove(w);
      w.stop = null;
      sg.elem = new Failed(err);
      ready(sg);
      // If we were at the front and there are extra tokens left, notify other waiters.
      if (isFront && s.size > s.cur) this.#notifyWaiters();
    });
    return p.then((v) => {
      if (v instanceof Failed) throw v.err;
      // Acquired; but if ctx is done by now, give it back and fail (x/sync).
      const err = ctx.err();
      if (err !== null) {
        this.release(n);
        throw err;
      }
    });
  }

  /**
   * Acquires weight `n` only if it is free now and nobody waits; returns
   * whether it did (Go: Weighted.TryAcquire).
   */
  tryAcquire(n: number): boolean {
    checkWeight("tryAcquire", n);
    const s = this.#s;
    const ok = s.size - s.cur >= n && s.head === null;
    if (ok) s.cur += n;
    return ok;
  }

  /**
   * Releases weight `n` and wakes the waiters that now fit, in order (Go:
   * Weighted.Release).
   * @throws Error("semaphore: released more than held") if more is released than is held.
   */
  release(n: number): void {
    checkWeight("release", n);
    const s = this.#s;
    s.cur -= n;
    if (s.cur < 0) {
      s.cur += n;
      throw new Error("semaphore: released more than held");
    }
    this.#notifyWaiters();
  }

  /** Go: notifyWaiters. Grants the semaphore to waiters from the head while they fit. */
  #notifyWaiters(): void {
    const s = this.#s;
    for (let w = s.head; w !== null; w = s.head) {
      if (s.size - s.cur < w.n) {
        // Not enough tokens for the next waiter. We could keep going (to try
        // to find a waiter with a smaller request), but under load that could
        // starve large requests; instead, leave all remaining waiters blocked.
        break;
      }
      s.cur += w.n;
      s.remove(w);
      const stop = w.stop;
      w.stop = null;
      if (stop !== null) stop();
      ready(w.sg);
    }
  }
}

function settle(v: unknown): void {
  if (v instanceof Failed) throw v.err;
}

/** A semaphore of total weight `n` (Go: semaphore.NewWeighted). */
export function newWeighted(n: number): Weighted {
  return new Weighted(n);
}
