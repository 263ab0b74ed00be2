// sync.Mutex (Go: src/sync/mutex.go, Go 1.19; the algorithm, the state bits
// and the two modes are Go's, without the spinning, which Go does not do with
// GOMAXPROCS=1 either).
//
// Normal mode: waiters queue FIFO, but a woken waiter does not own the mutex;
// it competes with goroutines calling lock() before it resumes, and loses to
// them (they are already running). Here "before it resumes" means: unlock()
// readies the first waiter, which resumes when the unlocking goroutine blocks
// (see internal/sched.ts); a lock() in between takes the mutex (barging),
// and the woken waiter then queues again at the FRONT (Go: queueLifo).
// Starvation mode: once a waiter has waited more than 1 ms (internal/clock.ts
// now()), it sets mutexStarving; from then on unlock() hands the mutex
// directly to the waiter at the front, and new arrivals neither barge nor
// spin but queue at the back. The mode ends when the waiter that takes the
// mutex is the last one, or waited less than 1 ms.
//
// Where the state lives: the rules below (mutexLock, mutexTryLock,
// mutexUnlock) touch the mutex only through a MutexState, one Word (Go's
// `state int32`) and one Sema (Go's `sema uint32`); see internal/sema.ts.
// Mutex holds a LocalMutexState; a shared-memory Mutex passes a MutexState
// whose word and semaphore live in a SharedArrayBuffer to the same functions.
// RWMutex and Once reuse these functions for their inner mutex.
//
// Invariants (Go's): state = waiters << 3 | starving | woken | locked;
// starving implies waiters > 0 (the waiter at the front is being handed the
// mutex while locked is clear); woken is set while a woken waiter has not yet
// retried, and keeps unlock() from waking a second one.

import { RuntimeError } from "../errors.ts";
import { now } from "../internal/clock.ts";
import { type G, running, WaitReason } from "../internal/g.ts";
import { nonBlocking, nonBlockingValue } from "../internal/sched.ts";
import { LocalSema, LocalWord, type Sema, type Word } from "../internal/sema.ts";
import { LockGuard, type Locker } from "./locker.ts";
import { LOCAL_ONLY } from "../internal/mn/localonly.ts";
import { defineKind, ObjKind, SHARED_REF } from "../internal/mn/object.ts";
import { destroySemas, fields, SharedMutexState, MUTEX_WORDS } from "../internal/mn/syncstate.ts";
import { claim, localAdvice, sharedBlock, type SyncOptions, wrapAs } from "../internal/mn/syncobj.ts";

const mutexLocked = 1;
const mutexWoken = 2;
const mutexStarving = 4;
const mutexWaiterShift = 3;
const mutexWaiter = 1 << mutexWaiterShift;
/** A waiter that waited longer than this (ms) switches the mutex to starvation mode (Go: 1e6 ns). */
const starvationThresholdMs = 1;

/** Where a mutex's state lives (see the file header). */
export interface MutexState {
  readonly state: Word;
  readonly sema: Sema;
}

/** A MutexState in plain fields, for goroutines of one thread. */
export class LocalMutexState implements MutexState {
  readonly state = new LocalWord();
  readonly sema = new LocalSema();
}

/** Go's Mutex.Lock on `m`; a goroutine that blocks is recorded with `reason`. */
export function mutexLock(m: MutexState, reason: WaitReason): Promise<void> {
  if (m.state.cas(0, mutexLocked)) return nonBlocking();
  return lockSlow(m, reason, running());
}

/** Go's Mutex.TryLock. */
export function mutexTryLock(m: MutexState): boolean {
  const old = m.state.load();
  if ((old & (mutexLocked | mutexStarving)) !== 0) return false;
  return m.state.cas(old, old | mutexLocked);
}

/** Go's Mutex.Unlock; throws "sync: unlock of unlocked mutex" (leaving the state as it was). */
export function mutexUnlock(m: MutexState): void {
  const next = m.state.add(-mutexLocked);
  if (next !== 0) unlockSlow(m, next);
}

/**
 * Go's lockSlow: loops until this goroutine owns the mutex, parking on the
 * semaphore between attempts. `g` is the calling goroutine, recorded as
 * waiting when it parks again after an earlier wake-up.
 */
async function lockSlow(m: MutexState, reason: WaitReason, g: G | null): Promise<void> {
  let waitStart = -1; // when this goroutine first parked; -1: not yet
  let starving = false;
  let awoke = false;
  let old = m.state.load();
  for (;;) {
    let next = old;
    // Don't try to acquire a starving mutex: new arrivals must queue.
    if ((old & mutexStarving) === 0) next |= mutexLocked;
    if ((old & (mutexLocked | mutexStarving)) !== 0) next += mutexWaiter;
    // Switch to starvation mode, if the mutex is still locked (an unlocked
    // mutex has no waiter to hand it to).
    if (starving && (old & mutexLocked) !== 0) next |= mutexStarving;
    if (awoke) {
      // This goroutine was woken: clear the flag (it is set, or the state is corrupt).
      if ((next & mutexWoken) === 0) throw new RuntimeError("sync: inconsistent mutex state");
      next &= ~mutexWoken;
    }
    if (!m.state.cas(old, next)) {
      old = m.state.load();
      continue;
    }
    if ((old & (mutexLocked | mutexStarving)) === 0) return; // locked it
    // Waited before: queue at the front.
    const queueLifo = waitStart >= 0;
    if (waitStart < 0) waitStart = now();
    await m.sema.acquire(queueLifo, reason, g);
    starving = starving || now() - waitStart > starvationThresholdMs;
    old = m.state.load();
    if ((old & mutexStarving) !== 0) {
      // Handed off: locked is clear, and this goroutine is still counted as a waiter.
      if ((old & (mutexLocked | mutexWoken)) !== 0 || old >>> mutexWaiterShift === 0) {
        throw new RuntimeError("sync: inconsistent mutex state");
      }
      let delta = mutexLocked - mutexWaiter;
      // Leave starvation mode if this waiter did not starve or is the last one.
      if (!starving || old >>> mutexWaiterShift === 1) delta -= mutexStarving;
      m.state.add(delta);
      return;
    }
    awoke = true;
  }
}

