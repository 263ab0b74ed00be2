// Channels: the public types and the chan() constructor (Go: make(chan T, n),
// the chan<- and <-chan direction types, len, cap, close, range).

import { describe } from "./errors.ts";
import { LocalChan } from "./internal/hchan.ts";
import { SharedChan, newSharedChan } from "./internal/mn/chan.ts";
import { ensureShared } from "./internal/mn/boot.ts";

/** The result of tryRecv(): a value, or why there was none. */
export type TryRecvResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly closed: boolean };

/** The result of recvOk(): Go's `v, ok := <-ch`. */
export type RecvOkResult<T> = [value: T, ok: true] | [value: undefined, ok: false];

/**
 * The sending side of a channel (Go: `chan<- T`). A function that only sends
 * takes a SendChan, so a receive on it is a type error.
 */
// send and trySend are function-typed properties, not methods: TypeScript
// compares method parameters bivariantly, which would let a Chan<number> pass
// as a SendChan<number | string>.
export interface SendChan<in T> {
  /**
   * Sends `value`, suspending the goroutine until a receiver takes it
   * (unbuffered) or the buffer has room.
   *
   * **Blocking:** wait reason `"chan send"`. Senders are served FIFO.
   * **Closed:** throws RuntimeError("send on closed channel"), also for a
   * sender blocked when the channel is closed (the promise rejects).
   */
  send: (value: T) => Promise<void>;
  /**
   * Sends only if that needs no waiting (Go: `select { case ch <- v: default: }`).
   * Returns whether the value was sent; throws if the channel is closed.
   */
  trySend: (value: T) => boolean;
  /**
   * Closes the channel: receivers drain the buffer, then get `undefined` with
   * ok = false; blocked senders throw. Closing twice throws
   * RuntimeError("close of closed channel").
   */
  close(): void;
  /** Values buffered now (Go: len(ch)). */
  len(): number;
  /** Buffer capacity (Go: cap(ch)). */
  cap(): number;
}

/**
 * The receiving side of a channel (Go: `<-chan T`). `for await (const v of ch)`
 * ranges over it until it is closed and drained.
 */
export interface RecvChan<out T> extends AsyncIterable<T> {
  /**
   * Receives the next value, suspending until a sender is ready or the
   * channel is closed. On a closed, drained channel resolves `undefined` at
   * once (Go's zero value); use recvOk() to tell the two apart.
   *
   * **Blocking:** wait reason `"chan receive"`. Receivers are served FIFO.
   */
  recv(): Promise<T | undefined>;
  /** Go's `v, ok := <-ch`: `[value, true]`, or `[undefined, false]` once closed and drained. */
  recvOk(): Promise<RecvOkResult<T>>;
  /** Receives only if that needs no waiting: a value, or `{ ok: false, closed }`. */
  tryRecv(): TryRecvResult<T>;
  len(): number;
  cap(): number;
}

/** A bidirectional channel (Go: `chan T`); it can be passed as either side. */
export interface Chan<in out T> extends SendChan<T>, RecvChan<T> {}

/**
 * Makes a channel with room for `capacity` buffered values (Go: `make(chan T, capacity)`).
 * 0, the default, makes an unbuffered channel: a send completes only when a
 * receiver has the value.
 *
 * @throws RangeError if capacity is negative or not an integer.
 * @example
 * ```ts
 * const ch = chan<number>(1);
 * await ch.send(42);
 * console.log(await ch.recv()); // 42
 * ```
 */
export function chan<T>(capacity = 0, options?: ChanOptions): Chan<T> {
  if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 0) {
    throw new RangeError(`chan: capacity must be a non-negative integer, received ${describe(capacity)}`);
  }
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`chan: options must be an object, received ${describe(options)}`);
  }
  if (options?.shared === true) {
    ensureShared();
    return newSharedChan<T>(capacity);
  }
  return new LocalChan<T>(capacity);
}

/** Options of chan(). */
export interface ChanOptions {
  /**
   * Make the channel in shared memory, so goroutines on every thread can use
   * it: pass it to portable goroutines (`task()`), send it on other shared
   * channels. Values sent on it are copied (structured clone); shared
   * channels and sync objects inside them travel by reference. Every rule of
   * a channel holds, across threads.
   */
  readonly shared?: boolean;
}

/** True if `value` is a gort channel. */
export function isChan(value: unknown): value is Chan<unknown> {
  return value instanceof LocalChan || value instanceof SharedChan;
}
