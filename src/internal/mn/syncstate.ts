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
  /** At word `base` of the shared heap. */
  constructor(base: number) {
    this.state = new SharedWord(base);
    this.sema = new SharedSema(base + 1);
  }
}

export const RWMUTEX_WORDS = MUTEX_WORDS + 2 * SEMA_WORDS + 2;

export class SharedRWMutexState implements RWMutexState {
  readonly w: SharedMutexState;
  readonly writerSem: SharedSema;
  readonly readerSem: SharedSema;
  readonly readerCount: SharedWord;
  readonly readerWait: SharedWord;
  constructor(base: number) {
    this.w = new SharedMutexState(base);
    this.writerSem = new SharedSema(base + MUTEX_WORDS);
    this.readerSem = new SharedSema(base + MUTEX_WORDS + SEMA_WORDS);
    this.readerCount = new SharedWord(base + MUTEX_WORDS + 2 * SEMA_WORDS);
    this.readerWait = new SharedWord(base + MUTEX_WORDS + 2 * SEMA_WORDS + 1);
  }
}

export const ONCE_WORDS = 1 + MUTEX_WORDS;

export class SharedOnceState implements OnceState {
  readonly done: SharedWord;
  readonly m: SharedMutexState;
  constructor(base: number) {
    this.done = new SharedWord(base);
    this.m = new SharedMutexState(base + 1);
  }
}

const WG_LOCK = 0;
const WG_COUNTER = 1;
const WG_WAITERS = 2;
export const WAITGROUP_WORDS = 3 + SEMA_WORDS;

/**
 * Go keeps a WaitGroup's counter and waiter count in one 64-bit word so that
 * each operation reads both in one atomic step; here a lock makes the two
 * words one step. waiters() returns the count read in the last step.
 */
export class SharedWaitGroupState implements WaitGroupState {
  readonly #b: number;
  readonly sema: SharedSema;
  #w = 0;
  constructor(base: number) {
    this.#b = base;
    this.sema = new SharedSema(base + 3);
  }
  addCounter(delta: number): number {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + WG_LOCK);
    const v = ((i32[b + WG_COUNTER] as number) + delta) | 0;
    i32[b + WG_COUNTER] = v;
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
    const ok = i32[b + WG_COUNTER] === v && i32[b + WG_WAITERS] === w;
    if (ok) i32[b + WG_WAITERS] = w + 1;
    unlock(A, i32, b + WG_LOCK);
    return ok;
  }
  reset(): void {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + WG_LOCK);
    i32[b + WG_COUNTER] = 0;
    i32[b + WG_WAITERS] = 0;
    unlock(A, i32, b + WG_LOCK);
  }
  isZero(): boolean {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + WG_LOCK);
    const z = i32[b + WG_COUNTER] === 0 && i32[b + WG_WAITERS] === 0;
    unlock(A, i32, b + WG_LOCK);
    return z;
  }
}

/** The first field word of shared object `ref`. */
export function fields(ref: number): number {
  return ref + OBJ_FIELDS;
}
