// A select that involves shared channels (M:N), alone or with local ones
// (Go: selectgo, across threads).
//
// As in Go, the select locks every shared channel it uses (in one global
// order, by block, so two selects cannot deadlock), polls its cases, and if
// none is ready enqueues a waiter on each before unlocking them all; so no
// partner can slip in between the poll and the enqueue.
//
// The select's record in shared memory holds its done word: whoever CASes
// it 0→1 fires their case, be it another thread completing a shared waiter
// (waitq.ts dequeue) or a local partner (the SelectWaiter's claim()). The
// selecting thread then withdraws the other cases: local ones at once,
// shared waiters under each channel's lock (Go: selectgo's pass 3).

import type { G } from "../g.ts";
import { ready } from "../sched.ts";
import { SelectSudog, type SelectWaiter, SudogKind } from "../sudog.ts";
import { alloc, free } from "./alloc.ts";
import { type SharedChan, wakeCompleted } from "./chan.ts";
import { shared } from "./heap.ts";
import { dropToken, newToken } from "./m.ts";
import { expectWakeup } from "./proc.ts";
import { decodeValue, discardValue, encodeValue } from "./value.ts";
import { enqueue, freeWaiter, newWaiter, remove, SEL_DONE, W_OK, W_VALUE } from "./waitq.ts";

interface Entry {
  readonly ch: SharedChan<unknown>;
  readonly index: number;
  readonly send: boolean;
  readonly w: number;
  readonly token: number;
  enqueued: boolean;
}

/** The outcome of polling a shared case with the locks held. */
export const Poll = { NotReady: 0, Done: 1, Closed: 2 } as const;
export type Poll = (typeof Poll)[keyof typeof Poll];

export class SharedSelect {
  readonly #rec: number;
  readonly #entries: Entry[] = [];
  #locked: SharedChan<unknown>[] = [];
  #sel: SelectWaiter | null = null;
  #g: G | null = null;
  #finished = false;

  constructor() {
    this.#rec = alloc(2);
  }

  /** Prepares the waiter of shared case `index`; a send's value is encoded now, and may throw (then call finish()). */
  add(ch: SharedChan<unknown>, index: number, send: boolean, value: unknown): number {
    const token = newToken(() => this.#fired(entry), ch.ref, ch);
    const w = newWaiter(token, this.#rec, index);
    const entry: Entry = { ch, index, send, w, token, enqueued: false };
    this.#entries.push(entry);
    if (send) {
      shared().i32[w + W_VALUE] = 0; // an empty slot until encoded (owns nothing)
      encodeValue(w + W_VALUE, value, "a value sent on a shared channel");
    }
    return this.#entries.length - 1;
  }

  /** Locks every shared channel of the select, in block order. */
  lockAll(): void {
    const chans = [...new Set(this.#entries.map((e) => e.ch))].sort((a, b) => a.ref - b.ref);
    for (const ch of chans) ch.lock();
    this.#locked = chans;
  }

  /** Unlocks them, then wakes the partners the polls completed. */
  unlockAll(): void {
    for (const ch of this.#locked) ch.unlock();
    this.#locked = [];
    wakeCompleted();
  }

  /** Tries case `k` (from add) with the locks held: performs it if it can proceed. */
  poll(k: number): Poll {
    const e = this.#entries[k] as Entry;
    const r = e.send ? e.ch.pollSendLocked(e.w + W_VALUE) : e.ch.pollRecvLocked(e.w + W_VALUE);
    if (r === 0) return Poll.NotReady;
    if (r === -2) return Poll.Closed;
    if (e.send) shared().i32[e.w + W_VALUE] = 0; // moved away
    return Poll.Done;
  }

  /** The value a receive case `k` took in poll(). */
  received(k: number): unknown {
    const e = this.#entries[k] as Entry;
    return decodeValue(e.w + W_VALUE);
  }

  /** Enqueues every case's waiter (locks held) and makes `sel` decided by the shared done word. */
  enqueueAll(sel: SelectWaiter, g: G | null): void {
    this.#sel = sel;
    this.#g = g;
    const rec = this.#rec;
    sel.claim = () => Atomics.compareExchange(shared().i32, rec + SEL_DONE, 0, 1) === 0;
    for (const e of this.#entries) {
      enqueue(e.ch.queue(e.send), e.w);
      e.enqueued = true;
    }
    // A sender on the fast path may have buffered a value after the poll
    // (chan.ts "The ring"): the receive cases look again, the locks held.
    for (const e of this.#entries) if (!e.send) e.ch.recheckLocked();
    expectWakeup();
  }

  /** The select is over (a case fired here or locally, or it failed): frees every waiter, withdrawing queued ones. */
  finish(): void {
    this.#finish(null);
  }

  /** Another thread fired `e` (its token arrived): record the result and resume the selecting goroutine. */
  #fired(e: Entry): void {
    const sel = this.#sel as SelectWaiter;
    const ok = shared().i32[e.w + W_OK] === 1;
    const value = ok && !e.send ? decodeValue(e.w + W_VALUE) : undefined;
    e.enqueued = false; // the waker unlinked it
    if (e.send) shared().i32[e.w + W_VALUE] = 0; // delivered, or discarded by close
    sel.done = true;
    sel.index = e.index;
    sel.withdrawLocal();
    this.#finish(e);
    const sg = new SelectSudog(e.send ? SudogKind.SelectSend : SudogKind.SelectRecv, this.#g, value, sel, e.index);
    sg.ok = ok;
    ready(sg);
  }

  #finish(fired: Entry | null): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const e of this.#entries) {
      if (e.enqueued) {
        e.ch.lock();
        remove(e.ch.queue(e.send), e.w);
        e.ch.unlock();
      }
      if (e !== fired) dropToken(e.token);
      // A send that did not happen still owns its value.
      if (e.send) discardValue(e.w + W_VALUE);
      freeWaiter(e.w);
    }
    free(this.#rec);
  }
}
