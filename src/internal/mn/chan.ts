// Channels in shared memory, for goroutines on different threads: Go's
// algorithm (chansend, chanrecv, closechan in chan.go) over a shared block,
// with the same operations as hchan.ts's LocalChan so that select and the
// public API treat both alike. Values are copied (value.ts); shared objects
// inside them travel by reference.
//
// Layout after the object header (object.ts), under F_LOCK:
//   F_CLOSED, F_QCOUNT, F_CAP, F_SENDX, F_RECVX, recvq and sendq (head, tail
//   of waiters, waitq.ts), then F_CAP value slots (the ring buffer).
//
// A value is encoded into this thread's scratch slot before the lock is
// taken (encoding can fail, and allocates), then moved, word for word, to
// where it goes: a waiting receiver, the buffer, or the sender's own waiter.
// Go's invariants (hchan.ts header) hold under the lock.

import type { Chan, RecvOkResult, TryRecvResult } from "../../chan.ts";
import { RuntimeError } from "../../errors.ts";
import { WaitReason } from "../g.ts";
import { nonBlocking, nonBlockingValue, park, parked, ready } from "../sched.ts";
import { realAtomics as A } from "../shm/atomics.ts";
import { lock, unlock } from "../shm/lock.ts";
import { recvResult, type Sudog, SudogKind } from "../sudog.ts";
import { CLOSED, EMPTY } from "../hchan.ts";
import { alloc } from "./alloc.ts";
import { shared } from "./heap.ts";
import { inboxReady, newToken, post } from "./m.ts";
import { adopt, allocShared, defineKind, OBJ_FIELDS, ObjKind, SHARED_REF } from "./object.ts";
import { expectWakeup, mayWaitInPlace } from "./proc.ts";
import { decodeValue, discardValue, encodeValue } from "./value.ts";
import { dequeue, enqueue, freeWaiter, newWaiter, W_M, W_OK, W_TOKEN, W_VALUE } from "./waitq.ts";

const F_LOCK = OBJ_FIELDS + 0;
const F_CLOSED = OBJ_FIELDS + 1;
const F_QCOUNT = OBJ_FIELDS + 2;
const F_CAP = OBJ_FIELDS + 3;
const F_SENDX = OBJ_FIELDS + 4;
const F_RECVX = OBJ_FIELDS + 5;
export const F_RECVQ = OBJ_FIELDS + 6;
export const F_SENDQ = OBJ_FIELDS + 8;
/** First value slot: OBJ_FIELDS + 12 keeps slots 8-byte aligned (blocks start at word ≡ 2 mod 4). */
const F_BUF = OBJ_FIELDS + 12;
const SLOT = 4;

/** Largest capacity of a shared channel (its buffer is allocated up front). */
export const MAX_SHARED_CAP = 1 << 20;

let scratchSlot = 0;
/** This thread's slot for a value being sent (encoded before the channel is locked). */
export function scratch(): number {
  if (scratchSlot === 0) scratchSlot = alloc(SLOT);
  return scratchSlot;
}

/** Moves the value slot at `from` to `to` (ownership moves with it). */
export function moveSlot(from: number, to: number): void {
  const { i32 } = shared();
  i32[to] = i32[from] as number;
  i32[to + 1] = i32[from + 1] as number;
  i32[to + 2] = i32[from + 2] as number;
  i32[to + 3] = i32[from + 3] as number;
}


// -- Waiting in place --
//
// A blocking operation on a buffered shared channel whose partner runs on
// another thread usually waits a few hundred ns: far less than parking the
// goroutine and being woken through the inbox (a token, a promise, a turn of
// the scheduler; 60–100 µs if the thread parks). So when nothing else on
// this thread could run (proc.ts mayWaitInPlace), a sender facing a full
// buffer, or a receiver facing an empty one, first watches the channel's
// words for up to IN_PLACE_MS, then takes the lock and tries again; only if
// that fails does it park. Senders never overtake parked ones: while a
// sender is parked the buffer stays full (a receiver refills it from the
// sender queue, Go's recv()). A spin that ends empty-handed makes the next
// ones on this thread skip (backing off to IN_PLACE_SKIP_MAX skips), so a
// thread whose partner is itself parked does not keep spinning.

