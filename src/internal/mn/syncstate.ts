// The states of src/sync's primitives in shared memory (see the "Where the
// state lives" notes in src/sync/*.ts): each is a shared object (object.ts)
// whose fields are SharedWords and SharedSemas, laid out below.

import type { MutexState } from "../../sync/mutex.ts";
import type { OnceState } from "../../sync/once.ts";
import type { RWMutexState } from "../../sync/rwmutex.ts";
import type { WaitGroupState } from "../../sync/waitgroup.ts";
import { realAtomics as A } from "../shm/atomics.ts";
import { lock, unlock } from "../shm/lock.ts";
import { shared } from "./heap.ts";
import { OBJ_FIELDS } from "./object.ts";
import { SEMA_WORDS, SharedSema, SharedWord } from "./sema.ts";

/** Words of a MutexState: its state word and sema. */
export const MUTEX_WORDS = 1 + SEMA_WORDS;

export class SharedMutexState implements MutexState {
  readonly state: SharedWord;
  readonly sema: SharedSema;
  /** At word `base` of the shared heap, in shared object `ref` (its semaphore's waiters wait on it). */
  constructor(base: number, ref: number) {
    this.state = new SharedWord(base);
    this.sema = new SharedSema(base + 1, ref);
  }
  semas(): SharedSema[] {
    return [this.sema];
  }
}

export const RWMUTEX_WORDS = MUTEX_WORDS + 2 * SEMA_WORDS + 2;

export class SharedRWMutexState implements RWMutexState {
  readonly w: SharedMutexState;
  readonly writerSem: SharedSema;
  readonly readerSem: SharedSema;
  readonly readerCount: SharedWord;
  readonly readerWait: SharedWord;
  constructor(base: number, ref: number) {
    this.w = new SharedMutexState(base, ref);
    this.writerSem = new SharedSema(base + MUTEX_WORDS, ref);
    this.readerSem = new SharedSema(base + MUTEX_WORDS + SEMA_WORDS, ref);
    this.readerCount = new SharedWord(base + MUTEX_WORDS + 2 * SEMA_WORDS);
    this.readerWait = new SharedWord(base + MUTEX_WORDS + 2 * SEMA_WORDS + 1);
  }
  semas(): SharedSema[] {
    return [...this.w.semas(), this.writerSem, this.readerSem];
  }
}

export const ONCE_WORDS = 1 + MUTEX_WORDS;

export class SharedOnceState implements OnceState {
  readonly done: SharedWord;
  readonly m: SharedMutexState;
  constructor(base: number, ref: number) {
    this.done = new SharedWord(base);
    this.m = new SharedMutexState(base + 1, ref);
  }
  semas(): SharedSema[] {
    return this.m.semas();
  }
}

const WG_LOCK = 0;
const WG_COUNTER = 1;
const WG_WAITERS = 2;
export const WAITGROUP_WORDS = 3 + SEMA_WORDS;

/**
 * Go keeps a WaitGroup's counter and waiter count in one 64-bit word, so
 * that each operation reads both in one atomic step. Here they are two
 * words: every change to the counter is an atomic add, and everything else
 * (reading the waiters, adding a waiter, resetting) happens under the lock.
 * A decrement that leaves the counter above zero (done() with goroutines
 * still to come, the common case) takes no lock: Add returns at once then,
 * whatever the waiters (wgAdd: `v > 0`). A decrement that reaches zero
 * reads the waiters under the lock afterwards, and a waiter is added only
 * under the lock if the counter is still what it read: so either that
 * waiter's check saw the decrement (and it does not wait), or the
 * decrement's read comes after the waiter was counted (and wakes it).
 * waiters() returns the count read in the last step that read it (0 after
 * a lock-free decrement, which needs none).
 */
export class SharedWaitGroupState implements WaitGroupState {
  readonly #b: number;
  readonly sema: SharedSema;
  #w = 0;
  constructor(base: number, ref: number) {
    this.#b = base;
    this.sema = new SharedSema(base + 3, ref);
  }
  semas(): SharedSema[] {
    return [this.sema];
  }
  addCounter(delta: number): number {
    const { i32 } = shared();
    const b = this.#b;
    if (delta < 0) {
      const v = (Atomics.add(i32, b + WG_COUNTER, delta) + delta) | 0;
      if (v > 0) {
        this.#w = 0;
        return v;
      }
      lock(A, i32, b + WG_LOCK);
      this.#w = i32[b + WG_WAITERS] as number;
      unlock(A, i32, b + WG_LOCK);
      return v;
    }
    // Adding (or reading): under the lock, so that an Add from zero sees the
    // waiters as they were at its step (Go's misuse check), not one that
    // came after it.
    lock(A, i32, b + WG_LOCK);
    const v = (Atomics.add(i32, b + WG_COUNTER, delta) + delta) | 0;
    this.#w = i32[b + WG_WAITERS] as number;
    unlock(A, i32, b + WG_LOCK);
    return v;
  }
  counter(): number {
    return this.addCounter(0);
  }
  waiters(): number {
    return this.#w;
  }
  addWaiter(v: number, w: number): boolean {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + WG_LOCK);
    const ok = Atomics.load(i32, b + WG_COUNTER) === v && i32[b + WG_WAITERS] === w;
    if (ok) i32[b + WG_WAITERS] = w + 1;
    unlock(A, i32, b + WG_LOCK);
    return ok;
  }
  reset(): void {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + WG_LOCK);
    Atomics.store(i32, b + WG_COUNTER, 0);
    i32[b + WG_WAITERS] = 0;
    unlock(A, i32, b + WG_LOCK);
  }
  isZero(): boolean {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + WG_LOCK);
    const z = Atomics.load(i32, b + WG_COUNTER) === 0 && i32[b + WG_WAITERS] === 0;
    unlock(A, i32, b + WG_LOCK);
    return z;
  }
}

/**
 * A shared sync object's destroy (object.ts KindOps): frees the waiters its
 * semaphores still hold, those of goroutines that can never be woken.
 */
export function destroySemas(state: { semas(): SharedSema[] }): void {
  for (const s of state.semas()) s.freeWaiters();
}

/** The first field word of shared object `ref`. */
export function fields(ref: number): number {
  return ref + OBJ_FIELDS;
}
