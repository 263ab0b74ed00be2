// Channels in shared memory, for goroutines on different threads: Go's
// algorithm (chansend, chanrecv, closechan in chan.go) over a shared block,
// with the same operations as hchan.ts's LocalChan so that select and the
// public API treat both alike. Values are copied (value.ts); shared objects
// inside them travel by reference.
//
// Layout: see the F_ constants below (state, recvq and sendq as lists of
// waiters, waitq.ts; the buffer as a ring of cells, "The ring").
//
// A value is encoded into this thread's scratch slot before anything else
// (encoding can fail, and allocates), then moved, word for word, to where it
// goes: a waiting receiver, a buffer cell, or the sender's own waiter. Go's
// invariants (hchan.ts header) hold under the lock, with one exception the
// ring allows: for an instant, a value buffered by a sender on the fast path
// and a receiver enqueued (Dekker's re-check settles it).

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
import { dropToken, inboxReady, newToken, post } from "./m.ts";
import { adopt, allocShared, defineKind, OBJ_FIELDS, ObjKind, SHARED_REF } from "./object.ts";
import { expectWakeup, handOutPending, mayWaitInPlace, payOverdueWake } from "./proc.ts";
import { decodeValue, discardValue, encodeValue } from "./value.ts";
import { VALUE_WORDS } from "./layout.ts";
import { dequeue, enqueue, freeQueue, freeWaiter, newWaiter, W_M, W_OK, W_TOKEN, W_VALUE } from "./waitq.ts";

// The channel's words start at its base: the first cache-line boundary
// (16 words) after the object header (chanBase), so that each group below
// has its own line(s).
// Line 0: words read on every operation, written only when waiters come and
// go or the channel closes (under the lock).
const F_CLOSED = 0;
const F_CAP = 1;
export const F_RECVQ = 2;
export const F_SENDQ = 4;
/** Ring positions count modulo F_MOD, a multiple of the capacity below 2^30. */
const F_MOD = 6;
// Line 1: the lock and the receive position (receivers hold the lock).
const F_LOCK = 16;
const F_RECVPOS = 17;
// Line 2: the send position (senders claim cells by CAS, without the lock).
const F_SENDPOS = 32;
// Then the ring's cells, two to a line: a sequence word, and a value slot at +4.
const F_CELLS = 48;
const CELL = 8;
const CELL_SLOT = 4;
const LINE = 16;

/** The base of channel `ref`'s words (see above). */
function chanBase(ref: number): number {
  return (ref + OBJ_FIELDS + LINE - 1) & ~(LINE - 1);
}
/** A cell's slot tag for "no value" (a cell claimed for a sender that had gone): receivers skip it. */
const TOMBSTONE = -1;

/** Largest capacity of a shared channel (its buffer is allocated up front). */
const MAX_SHARED_CAP = 1 << 20;

let scratchSlot = 0;
/** This thread's slot for a value being sent (encoded before the channel is locked). */
function scratch(): number {
  if (scratchSlot === 0) scratchSlot = alloc(VALUE_WORDS);
  return scratchSlot;
}

/** Moves the value slot at `from` to `to` (ownership moves with it). */
function moveSlot(from: number, to: number): void {
  const { i32 } = shared();
  i32[to] = i32[from] as number;
  i32[to + 1] = i32[from + 1] as number;
  i32[to + 2] = i32[from + 2] as number;
  i32[to + 3] = i32[from + 3] as number;
}


