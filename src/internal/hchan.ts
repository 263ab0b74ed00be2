// Channels within one thread: the buffer, the two wait queues, and Go's
// send/receive/close algorithm (Go: hchan, chansend, chanrecv, closechan in
// chan.go).
//
// The algorithm is written against the operations a channel's state offers
// (poll a ready send or receive, enqueue a waiter, close). The channel in
// shared memory (mn/chan.ts) runs the same algorithm with the same polls,
// done under its lock, and select.ts drives both kinds through their polls.
//
// Invariants (Go's, from chan.go):
//   - buffer.size < cap implies sendq is empty (a sender would have used the space).
//   - buffer.size > 0 implies recvq is empty (a receiver would have taken it).
//   - recvq and sendq are both non-empty only when they hold cases of one
//     blocked select that both sends and receives on this channel.
//   - closed never goes back to false; a closed channel has an empty sendq.

import type { Chan, RecvOkResult, TryRecvResult } from "../chan.ts";
import { RuntimeError } from "../errors.ts";
import { WaitReason } from "./g.ts";
import { LOCAL_ONLY } from "./mn/localonly.ts";
import { Ring } from "./ring.ts";
import { nonBlocking, nonBlockingValue, park, parked, ready } from "./sched.ts";
import { recvResult, SudogKind, WaitQueue } from "./sudog.ts";

/** The value and ok flag of the last successful pollRecv (one thread: no allocation per receive). */
export let polledValue: unknown;
export let polledOk = false;

/** tryRecv's results without a value (shared by the shared channel, mn/chan.ts). */
export const EMPTY: TryRecvResult<never> = Object.freeze({ ok: false, closed: false });
export const CLOSED: TryRecvResult<never> = Object.freeze({ ok: false, closed: true });

export class LocalChan<T> implements Chan<T> {
  readonly capacity: number;
  readonly buffer: Ring<T> | null;
  readonly recvq = new WaitQueue();
  readonly sendq = new WaitQueue();
  closed = false;
  /** Timer channels report len and cap 0, as in Go 1.23. */
  readonly isTimer: boolean;

  constructor(capacity: number, isTimer = false) {
    this.capacity = capacity;
    this.buffer = capacity > 0 ? new Ring<T>(Math.min(capacity, 64)) : null;
    this.isTimer = isTimer;
  }

  // -- The operations select and the shared channel variant build on --

  /**
   * Receives without blocking if a value or close is available: sets
   * polledValue/polledOk and returns true; otherwise returns false.
   */
  pollRecv(): boolean {
    const sg = this.sendq.dequeue();
    if (sg !== null) {
      // A sender is waiting: the buffer is full (or absent). Take the oldest
      // value and move the sender's value into the freed slot, keeping FIFO
      // order for buffered channels (Go: recv()).
      const buffer = this.buffer;
      if (buffer === null) {
        polledValue = sg.elem;
      } else {
        polledValue = buffer.shift();
        buffer.push(sg.elem as T);
      }
      sg.elem = undefined;
      polledOk = true;
      ready(sg);
      return true;
    }
    const buffer = this.buffer;
    if (buffer !== null && buffer.size > 0) {
      polledValue = buffer.shift();
      polledOk = true;
      return true;
    }
    if (this.closed) {
      polledValue = undefined;
      polledOk = false;
      return true;
    }
    return false;
  }

  /**
   * Sends without blocking if a receiver waits or the buffer has room.
   * Throws on a closed channel (Go: panic in chansend).
   */
  pollSend(value: T): boolean {
    if (this.closed) throw new RuntimeError("send on closed channel");
    const sg = this.recvq.dequeue();
    if (sg !== null) {
      sg.elem = value;
      sg.ok = true;
      ready(sg);
      return true;
    }
    const buffer = this.buffer;
    if (buffer !== null && buffer.size < this.capacity) {
      buffer.push(value);
      return true;
    }
    return false;
  }

  /** True if a receive would not block. */
  canRecv(): boolean {
    return !this.sendq.isEmpty() || (this.buffer !== null && this.buffer.size > 0) || this.closed;
  }

  /** True if a send would not block (or would throw because the channel is closed). */
  canSend(): boolean {
    return this.closed || !this.recvq.isEmpty() || (this.buffer !== null && this.buffer.size < this.capacity);
  }

  // -- The public operations --

  send(value: T): Promise<void> {
    if (this.pollSend(value)) return nonBlocking();
    const p = park(SudogKind.Send, value, WaitReason.ChanSend);
    this.sendq.enqueue(parked);
    return p as Promise<void>;
  }

  recv(): Promise<T | undefined> {
    return this.#recv(SudogKind.Recv) as Promise<T | undefined>;
  }

  recvOk(): Promise<RecvOkResult<T>> {
    return this.#recv(SudogKind.RecvOk) as Promise<RecvOkResult<T>>;
  }

  /** The next step of `for await`: the next value, or done once closed and drained. */
  next(): Promise<IteratorResult<T, undefined>> {
    return this.#recv(SudogKind.RecvIter) as Promise<IteratorResult<T, undefined>>;
  }

  /** A receive whose result has the shape `kind` asks for (see recvResult). */
  #recv(kind: SudogKind): Promise<unknown> {
    if (this.pollRecv()) return nonBlockingValue(recvResult(kind, polledValue, polledOk));
    const p = park(kind, undefined, WaitReason.ChanReceive);
    this.recvq.enqueue(parked);
    return p;
  }

  trySend(value: T): boolean {
    return this.pollSend(value);
  }

  tryRecv(): TryRecvResult<T> {
    if (!this.pollRecv()) return EMPTY;
    return polledOk ? { ok: true, value: polledValue as T } : CLOSED;
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return this;
  }

  close(): void {
    if (this.closed) throw new RuntimeError("close of closed channel");
    this.closed = true;
    // Release every receiver with (undefined, false) and every sender with a
    // panic (Go: closechan readies all waiters).
    for (let sg = this.recvq.dequeue(); sg !== null; sg = this.recvq.dequeue()) {
      sg.elem = undefined;
      sg.ok = false;
      ready(sg);
    }
    for (let sg = this.sendq.dequeue(); sg !== null; sg = this.sendq.dequeue()) {
      sg.elem = undefined;
      sg.ok = false;
      ready(sg);
    }
  }

  len(): number {
    return this.isTimer || this.buffer === null ? 0 : this.buffer.size;
  }

  cap(): number {
    return this.isTimer ? 0 : this.capacity;
  }

  /** What to say when a local channel is passed to another thread (mn/value.ts). */
  get [LOCAL_ONLY](): string {
    return "a channel local to its thread: make it with chan(n, { shared: true }) to use it from another thread";
  }

  /** Discards a buffered value (timer channels on stop/reset); returns whether there was one. */
  drain(): boolean {
    const buffer = this.buffer;
    if (buffer === null || buffer.size === 0) return false;
    buffer.clear();
    return true;
  }
}