/** The longest wait in place, in ms. */
const IN_PLACE_MS = 0.05;
const IN_PLACE_SKIP_MAX = 64;
/** Blocking operations still to skip waiting in place (back-off after a failed spin). */
let inPlaceSkip = 0;
let inPlaceBackoff = 0;


/**
 * Spins until channel `r` has a value or a sender (wantValue) or room or a
 * receiver (!wantValue), or is closed, or IN_PLACE_MS pass.
 */
function waitInPlace(r: number, wantValue: boolean): void {
  const { i32 } = shared();
  const cap = i32[r + F_CAP] as number;
  const end = performance.now() + IN_PLACE_MS;
  for (;;) {
    for (let i = 0; i < 64; i++) {
      const q = Atomics.load(i32, r + F_QCOUNT);
      if (wantValue ? q > 0 || Atomics.load(i32, r + F_SENDQ) !== 0 : q < cap || Atomics.load(i32, r + F_RECVQ) !== 0) {
        inPlaceBackoff = 0;
        return;
      }
      if (Atomics.load(i32, r + F_CLOSED) === 1) return;
    }
    if (inboxReady() || performance.now() >= end) break;
  }
  inPlaceBackoff = Math.min(inPlaceBackoff * 2 + 1, IN_PLACE_SKIP_MAX);
  inPlaceSkip = inPlaceBackoff;
}

export class SharedChan<T> implements Chan<T> {
  readonly [SHARED_REF]: number;
  readonly #ref: number;

  /** @internal Use chan(n, { shared: true }). */
  constructor(ref: number) {
    this.#ref = ref;
    this[SHARED_REF] = ref;
  }

  /** @internal The channel's block. */
  get ref(): number {
    return this.#ref;
  }

  // -- The operations select builds on (hchan.ts's, under this channel's lock) --