function unlockSlow(m: MutexState, next: number): void {
  if (((next + mutexLocked) & mutexLocked) === 0) {
    m.state.add(mutexLocked);
    throw new RuntimeError("sync: unlock of unlocked mutex");
  }
  if ((next & mutexStarving) === 0) {
    let old = next;
    for (;;) {
      // No waiters, or one is already woken or has the lock: nobody to wake.
      if (old >>> mutexWaiterShift === 0 || (old & (mutexLocked | mutexWoken | mutexStarving)) !== 0) return;
      // Take a waiter out of the count and wake it.
      if (m.state.cas(old, (old - mutexWaiter) | mutexWoken)) {
        m.sema.release(false);
        return;
      }
      old = m.state.load();
    }
  }
  // Starvation mode: hand the mutex to the waiter at the front. mutexLocked
  // stays clear; the waiter sets it. mutexStarving keeps new arrivals out.
  m.sema.release(true);
}

/**
 * A mutual exclusion lock (Go: sync.Mutex). The zero state is unlocked; a
 * locked Mutex belongs to no goroutine in particular: one goroutine may lock
 * it and another unlock it.
 *
 * Fairness is Go's: in normal mode woken waiters compete with new arrivals
 * (which usually win, for throughput); a waiter that has waited more than
 * 1 ms switches the mutex to starvation mode, where it is handed FIFO from
 * each unlock to the waiter at the front.
 *
 * Blocking: `lock()` waits with reason "sync.Mutex.Lock".
 * Panics: `unlock()` of an unlocked mutex throws a RuntimeError
 * "sync: unlock of unlocked mutex".
 *
 * @example
 * ```ts
 * const mu = new Mutex();
 * const counts = new Map<string, number>();
 * async function inc(key: string): Promise<void> {
 *   await mu.lock();
 *   try {
 *     counts.set(key, (counts.get(key) ?? 0) + 1);
 *   } finally {
 *     mu.unlock();
 *   }
 * }
 * ```
 */
export class Mutex implements Locker {
  readonly #m: MutexState;
  /** @internal The shared object's block (undefined: local to this thread). */
  readonly [SHARED_REF]: number | undefined;

  /**
   * Makes a Mutex, local to this thread unless `options.shared` puts it in
   * shared memory, for goroutines on every thread (portable goroutines,
   * `task()`); a shared one travels by reference.
   */
  constructor(options?: SyncOptions) {
    const block = sharedBlock(options, ObjKind.Mutex, MUTEX_WORDS, "Mutex");
    this.#m = block === undefined ? new LocalMutexState() : new SharedMutexState(fields(block.ref), block.ref);
    this[SHARED_REF] = block?.ref;
    if (block !== undefined) claim(this, block);
  }

  /** @internal What to say when a local Mutex is passed to another thread. */
  get [LOCAL_ONLY](): string | undefined {
    return this[SHARED_REF] === undefined ? localAdvice("Mutex", "Mutex") : undefined;
  }

  /**
   * Locks the mutex, waiting until it is available (Go: Lock). Resolves once
   * this goroutine holds it.
   *
   * Blocking: "sync.Mutex.Lock".
   * @example
   * ```ts
   * await mu.lock();
   * try { shared.push(x); } finally { mu.unlock(); }
   * ```
   */
  lock(): Promise<void> {
    return mutexLock(this.#m, WaitReason.SyncMutexLock);
  }

  /**
   * Locks the mutex (as `lock()`) and returns a guard that unlocks it; with
   * `using`, at the end of the scope (Go: `mu.Lock(); defer mu.Unlock()`).
   *
   * Blocking: "sync.Mutex.Lock".
   * @example
   * ```ts
   * {
   *   using _ = await mu.locked();
   *   balance += amount;
   * } // unlocked here
   * ```
   */
  locked(): Promise<LockGuard> {
    if (this.#m.state.cas(0, mutexLocked)) return nonBlockingValue(new LockGuard(this));
    return lockSlow(this.#m, WaitReason.SyncMutexLock, running()).then(() => new LockGuard(this));
  }

  /**
   * Locks the mutex if it is free and not being handed to a starving waiter;
   * returns whether it did (Go: TryLock). Never blocks.
   * @example
   * ```ts
   * if (mu.tryLock()) {
   *   try { flush(); } finally { mu.unlock(); }
   * }
   * ```
   */
  tryLock(): boolean {
    return mutexTryLock(this.#m);
  }

  /**
   * Unlocks the mutex (Go: Unlock), waking a waiter if there is one. It need
   * not be called by the goroutine that locked it.
   *
   * Panics: throws RuntimeError "sync: unlock of unlocked mutex" if the mutex
   * is not locked (Go's fatal error; here the mutex stays usable).
   * @example
   * ```ts
   * await mu.lock();
   * mu.unlock();
   * ```
   */
  unlock(): void {
    mutexUnlock(this.#m);
  }
}

defineKind(ObjKind.Mutex, {
  wrap: (ref) => wrapAs(ref, () => new Mutex()),
  destroy: (ref) => destroySemas(new SharedMutexState(fields(ref), ref)),
});
