// Sleep and wake-up for the sync primitives (Go: runtime/sema.go —
// semacquire1/semrelease1 and the notifyList behind sync.Cond), and the
// state words those primitives keep their rules in.
//
// As in Go, "don't think of these as semaphores": a Sema pairs every sleep
// with one wake-up. Mutex, RWMutex and WaitGroup keep their own state words
// and use a Sema only to park a goroutine until another one lets it go; Cond
// uses a NotifyList (tickets, so a notification sent between taking a ticket
// and parking is not lost).
//
// Where the state lives. Every primitive's algorithm reads and writes its
// state only through the interfaces below: `Word` (load, store, add, cas on
// one 32-bit integer, Go's sync/atomic operations), `Sema` (acquire,
// release) and `NotifyList` (add, wait, notifyOne, notifyAll). The Local*
// classes here keep that state in plain fields for goroutines of one thread,
// where every operation is trivially atomic (a CAS never fails on a fresh
// load). A shared-memory variant for goroutines on several threads provides
// the same interfaces over a SharedArrayBuffer (a Word is an index into an
// Int32Array driven by Atomics; a Sema's count is such a word and its waiters
// a cross-thread queue woken with Atomics.notify/waitAsync), and the same
// algorithm code in src/sync/ runs unchanged on it.
//
// One-thread differences from Go, none observable through sync's API:
//   - release() gives its count straight to the longest waiter (Go adds the
//     count and lets the woken goroutine try to take it, which a third
//     goroutine may do first; then the woken one sleeps again). With one
//     thread the count is always handed over, so `handoff` changes nothing
//     here; Go's direct handoff additionally yields the releaser's P to the
//     waiter (goyield), which JavaScript cannot do: the waiter resumes when
//     the releaser next blocks (see sched.ts).
//   - By default a goroutine's G is known only in its first synchronous
//     segment (g.ts `current`; GORT_TRACK=exact follows it everywhere). A
//     primitive that parks again after waking (Mutex's slow path, Cond.wait's
//     re-lock, a writer waiting for readers) passes the G it captured at the
//     call (`running()`), so the goroutine's record still shows the right
//     wait reason.
//
// Invariants:
//   - count > 0 implies the wait queue is empty (release hands the count to a
//     waiter before it would add to it).
//   - A NotifyList's tickets: notify ≤ wait (uint32, wrapping); every parked
//     waiter holds a ticket ≥ notify.

import { current, type G, running, setCurrent, type WaitReason } from "./g.ts";
import { nonBlocking, park, parked, ready } from "./sched.ts";
import { type Sudog, SudogKind, WaitQueue } from "./sudog.ts";

/** One 32-bit state word and the atomic operations Go's sync algorithms use on it. */
export interface Word {
  load(): number;
  store(v: number): void;
  /** Adds `delta` and returns the new value (Go: atomic.AddInt32). */
  add(delta: number): number;
  /** Sets the word to `next` if it holds `old`; returns whether it did (Go: atomic.CompareAndSwapInt32). */
  cas(old: number, next: number): boolean;
}

/** A Word in a plain field, for goroutines of one thread. */
export class LocalWord implements Word {
  v = 0;
  load(): number {
    return this.v;
  }
  store(v: number): void {
    this.v = v;
  }
  add(delta: number): number {
    return (this.v += delta);
  }
  cas(old: number, next: number): boolean {
    if (this.v !== old) return false;
    this.v = next;
    return true;
  }
}

/**
 * Runs `fn` with `g` as the goroutine the runtime sees as running, so that a
 * park inside it is recorded on `g` (a primitive parking again on behalf of
 * the goroutine that called it, after an `await`).
 */
export function asG<T>(g: G | null, fn: () => T): T {
  if (g === null || g === running()) return fn();
  const prev = current;
  setCurrent(g);
  try {
    return fn();
  } finally {
    setCurrent(prev);
  }
}

function parkWake(reason: WaitReason): Promise<unknown> {
  return park(SudogKind.Wake, undefined, reason);
}

