// sync.Cond (Go: src/sync/cond.go, with the notifyList of runtime/sema.go).
//
// wait() takes a ticket, unlocks `l`, parks until its ticket is notified,
// then locks `l` again before resolving. signal() notifies the oldest
// unnotified ticket, so the longest waiter wakes; broadcast() notifies all.
// Tickets (rather than a bare queue) are Go's: a notification sent after a
// waiter took its ticket but before it parked is not lost, which matters
// once waiters run on other threads.
//
// Where the state lives: a NotifyList (internal/sema.ts); a shared-memory
// Cond provides one in a SharedArrayBuffer, and runs the same code. The
// Locker is the caller's.

import { describe } from "../errors.ts";
import { running, WaitReason } from "../internal/g.ts";
import { asG, LocalNotifyList, type NotifyList } from "../internal/sema.ts";
import type { Locker } from "./locker.ts";

/**
 * A condition variable: a rendezvous point for goroutines waiting for, or
 * announcing, a change of some state guarded by the Locker `l` (Go:
 * sync.Cond). Hold `l` while changing the state and while calling `wait()`.
 *
 * For many uses a channel is simpler (`broadcast()` is closing a channel,
 * `signal()` a send).
 *
 * Blocking: `wait()` waits with reason "sync.Cond.Wait" (and then as `l.lock()` does).
 * Panics: `wait()` without holding `l` throws what `l.unlock()` throws
 * ("sync: unlock of unlocked mutex" for a Mutex).
 *
 * @example
 * ```ts
 * const mu = new Mutex();
 * const ready = new Cond(mu);
 * let queue: Job[] = [];
 * async function take(): Promise<Job> {
 *   await mu.lock();
 *   try {
 *     while (queue.length === 0) await ready.wait();
 *     return queue.shift()!;
 *   } finally {
 *     mu.unlock();
 *   }
 * }
 * async function put(j: Job): Promise<void> {
 *   await mu.lock();
 *   queue.push(j);
 *   mu.unlock();
 *   ready.signal();
 * }
 * ```
 */
export class Cond {
  /** The Locker held while observing or changing the condition (Go: L). */
  readonly l: Locker;
  readonly #notify: NotifyList = new LocalNotifyList();

  /**
   * Makes a Cond over `l` (Go: sync.NewCond).
   * @throws TypeError if l has no lock and unlock methods.
   * @example
   * ```ts
   * const c = new Cond(new Mutex());
   * ```
   */
  constructor(l: Locker) {
    if (l === null || typeof l !== "object" || typeof l.lock !== "function" || typeof l.unlock !== "function") {
      throw new TypeError(`sync: new Cond: l must be a Locker (lock and unlock methods), received ${describe(l)}`);
    }
    this.l = l;
  }

  /**
   * Unlocks `l`, waits for `signal()` or `broadcast()`, and locks `l` again
   * before resolving (Go: Wait). It cannot resolve without being woken, but
   * the condition may have changed again by then, so wait in a loop:
   * `while (!condition()) await c.wait();`.
   *
   * Blocking: "sync.Cond.Wait", then as `l.lock()` (e.g. "sync.Mutex.Lock").
   * Panics: throws what `l.unlock()` throws if `l` is not held.
   * @example
   * ```ts
   * await c.l.lock();
   * while (!done) await c.wait();
   * c.l.unlock();
   * ```
   */
  wait(): Promise<void> {
    const notify = this.#notify;
    const t = notify.add();
    try {
      this.l.unlock();
    } catch (err) {
      notify.undo(t);
      throw err;
    }
    const g = running();
    const l = this.l;
    return notify.wait(t, WaitReason.SyncCondWait, g).then(() => asG(g, () => l.lock()));
  }

  /**
   * Wakes the goroutine that has waited longest, if any (Go: Signal). The
   * caller may but need not hold `l`. The woken goroutine still has to
   * re-lock `l`, and others may take it first.
   * @example
   * ```ts
   * await c.l.lock(); items.push(x); c.l.unlock();
   * c.signal();
   * ```
   */
  signal(): void {
    this.#notify.notifyOne();
  }

  /**
   * Wakes every waiting goroutine (Go: Broadcast). The caller may but need not hold `l`.
   * @example
   * ```ts
   * await c.l.lock(); closed = true; c.l.unlock();
   * c.broadcast();
   * ```
   */
  broadcast(): void {
    this.#notify.notifyAll();
  }
}
