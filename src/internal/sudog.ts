// Waiters parked on a channel or on a runtime semaphore (Go: type sudog in
// runtime2.go, waitq in chan.go).
//
// A Sudog is one goroutine's wait in one queue. A blocking receive or send
// parks one Sudog; a select parks one Sudog per channel case, all sharing one
// SelectWaiter, and the first partner to reach any of them wins the select.
//
// Invariants:
//   - A Sudog is in at most one WaitQueue, and `queue` names it while it is.
//   - Once `sel.done` is set, no Sudog of that select is in any queue: the
//     winner unlinks every sibling before the select resumes, so a partner
//     never meets a stale select waiter (Go instead skips them with selectDone;
//     eager removal also keeps a select in a loop from piling up waiters).

import type { G } from "./g.ts";

export const SudogKind = {
  /** A receive that resolves with the value (undefined when closed). */
  Recv: 0,
  /** A receive that resolves with [value, ok]. */
  RecvOk: 1,
  /** A send that resolves on hand-off and rejects when the channel closes. */
  Send: 2,
  /** A receive case of a select; completion resolves the SelectWaiter. */
  SelectRecv: 3,
  /** A send case of a select; completion resolves the SelectWaiter, or rejects it if the channel closed. */
  SelectSend: 4,
  /** A bare wake-up (semaphores, deferred results): resolves with elem. */
  Wake: 5,
  /** A receive for `for await`: resolves with an IteratorResult. */
  RecvIter: 6,
} as const;
export type SudogKind = (typeof SudogKind)[keyof typeof SudogKind];

export type Resolve = (value: unknown) => void;
export type Reject = (reason: unknown) => void;

/** The shared state of one blocked select (Go: the selectDone word plus the sudog list). */
export class SelectWaiter {
  done = false;
  /** The case that fired, its received value and ok flag. */
  index = -1;
  value: unknown = undefined;
  ok = false;
  readonly sudogs: Sudog[] = [];
  resolve: Resolve;
  reject: Reject;
  /** The select's cases, run by the selecting goroutine once it resumes. */
  readonly cases: readonly unknown[];

  constructor(cases: readonly unknown[], resolve: Resolve, reject: Reject) {
    this.cases = cases;
    this.resolve = resolve;
    this.reject = reject;
  }
}

export class Sudog {
  kind: SudogKind;
  g: G | null;
  /** Send: the value offered. Receive: the value delivered (set by the partner). */
  elem: unknown;
  /** Receive: true if elem came from a send, false if from close. Send: false if the channel closed. */
  ok = true;
  resolve: Resolve | null;
  reject: Reject | null;
  sel: SelectWaiter | null = null;
  /** The select case this waiter stands for. */
  caseIndex = 0;
  // Ownership: the links and `queue` belong to the WaitQueue holding this Sudog.
  prev: Sudog | null = null;
  next: Sudog | null = null;
  queue: WaitQueue | null = null;

  constructor(kind: SudogKind, g: G | null, elem: unknown, resolve: Resolve | null, reject: Reject | null) {
    this.kind = kind;
    this.g = g;
    this.elem = elem;
    this.resolve = resolve;
    this.reject = reject;
  }
}

/** A FIFO of Sudogs with O(1) removal from the middle (Go: waitq, a doubly linked list). */
export class WaitQueue {
  first: Sudog | null = null;
  last: Sudog | null = null;
  /** Called when the queue goes from empty to non-empty and back (timer channels ref/unref on it). */
  onActive: ((active: boolean) => void) | null = null;

  isEmpty(): boolean {
    return this.first === null;
  }

  enqueue(sg: Sudog): void {
    sg.queue = this;
    sg.prev = this.last;
    sg.next = null;
    if (this.last === null) {
      this.first = this.last = sg;
      if (this.onActive !== null) this.onActive(true);
    } else {
      this.last.next = sg;
      this.last = sg;
    }
  }

  remove(sg: Sudog): void {
    if (sg.prev === null) this.first = sg.next;
    else sg.prev.next = sg.next;
    if (sg.next === null) this.last = sg.prev;
    else sg.next.prev = sg.prev;
    sg.prev = sg.next = null;
    sg.queue = null;
    if (this.first === null && this.onActive !== null) this.onActive(false);
  }

  /**
   * Removes and returns the longest waiter, or null. If it belongs to a select,
   * that select is decided here: it is marked done and its other waiters leave
   * their queues, so exactly one case fires (Go: dequeue's selectDone CAS).
   */
  dequeue(): Sudog | null {
    const sg = this.first;
    if (sg === null) return null;
    this.remove(sg);
    const sel = sg.sel;
    if (sel !== null) {
      sel.done = true;
      sel.index = sg.caseIndex;
      const all = sel.sudogs;
      for (let i = 0; i < all.length; i++) {
        const other = all[i] as Sudog;
        if (other !== sg && other.queue !== null) other.queue.remove(other);
      }
    }
    return sg;
  }
}