// -- The ring (buffered channels) --
//
// The buffer is a bounded queue after Vyukov: each cell has a sequence word
// that says whose turn it is: 2·p when the cell is free for the value at
// position p, 2·p + 1 once that value is in (doubled so that a capacity of
// 1 works too). A sender claims the cell at the send position by CAS on
// that position, moves its value in and publishes it; the receiver takes
// the value at the receive position and frees the cell for the sender one
// lap later (2·(p + cap)). Positions count modulo F_MOD.
//
// Senders use the ring without the lock while no goroutine waits on the
// channel and it is open (the fast path: a stream between threads then
// shares no lock word). Receivers always hold the lock, so there is one
// receiver at a time and a value seen at the head under the lock stays
// there. Wait queues change only under the lock, as before.
//
// The race between a sender on the fast path and a receiver about to park
// (Dekker's): the receiver enqueues itself and then looks at the ring again;
// the sender publishes its value and then looks at the receive queue again.
// Atomics are sequentially consistent, so at least one of them sees the
// other, and whoever does hands the value over under the lock (deliver()).
//
// A sender racing close() on the fast path may have its value buffered just
// after close() woke the waiting receivers: the value stays receivable, as
// if sent just before the close (a send concurrent with close is a race in
// Go too, where it may panic).

function nextPos(pos: number, mod: number): number {
  return pos + 1 === mod ? 0 : pos + 1;
}

/** a − b for positions modulo `mod` that are less than half of it apart. */
function posDiff(a: number, b: number, mod: number): number {
  let d = a - b;
  if (d > mod / 2) d -= mod;
  else if (d < -mod / 2) d += mod;
  return d;
}

function cellAt(b: number, cap: number, pos: number): number {
  return b + F_CELLS + (pos % cap) * CELL;
}

/** Claims the cell at the send position (any thread, no lock); returns it, unpublished, or 0 if the ring is full. */
function claimCell(i32: Int32Array, b: number): number {
  const cap = i32[b + F_CAP] as number;
  const mod = i32[b + F_MOD] as number;
  let pos = Atomics.load(i32, b + F_SENDPOS);
  for (;;) {
    const c = cellAt(b, cap, pos);
    const d = posDiff(Atomics.load(i32, c), 2 * pos, 2 * mod);
    if (d === 0) {
      const got = Atomics.compareExchange(i32, b + F_SENDPOS, pos, nextPos(pos, mod));
      if (got === pos) return c;
      pos = got;
    } else if (d < 0) {
      return 0;
    } else {
      pos = Atomics.load(i32, b + F_SENDPOS);
    }
  }
}

/** Publishes claimed cell `c` (its slot written): its sequence word goes from 2·pos to 2·pos + 1. */
function publishCell(i32: Int32Array, c: number): void {
  Atomics.store(i32, c, (i32[c] as number) + 1);
}

/** Buffers the value in slot `from` (moved); false if the ring is full. Any thread. */
function pushRing(i32: Int32Array, b: number, from: number): boolean {
  const c = claimCell(i32, b);
  if (c === 0) return false;
  moveSlot(from, c + CELL_SLOT);
  publishCell(i32, c);
  return true;
}

/**
 * Whether a value is published at the head, dropping tombstones on the way.
 * Lock held: no other receiver moves the head meanwhile.
 */
function headReady(i32: Int32Array, b: number): boolean {
  const cap = i32[b + F_CAP] as number;
  const mod = i32[b + F_MOD] as number;
  for (;;) {
    const pos = i32[b + F_RECVPOS] as number;
    const c = cellAt(b, cap, pos);
    if (Atomics.load(i32, c) !== 2 * pos + 1) return false;
    if (i32[c + CELL_SLOT] !== TOMBSTONE) return true;
    Atomics.store(i32, b + F_RECVPOS, nextPos(pos, mod));
    Atomics.store(i32, c, 2 * ((pos + cap) % mod));
  }
}

/** Takes the head value into slot `out`; false if there is none. Lock held. */
function popRing(i32: Int32Array, b: number, out: number): boolean {
  if (!headReady(i32, b)) return false;
  const cap = i32[b + F_CAP] as number;
  const mod = i32[b + F_MOD] as number;
  const pos = i32[b + F_RECVPOS] as number;
  const c = cellAt(b, cap, pos);
  moveSlot(c + CELL_SLOT, out);
  Atomics.store(i32, b + F_RECVPOS, nextPos(pos, mod));
  Atomics.store(i32, c, 2 * ((pos + cap) % mod));
  return true;
}