  lock(): void {
    lock(A, shared().i32, this.#ref + F_LOCK);
  }

  unlock(): void {
    unlock(A, shared().i32, this.#ref + F_LOCK);
  }

  /**
   * Receives into slot `out` without blocking, the lock held: returns the
   * sender's waiter (to wake after unlocking) or -1 if a value was taken,
   * -2 if the channel is closed and drained, 0 if it would block.
   */
  pollRecvLocked(out: number): number {
    const { i32 } = shared();
    const r = this.#ref;
    const w = dequeue(r + F_SENDQ);
    if (w !== 0) {
      const cap = i32[r + F_CAP] as number;
      if (cap === 0) moveSlot(w + W_VALUE, out);
      else {
        // Buffer full: take the oldest, put the sender's value in its place (Go: recv()).
        const x = i32[r + F_RECVX] as number;
        const at = r + F_BUF + x * SLOT;
        moveSlot(at, out);
        moveSlot(w + W_VALUE, at);
        const nx = x + 1 === cap ? 0 : x + 1;
        i32[r + F_RECVX] = nx;
        i32[r + F_SENDX] = nx;
      }
      i32[w + W_OK] = 1;
      return w;
    }
    const q = i32[r + F_QCOUNT] as number;
    if (q > 0) {
      const cap = i32[r + F_CAP] as number;
      const x = i32[r + F_RECVX] as number;
      moveSlot(r + F_BUF + x * SLOT, out);
      i32[r + F_RECVX] = x + 1 === cap ? 0 : x + 1;
      Atomics.store(i32, r + F_QCOUNT, q - 1);
      return -1;
    }
    if (i32[r + F_CLOSED] === 1) return -2;
    return 0;
  }

  /**
   * Sends the value in slot `from` without blocking if a receiver waits or
   * the buffer has room, the lock held. Returns the receiver's waiter (to
   * post after unlocking), -1 if buffered, -2 if the channel is closed, 0 if it would block.
   */
  pollSendLocked(from: number): number {
    const { i32 } = shared();
    const r = this.#ref;
    if (i32[r + F_CLOSED] === 1) return -2;
    const w = dequeue(r + F_RECVQ);
    if (w !== 0) {
      moveSlot(from, w + W_VALUE);
      i32[w + W_OK] = 1;
      return w;
    }
    const q = i32[r + F_QCOUNT] as number;
    const cap = i32[r + F_CAP] as number;
    if (q < cap) {
      const x = i32[r + F_SENDX] as number;
      moveSlot(from, r + F_BUF + x * SLOT);
      i32[r + F_SENDX] = x + 1 === cap ? 0 : x + 1;
      Atomics.store(i32, r + F_QCOUNT, q + 1);
      return -1;
    }
    return 0;
  }

  /**
   * Encodes `value` and offers it with the lock held: returns the
   * receiver's waiter or -1 (done: unlocked, the receiver woken), or 0 (it
   * would block: still locked, the value in `from`). Throws if closed.
   */
  #offer(value: T, from: number): number {
    encodeValue(from, value, "a value sent on a shared channel");
    this.lock();
    const w = this.pollSendLocked(from);
    if (w === 0) return 0;
    this.unlock();
    if (w === -2) {
      discardValue(from);
      throw new RuntimeError("send on closed channel");
    }
    if (w > 0) wakeWaiter(w);
    return w;
  }

  // -- The public operations --

  send(value: T): Promise<void> {
    const from = scratch();
    if (this.#offer(value, from) !== 0) return nonBlocking();
    if (this.#waitedInPlace(false)) {
      // The lock is held again; the value is still in `from`.
      const w = this.pollSendLocked(from);
      if (w !== 0) {
        this.unlock();
        if (w === -2) {
          discardValue(from);
          throw new RuntimeError("send on closed channel");
        }
        if (w > 0) wakeWaiter(w);
        return nonBlocking();
      }
    }
    const p = park(SudogKind.Send, undefined, WaitReason.ChanSend);
    const sg = parked;
    const waiter = newWaiter(newToken(() => sendDone(sg, waiter)));
    moveSlot(from, waiter + W_VALUE);
    enqueue(this.#ref + F_SENDQ, waiter);
    this.unlock();
    expectWakeup();
    return p as Promise<void>;
  }

  recv(): Promise<T | undefined> {
    return this.#recv(SudogKind.Recv) as Promise<T | undefined>;
  }

  recvOk(): Promise<RecvOkResult<T>> {
    return this.#recv(SudogKind.RecvOk) as Promise<RecvOkResult<T>>;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    return this.#recv(SudogKind.RecvIter) as Promise<IteratorResult<T, undefined>>;
  }

  #recv(kind: SudogKind): Promise<unknown> {
    const out = scratch();
    this.lock();
    let w = this.pollRecvLocked(out);
    if (w === 0 && this.#waitedInPlace(true)) w = this.pollRecvLocked(out);
    if (w !== 0) {
      this.unlock();
      if (w > 0) wakeWaiter(w);
      return nonBlockingValue(recvResult(kind, w === -2 ? undefined : decodeValue(out), w !== -2));
    }
    const p = park(kind, undefined, WaitReason.ChanReceive);
    const sg = parked;
    const waiter = newWaiter(newToken(() => recvDone(sg, waiter)));
    enqueue(this.#ref + F_RECVQ, waiter);
    this.unlock();
    expectWakeup();
    return p;
  }

  /**
   * Called with the lock held by an operation that would block: on a
   * buffered channel, unlocks, waits in place (see waitInPlace), locks again
   * and returns true (the caller must poll again). Returns false, the lock
   * held throughout, if it does not wait.
   */
  #waitedInPlace(wantValue: boolean): boolean {
    const r = this.#ref;
    if ((shared().i32[r + F_CAP] as number) === 0) return false;
    if (inPlaceSkip > 0) {
      inPlaceSkip--;
      return false;
    }
    if (!mayWaitInPlace()) return false;
    this.unlock();
    waitInPlace(r, wantValue);
    // Whether or not the wait saw a change, the channel may have changed
    // while unlocked: the caller polls again (Go's invariants — a parked
    // sender means a full buffer, a parked receiver an empty one — hold only
    // if nobody parks on a stale look).
    this.lock();
    return true;
  }

  trySend(value: T): boolean {
    const from = scratch();
    if (this.#offer(value, from) !== 0) return true;
    this.unlock();
    discardValue(from);
    return false;
  }

  tryRecv(): TryRecvResult<T> {
    const out = scratch();
    this.lock();
    const w = this.pollRecvLocked(out);
    this.unlock();
    if (w === 0) return EMPTY;
    if (w > 0) wakeWaiter(w);
    return w === -2 ? CLOSED : { ok: true, value: decodeValue(out) as T };
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return this;
  }

  close(): void {
    const { i32 } = shared();
    const r = this.#ref;
    const woken: number[] = [];
    this.lock();
    if (i32[r + F_CLOSED] === 1) {
      this.unlock();
      throw new RuntimeError("close of closed channel");
    }
    Atomics.store(i32, r + F_CLOSED, 1);
    // Go: closechan releases every receiver with (zero, false) and every sender with a panic.
    for (let w = dequeue(r + F_RECVQ); w !== 0; w = dequeue(r + F_RECVQ)) {
      i32[w + W_OK] = 0;
      woken.push(w);
    }
    for (let w = dequeue(r + F_SENDQ); w !== 0; w = dequeue(r + F_SENDQ)) {
      discardValue(w + W_VALUE);
      i32[w + W_OK] = 0;
      woken.push(w);
    }
    this.unlock();
    for (const w of woken) wakeWaiter(w);
  }

  len(): number {
    return Atomics.load(shared().i32, this.#ref + F_QCOUNT);
  }

  cap(): number {
    return shared().i32[this.#ref + F_CAP] as number;
  }
}

/** Posts the token of waiter `w` to its thread (after the channel is unlocked). */
export function wakeWaiter(w: number): void {
  const { i32 } = shared();
  post(i32[w + W_M] as number, i32[w + W_TOKEN] as number);
}

function sendDone(sg: Sudog, w: number): void {
  sg.ok = shared().i32[w + W_OK] === 1;
  freeWaiter(w);
  ready(sg);
}

function recvDone(sg: Sudog, w: number): void {
  const ok = shared().i32[w + W_OK] === 1;
  sg.elem = ok ? decodeValue(w + W_VALUE) : undefined;
  sg.ok = ok;
  freeWaiter(w);
  ready(sg);
}

/** Makes a shared channel with room for `capacity` values. */
export function newSharedChan<T>(capacity: number): SharedChan<T> {
  if (capacity > MAX_SHARED_CAP) {
    throw new RangeError(`chan: a shared channel's capacity is at most ${MAX_SHARED_CAP}, received ${capacity}`);
  }
  const ref = allocShared(ObjKind.Chan, F_BUF - OBJ_FIELDS + capacity * SLOT);
  shared().i32[ref + F_CAP] = capacity;
  return adopt(new SharedChan<T>(ref), ref);
}

defineKind(ObjKind.Chan, {
  wrap: (ref) => new SharedChan(ref),
  destroy: (ref) => {
    // Values still buffered are never received: free what they own.
    const { i32 } = shared();
    const cap = i32[ref + F_CAP] as number;
    let x = i32[ref + F_RECVX] as number;
    for (let n = i32[ref + F_QCOUNT] as number; n > 0; n--) {
      discardValue(ref + F_BUF + x * SLOT);
      x = x + 1 === cap ? 0 : x + 1;
    }
  },
});