/** A sleep/wake-up semaphore (Go: the uint32 a sync type passes to runtime_Semacquire/Semrelease). */
export interface Sema {
  /**
   * Takes one count, or parks until release() hands one over (Go:
   * semacquire1). `lifo` puts the waiter at the front of the queue (a Mutex
   * waiter that was woken and lost the race). `g` is the goroutine to record
   * as waiting (defaults to the running one).
   */
  acquire(lifo: boolean, reason: WaitReason, g?: G | null): Promise<void>;
  /** Wakes the longest waiter, or adds one count if none waits (Go: semrelease1). */
  release(handoff: boolean): void;
}

/** A Sema for goroutines of one thread. */
export class LocalSema implements Sema {
  count = 0;
  readonly waitq = new WaitQueue();

  acquire(lifo: boolean, reason: WaitReason, g: G | null = running()): Promise<void> {
    if (this.count > 0) {
      this.count--;
      return nonBlocking();
    }
    const p = asG(g, () => parkWake(reason));
    if (lifo) this.waitq.enqueueFront(parked);
    else this.waitq.enqueue(parked);
    return p as Promise<void>;
  }

  release(_handoff: boolean): void {
    const sg = this.waitq.dequeue();
    if (sg === null) {
      this.count++;
      return;
    }
    ready(sg);
  }

  /** Number of goroutines parked here (tests and dumps). */
  waiting(): number {
    let n = 0;
    for (let sg = this.waitq.first; sg !== null; sg = sg.next) n++;
    return n;
  }
}

/** Go's ticket-based notification list behind sync.Cond (runtime/sema.go notifyList). */
export interface NotifyList {
  /** Takes the next ticket; the caller then calls wait() with it (Go: notifyListAdd). */
  add(): number;
  /** Returns a ticket the caller will not wait on (its unlock failed). */
  undo(t: number): void;
  /** Parks until ticket `t` is notified; resolves at once if it already was (Go: notifyListWait). */
  wait(t: number, reason: WaitReason, g?: G | null): Promise<void>;
  /** Wakes the waiter holding the oldest unnotified ticket (Go: notifyListNotifyOne). */
  notifyOne(): void;
  /** Wakes every waiter (Go: notifyListNotifyAll). */
  notifyAll(): void;
}

/** `a` comes before `b` on a wrapping uint32 ticket counter (Go: less in sema.go). */
function less(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** A NotifyList for goroutines of one thread. The parked waiters' tickets are kept in Sudog.elem. */
export class LocalNotifyList implements NotifyList {
  /** Ticket of the next waiter. */
  waitTicket = 0;
  /** Ticket of the next waiter to notify. */
  notifyTicket = 0;
  readonly waitq = new WaitQueue();

  add(): number {
    const t = this.waitTicket;
    this.waitTicket = (t + 1) >>> 0;
    return t;
  }

  undo(t: number): void {
    if (((t + 1) >>> 0) === this.waitTicket && !less(t, this.notifyTicket)) {
      this.waitTicket = t;
    }
  }

  wait(t: number, reason: WaitReason, g: G | null = running()): Promise<void> {
    if (less(t, this.notifyTicket)) return nonBlocking();
    const p = asG(g, () => parkWake(reason));
    parked.elem = t;
    this.waitq.enqueue(parked);
    return p as Promise<void>;
  }

  notifyOne(): void {
    if (this.waitTicket === this.notifyTicket) return;
    const t = this.notifyTicket;
    this.notifyTicket = (t + 1) >>> 0;
    // Waiters queue in ticket order in one thread; the scan stops at the first.
    for (let sg: Sudog | null = this.waitq.first; sg !== null; sg = sg.next) {
      if (sg.elem === t) {
        this.waitq.remove(sg);
        sg.elem = undefined;
        ready(sg);
        return;
      }
    }
  }

  notifyAll(): void {
    if (this.waitTicket === this.notifyTicket) return;
    this.notifyTicket = this.waitTicket;
    for (let sg = this.waitq.dequeue(); sg !== null; sg = this.waitq.dequeue()) {
      sg.elem = undefined;
      ready(sg);
    }
  }
}