/** Waiters completed under a lock, to wake once it is released (wakeCompleted). This thread's. */
const completed: number[] = [];

/** Posts the tokens of the waiters completed so far (call after unlocking). */
export function wakeCompleted(): void {
  const n = completed.length;
  if (n === 0) return;
  for (let i = 0; i < n; i++) wakeWaiter(completed[i] as number);
  completed.length = 0;
}

/**
 * Gives buffered values to waiting receivers, oldest first (Dekker's
 * re-check above, and close()). Lock held.
 */
function deliver(i32: Int32Array, b: number): void {
  while (i32[b + F_RECVQ] !== 0 && headReady(i32, b)) {
    const w = dequeue(b + F_RECVQ);
    if (w === 0) return;
    popRing(i32, b, w + W_VALUE);
    i32[w + W_OK] = 1;
    completed.push(w);
  }
}

/**
 * After a receive freed a cell: moves the oldest waiting sender's value into
 * the ring and completes it (Go: recv() refills from the send queue). The
 * cell is claimed before the sender is taken, since a sender on the fast path
 * may take it first; a claimed cell whose sender turned out to be gone (a
 * decided select) becomes a tombstone. Lock held.
 */
function refill(i32: Int32Array, b: number): void {
  if (i32[b + F_SENDQ] === 0) return;
  const c = claimCell(i32, b);
  if (c === 0) return;
  const w = dequeue(b + F_SENDQ);
  if (w === 0) i32[c + CELL_SLOT] = TOMBSTONE;
  else {
    moveSlot(w + W_VALUE, c + CELL_SLOT);
    i32[w + W_OK] = 1;
    completed.push(w);
  }
  publishCell(i32, c);
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
// that fails does it park. A spin that ends empty-handed makes the next
// ones on this thread skip (backing off to IN_PLACE_SKIP_MAX skips), so a
// thread whose partner is itself parked does not keep spinning.

/** The longest wait in place, in ms. */
const IN_PLACE_MS = 0.05;
const IN_PLACE_SKIP_MAX = 64;
/** Blocking operations still to skip waiting in place (back-off after a failed spin). */
let inPlaceSkip = 0;
let inPlaceBackoff = 0;

let pauseSink = 0;

/** Burns a few dozen ns without touching shared memory (JavaScript has no PAUSE instruction). */
function spinPause(): void {
  let x = pauseSink;
  for (let k = 0; k < 40; k++) x = (x * 31 + k) | 0;
  pauseSink = x;
}

/**
 * Spins until the channel at base `b` has a value at the head or a sender (wantValue) or
 * a free cell or a receiver (!wantValue), or is closed, or IN_PLACE_MS pass.
 */
function waitInPlace(b: number, wantValue: boolean): void {
  const { i32 } = shared();
  const cap = i32[b + F_CAP] as number;
  const mod = i32[b + F_MOD] as number;
  // The clock is first read after a round of looks (~100 ns a read here): a
  // partner about to answer usually has by then.
  let end = 0;
  for (;;) {
    for (let i = 0; i < 64; i++) {
      let ready: boolean;
      if (wantValue) {
        const pos = Atomics.load(i32, b + F_RECVPOS);
        ready = Atomics.load(i32, cellAt(b, cap, pos)) === 2 * pos + 1 || Atomics.load(i32, b + F_SENDQ) !== 0;
      } else {
        // A sender waits until half the buffer is free, not one cell: it
        // then refills in a burst while the receiver drains, instead of
        // the two taking turns on the cell the receiver is emptying (every
        // look at it takes that cache line from the receiver).
        const pos = (Atomics.load(i32, b + F_SENDPOS) + (cap >> 1)) % mod;
        ready = Atomics.load(i32, cellAt(b, cap, pos)) === 2 * pos || Atomics.load(i32, b + F_RECVQ) !== 0;
      }
      if (ready || Atomics.load(i32, b + F_CLOSED) === 1) {
        inPlaceBackoff = 0;
        return;
      }
      // Look less often than we could: every look takes the cache line the
      // partner is writing (here, usually, the very cell it is filling or
      // emptying) away from it. (Go's spinning uses PAUSE for the same reason.)
      spinPause();
    }
    if (inboxReady()) break;
    const now = performance.now();
    payOverdueWake(now);
    if (end === 0) end = now + IN_PLACE_MS;
    else if (now >= end) break;
  }
  inPlaceBackoff = Math.min(inPlaceBackoff * 2 + 1, IN_PLACE_SKIP_MAX);
  inPlaceSkip = inPlaceBackoff;
}

export class SharedChan<T> implements Chan<T> {
  readonly [SHARED_REF]: number;
  readonly #ref: number;
  /** Where the channel's words start (chanBase). */
  readonly #b: number;

  /** @internal Use chan(n, { shared: true }). */
  constructor(ref: number) {
    this.#ref = ref;
    this.#b = chanBase(ref);
    this[SHARED_REF] = ref;
  }

  /** @internal The channel's block. */
  get ref(): number {
    return this.#ref;
  }

  /** @internal The word of its receive (or send) queue (waitq.ts). */
  queue(send: boolean): number {
    return this.#b + (send ? F_SENDQ : F_RECVQ);
  }

  // -- The operations select builds on (hchan.ts's, under this channel's lock) --
  //
  // Waiters they complete are woken by wakeCompleted() once the lock is released.

  lock(): void {
    lock(A, shared().i32, this.#b + F_LOCK);
  }

  unlock(): void {
    unlock(A, shared().i32, this.#b + F_LOCK);
  }

  /**
   * Receives into slot `out` without blocking, the lock held: -1 if a value
   * was taken, -2 if the channel is closed and drained, 0 if it would block.
   */
  pollRecvLocked(out: number): number {
    const { i32 } = shared();
    const b = this.#b;
    if ((i32[b + F_CAP] as number) > 0) {
      if (popRing(i32, b, out)) {
        refill(i32, b);
        return -1;
      }
    }
    // Unbuffered (or, for an instant, an empty ring with a waiting sender): take the sender's value.
    const w = dequeue(b + F_SENDQ);
    if (w !== 0) {
      moveSlot(w + W_VALUE, out);
      i32[w + W_OK] = 1;
      completed.push(w);
      return -1;
    }
    if (i32[b + F_CLOSED] === 1) return -2;
    return 0;
  }

  /**
   * Sends the value in slot `from` without blocking if a receiver waits or
   * the buffer has room, the lock held: -1 if done (the value moved), -2 if
   * the channel is closed, 0 if it would block.
   */
  pollSendLocked(from: number): number {
    const { i32 } = shared();
    const b = this.#b;
    if (i32[b + F_CLOSED] === 1) return -2;
    const cap = i32[b + F_CAP] as number;
    if (cap > 0) deliver(i32, b); // buffered values first
    const w = dequeue(b + F_RECVQ);
    if (w !== 0) {
      moveSlot(from, w + W_VALUE);
      i32[w + W_OK] = 1;
      completed.push(w);
      return -1;
    }
    if (cap > 0 && pushRing(i32, b, from)) return -1;
    return 0;
  }

  /** After a receiver was enqueued, the lock held: hands it what a fast sender buffered meanwhile. */
  recheckLocked(): void {
    const { i32 } = shared();
    const b = this.#b;
    if ((i32[b + F_CAP] as number) === 0) return;
    // The enqueue wrote the queue head with plain stores: store it again as
    // a sequentially consistent write (a full fence), so that it is ordered
    // before the look at the ring below, as Dekker's re-check needs (the
    // sender's side: publishCell's store, then its load of the head).
    Atomics.store(i32, b + F_RECVQ, i32[b + F_RECVQ] as number);
    deliver(i32, b);
  }

  /**
   * The lock-free send (see "The ring"): buffers the value in slot `from` if
   * the channel is buffered, open, has room and nobody waits on it. Then
   * completes a receiver that enqueued meanwhile (Dekker's re-check).
   */
  #sendFast(from: number): boolean {
    const { i32 } = shared();
    const b = this.#b;
    if (
      (i32[b + F_CAP] as number) === 0 ||
      Atomics.load(i32, b + F_CLOSED) === 1 ||
      Atomics.load(i32, b + F_RECVQ) !== 0 ||
      Atomics.load(i32, b + F_SENDQ) !== 0 ||
      !pushRing(i32, b, from)
    ) {
      return false;
    }
    if (Atomics.load(i32, b + F_RECVQ) !== 0) {
      this.lock();
      deliver(i32, b);
      this.unlock();
      wakeCompleted();
    }
    return true;
  }

  /**
   * Encodes `value` and offers it: true if it went (a receiver woken, or
   * buffered); false if it would block, the value in `from`. Throws if the
   * channel is closed.
   */
  #offer(value: T, from: number): boolean {
    encodeValue(from, value, "a value sent on a shared channel");
    if (this.#sendFast(from)) return true;
    this.lock();
    let done = this.pollSendLocked(from);
    if (done === 0 && this.#waitedInPlace(false)) done = this.pollSendLocked(from);
    this.unlock();
    wakeCompleted(); // receivers the poll served, even if this send waits
    if (done === 0) return false;
    if (done === -2) {
      discardValue(from);
      throw new RuntimeError("send on closed channel");
    }
    return true;
  }

  // -- The public operations --

  send(value: T): Promise<void> {
    handOutPending();
    const from = scratch();
    if (this.#offer(value, from)) return nonBlocking();
    // It would block. What parking needs is made with the lock released (it
    // allocates, and a garbage collection then must not hold up the threads
    // waiting for this lock), then the channel is polled again.
    const p = park(SudogKind.Send, undefined, WaitReason.ChanSend);
    const sg = parked;
    const token = newToken(() => sendDone(sg, waiter), this.#ref, this);
    const waiter = newWaiter(token);
    moveSlot(from, waiter + W_VALUE);
    this.lock();
    const done = this.pollSendLocked(waiter + W_VALUE);
    if (done !== 0) {
      // It went meanwhile (or the channel closed): no parking after all.
      this.unlock();
      wakeCompleted();
      if (done === -2) discardValue(waiter + W_VALUE);
      dropToken(token);
      freeWaiter(waiter);
      sg.ok = done === -1;
      ready(sg);
      return p as Promise<void>;
    }
    enqueue(this.#b + F_SENDQ, waiter);
    this.unlock();
    wakeCompleted();
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
    handOutPending();
    const out = scratch();
    this.lock();
    let got = this.pollRecvLocked(out);
    if (got === 0 && this.#waitedInPlace(true)) got = this.pollRecvLocked(out);
    if (got !== 0) {
      this.unlock();
      wakeCompleted();
      return nonBlockingValue(recvResult(kind, got === -2 ? undefined : decodeValue(out), got !== -2));
    }
    // As in send(): made with the lock released, then polled again.
    this.unlock();
    const p = park(kind, undefined, WaitReason.ChanReceive);
    const sg = parked;
    const token = newToken(() => recvDone(sg, waiter), this.#ref, this);
    const waiter = newWaiter(token);
    this.lock();
    got = this.pollRecvLocked(out);
    if (got !== 0) {
      this.unlock();
      wakeCompleted();
      dropToken(token);
      freeWaiter(waiter);
      sg.elem = got === -2 ? undefined : decodeValue(out);
      sg.ok = got !== -2;
      ready(sg);
      return p;
    }
    enqueue(this.#b + F_RECVQ, waiter);
    this.recheckLocked();
    this.unlock();
    wakeCompleted();
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
    const b = this.#b;
    if ((shared().i32[b + F_CAP] as number) === 0) return false;
    if (inPlaceSkip > 0) {
      inPlaceSkip--;
      return false;
    }
    if (!mayWaitInPlace()) return false;
    this.unlock();
    wakeCompleted(); // a poll that would block may still have served others (a send's deliver())
    waitInPlace(b, wantValue);
    // Whether or not the wait saw a change, the channel may have changed
    // while unlocked: the caller polls again (nobody parks on a stale look).
    this.lock();
    return true;
  }

  trySend(value: T): boolean {
    const from = scratch();
    encodeValue(from, value, "a value sent on a shared channel");
    if (this.#sendFast(from)) return true;
    this.lock();
    const done = this.pollSendLocked(from);
    this.unlock();
    wakeCompleted();
    if (done === -2) {
      discardValue(from);
      throw new RuntimeError("send on closed channel");
    }
    if (done === 0) discardValue(from);
    return done !== 0;
  }

  tryRecv(): TryRecvResult<T> {
    const out = scratch();
    this.lock();
    const got = this.pollRecvLocked(out);
    this.unlock();
    wakeCompleted();
    if (got === 0) return EMPTY;
    return got === -2 ? CLOSED : { ok: true, value: decodeValue(out) as T };
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return this;
  }

  close(): void {
    const { i32 } = shared();
    const b = this.#b;
    this.lock();
    if (i32[b + F_CLOSED] === 1) {
      this.unlock();
      throw new RuntimeError("close of closed channel");
    }
    Atomics.store(i32, b + F_CLOSED, 1);
    // Go: closechan releases every receiver with (zero, false) and every
    // sender with a panic; values already buffered go to receivers first.
    this.recheckLocked();
    for (let w = dequeue(b + F_RECVQ); w !== 0; w = dequeue(b + F_RECVQ)) {
      i32[w + W_OK] = 0;
      completed.push(w);
    }
    for (let w = dequeue(b + F_SENDQ); w !== 0; w = dequeue(b + F_SENDQ)) {
      discardValue(w + W_VALUE);
      i32[w + W_OK] = 0;
      completed.push(w);
    }
    this.unlock();
    wakeCompleted();
  }

  len(): number {
    const { i32 } = shared();
    const b = this.#b;
    const cap = i32[b + F_CAP] as number;
    if (cap === 0) return 0;
    const n = posDiff(Atomics.load(i32, b + F_SENDPOS), Atomics.load(i32, b + F_RECVPOS), i32[b + F_MOD] as number);
    return n < 0 ? 0 : n > cap ? cap : n;
  }

  cap(): number {
    return shared().i32[this.#b + F_CAP] as number;
  }
}

/** Posts the token of waiter `w` to its thread (after the channel is unlocked). */
function wakeWaiter(w: number): void {
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
  // LINE words more than the channel needs: its base is rounded up to a line.
  const ref = allocShared(ObjKind.Chan, LINE + F_CELLS + capacity * CELL);
  const { i32 } = shared();
  const b = chanBase(ref);
  i32[b + F_CAP] = capacity;
  if (capacity > 0) {
    i32[b + F_MOD] = capacity * Math.floor(2 ** 30 / capacity);
    // Every cell free for the first lap: cell i for position i (sequence 2·i).
    for (let i = 0; i < capacity; i++) i32[b + F_CELLS + i * CELL] = 2 * i;
  }
  return adopt(new SharedChan<T>(ref), ref);
}

defineKind(ObjKind.Chan, {
  wrap: (ref) => new SharedChan(ref),
  destroy: (ref) => {
    const { i32 } = shared();
    const b = chanBase(ref);
    freeQueue(b + F_RECVQ, false);
    freeQueue(b + F_SENDQ, true); // a sender's value is never received
    // Values still buffered are never received: free what they own.
    if ((i32[b + F_CAP] as number) === 0) return;
    const slot = scratch();
    while (popRing(i32, b, slot)) discardValue(slot);
  },
});
