// Waiters parked on a channel or on a runtime semaphore (Go: type sudog in
// runtime2.go, waitq in chan.go).
//
// A Sudog is one goroutine's wait in one queue. A blocking receive or send
// parks one Sudog; a select parks one Sudog per channel case, all sharing one
// SelectWaiter, and the first partner to reach any of them wins the select.
//
// Invariants:
//   - A Sudog is in at most one WaitQueue; a SelectSudog's `queue` names it while it is.
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

/**
 * What a receive of kind `kind` resolves with, for a value and ok flag:
 * the value (undefined once closed), Go's `[v, ok]`, or an IteratorResult.
 */
export function recvResult(kind: SudogKind, value: unknown, ok: boolean): unknown {
  if (kind === SudogKind.Recv) return value;
  if (kind === SudogKind.RecvOk) return ok ? [value, true] : [undefined, false];
  return ok ? { value, done: false } : { value: undefined, done: true };
}

/** The shared state of one blocked select (Go: the selectDone word plus the sudog list). */
export class SelectWaiter {
  done = false;
  /** The case that fired, its received value and ok flag. */
  index = -1;
  value: unknown = undefined;
  ok = false;
  readonly sudogs: SelectSudog[] = [];
  readonly resolve: Resolve;
  /**
   * A select that also waits on shared channels (M:N) is decided by a CAS
   * on a word in shared memory, which another thread may win first: then
   * claim() returns false and the local case must not fire. Null: local only.
   */
  claim: (() => boolean) | null = null;
  /** The select's cases, run by the selecting goroutine once it resumes. */
  readonly cases: readonly unknown[];

  constructor(cases: readonly unknown[], resolve: Resolve) {
    this.cases = cases;
    this.resolve = resolve;
  }

  /** Case `sg` fired: the select is done and its other local cases leave their queues. */
  static decide(sg: SelectSudog): void {
    const sel = sg.sel;
    sel.done = true;
    sel.index = sg.caseIndex;
    sel.withdrawLocal();
  }

  /** Takes every local case of this select out of its queue. */
  withdrawLocal(): void {
    const all = this.sudogs;
    for (let i = 0; i < all.length; i++) {
      const other = all[i] as SelectSudog;
      if (other.queue !== null) {
        other.queue.remove(other);
        other.queue = null;
      }
    }
  }
}

/**
 * One parked operation. Kept small: a million parked goroutines hold a
 * million of these. A blocked send that must fail is settled with a rejected
 * promise through `resolve` (a promise resolved with a rejected promise
 * rejects), so no reject function is kept.
 */
export class Sudog {
  kind: SudogKind;
  /** The goroutine parked here, when the runtime knew it (see g.ts `current`). */
  g: G | null;
  /** Send: the value offered. Receive: the value delivered (set by the partner). */
  elem: unknown;
  /** Receive: true if elem came from a send, false if from close. Send: false if the channel closed. */
  ok = true;
  resolve: Resolve | null;
  // Ownership: the links belong to the WaitQueue holding this Sudog.
  prev: Sudog | null = null;
  next: Sudog | null = null;

  constructor(kind: SudogKind, g: G | null, elem: unknown, resolve: Resolve | null) {
    this.kind = kind;
    this.g = g;
    this.elem = elem;
    this.resolve = resolve;
  }
}

/** One case of a parked select: a Sudog that knows its select, its case and its queue. */
export class SelectSudog extends Sudog {
  readonly sel: SelectWaiter;
  readonly caseIndex: number;
  queue: WaitQueue | null = null;

  constructor(kind: SudogKind, g: G | null, elem: unknown, sel: SelectWaiter, caseIndex: number) {
    super(kind, g, elem, null);
    this.sel = sel;
    this.caseIndex = caseIndex;
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

  /** Puts `sg` at the front, to be dequeued first (Go: semaRoot.queue with lifo, a woken waiter that lost a race re-queueing). */
  enqueueFront(sg: Sudog): void {
    sg.prev = null;
    sg.next = this.first;
    if (this.first === null) {
      this.first = this.last = sg;
      if (this.onActive !== null) this.onActive(true);
    } else {
      this.first.prev = sg;
      this.first = sg;
    }
  }

  /** Enqueues one case of a parked select, remembering the queue so the case can be withdrawn. */
  enqueueSelect(sg: SelectSudog): void {
    sg.queue = this;
    this.enqueue(sg);
  }

  /** Unlinks `sg`, which must be in this queue. */
  remove(sg: Sudog): void {
    if (sg.prev === null) this.first = sg.next;
    else sg.prev.next = sg.next;
    if (sg.next === null) this.last = sg.prev;
    else sg.next.prev = sg.prev;
    sg.prev = sg.next = null;
    if (this.first === null && this.onActive !== null) this.onActive(false);
  }

  /**
   * Removes and returns the longest waiter, or null. If it belongs to a select,
   * that select is decided here: it is marked done and its other waiters leave
   * their queues, so exactly one case fires (Go: dequeue's selectDone CAS).
   */
  dequeue(): Sudog | null {
    for (;;) {
      const sg = this.first;
      if (sg === null) return null;
      this.remove(sg);
      if (sg instanceof SelectSudog) {
        sg.queue = null;
        // Decided on another thread: this case lost; its select withdraws the rest.
        if (sg.sel.claim !== null && !sg.sel.claim()) continue;
        SelectWaiter.decide(sg);
      }
      return sg;
    }
  }
}

