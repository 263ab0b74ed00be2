// The shared-memory variants of internal/sema.ts's Word and Sema, so that
// src/sync's algorithms (Go's Mutex, RWMutex, WaitGroup, Once) run unchanged
// on state that goroutines of every thread use.
//
// A SharedWord is one Int32 of the shared heap driven by Atomics (Go's
// sync/atomic). A SharedSema is four words: a lock, a count and a wait
// queue of waiters (waitq.ts); release() hands its count to the longest
// waiter, posting the waiter's token to its thread, as internal/sema.ts's
// LocalSema does within one thread.
//
// Invariant (under the lock): count > 0 implies the queue is empty.

import type { G, WaitReason } from "../g.ts";
import { nonBlocking, park, parked, ready } from "../sched.ts";
import { asG, type Sema, type Word } from "../sema.ts";
import { realAtomics as A } from "../shm/atomics.ts";
import { lock, unlock } from "../shm/lock.ts";
import { SudogKind } from "../sudog.ts";
import { shared } from "./heap.ts";
import { newToken, post } from "./m.ts";
import { wrapperOf } from "./object.ts";
import { trackingLeaks } from "../leak.ts";
import { expectWakeup } from "./proc.ts";
import { dequeue, enqueue, freeQueue, freeWaiter, newWaiter, W_M, W_TOKEN } from "./waitq.ts";
import { running } from "../g.ts";

export class SharedWord implements Word {
  readonly #i: number;
  constructor(index: number) {
    this.#i = index;
  }
  load(): number {
    return Atomics.load(shared().i32, this.#i);
  }
  store(v: number): void {
    Atomics.store(shared().i32, this.#i, v);
  }
  add(delta: number): number {
    return (Atomics.add(shared().i32, this.#i, delta) + delta) | 0;
  }
  cas(old: number, next: number): boolean {
    return Atomics.compareExchange(shared().i32, this.#i, old, next) === old;
  }
}

const SEMA_LOCK = 0;
const SEMA_COUNT = 1;
const SEMA_Q = 2;
/** Words a SharedSema takes. */
export const SEMA_WORDS = 4;

export class SharedSema implements Sema {
  readonly #b: number;
  /** The shared object this semaphore is part of (leak detection: m.ts newToken). */
  readonly #owner: number;
  constructor(base: number, owner: number) {
    this.#b = base;
    this.#owner = owner;
  }

  acquire(lifo: boolean, reason: WaitReason, g: G | null = running()): Promise<void> {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + SEMA_LOCK);
    const n = i32[b + SEMA_COUNT] as number;
    if (n > 0) {
      i32[b + SEMA_COUNT] = n - 1;
      unlock(A, i32, b + SEMA_LOCK);
      return nonBlocking();
    }
    const p = asG(g, () => park(SudogKind.Wake, undefined, reason));
    const sg = parked;
    const w = newWaiter(
      newToken(
        () => {
          freeWaiter(w);
          ready(sg);
        },
        this.#owner,
        trackingLeaks() ? wrapperOf(this.#owner) : null,
      ),
    );
    enqueue(b + SEMA_Q, w, lifo);
    unlock(A, i32, b + SEMA_LOCK);
    expectWakeup();
    return p as Promise<void>;
  }

  release(_handoff: boolean): void {
    const { i32 } = shared();
    const b = this.#b;
    lock(A, i32, b + SEMA_LOCK);
    const w = dequeue(b + SEMA_Q);
    if (w === 0) {
      i32[b + SEMA_COUNT] = (i32[b + SEMA_COUNT] as number) + 1;
      unlock(A, i32, b + SEMA_LOCK);
      return;
    }
    unlock(A, i32, b + SEMA_LOCK);
    post(i32[w + W_M] as number, i32[w + W_TOKEN] as number);
  }

  /** Frees the waiters still queued, when the object is destroyed (waitq.ts freeQueue). */
  freeWaiters(): void {
    freeQueue(this.#b + SEMA_Q, false);
  }
}
