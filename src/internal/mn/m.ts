// This thread as an M: its index, its inbox of wake-ups from other threads,
// and its park word (docs/design/mn.md "Spinning, then parking").
//
// A goroutine of this thread that blocks on a shared object leaves, in
// shared memory, a waiter naming this M and a token; the thread that
// releases it posts the token to this M's inbox and, if this M is parked,
// notifies its park word. The M drains its inbox whenever it looks for work
// and when its park word wakes it, and calls each token's callback, which
// readies the goroutine in this thread's scheduler.
//
// Inbox: a ring of INBOX_SLOTS words, 0 = empty. A producer reserves an
// index with Atomics.add on the tail, then CASes its token into the slot
// (spinning while the slot is still full: the ring has wrapped). The
// consumer takes slots in order from head while they are non-zero.
//
// Park: the M stores 1 in M_PARK, checks once more for work and wake-ups,
// then waits with Atomics.waitAsync, which keeps its event loop (timers,
// I/O) running. A waker that CASes M_PARK 1→0 notifies; after a store of 1
// every producer's slot write is either seen by that last check or followed
// by the waker's CAS (sequentially consistent atomics).

import { trackingLeaks } from "../leak.ts";
import { microtask } from "../sched.ts";
import { shared } from "./heap.ts";
import { INBOX_SLOTS, M_INBOX, M_INBOX_HEAD, M_INBOX_TAIL, M_PARK, mBase } from "./layout.ts";

/** This thread's M index: 0 is the main thread. */
export let selfM = 0;
let base = mBase(0);

export function setSelfM(m: number): void {
  selfM = m;
  base = mBase(m);
}

// -- Tokens: what a posted wake-up means in this thread --

type OnWake = () => void;
/**
 * Service tokens: understood by every thread, posted any number of times,
 * never freed. COLLECT_TOKEN: collect garbage now (shared memory is running
 * low: object.ts). ASK_TOKEN: answer the question in the M record (ask.ts).
 * TRACE_TOKEN: a trace began or ended (tracing.ts).
 */
export const COLLECT_TOKEN = 1;
export const ASK_TOKEN = 2;
export const TRACE_TOKEN = 3;
type ServiceToken = typeof COLLECT_TOKEN | typeof ASK_TOKEN | typeof TRACE_TOKEN;
const SERVICE_TOKENS = 4;
const services: OnWake[] = [() => {}, () => {}, () => {}, () => {}];

/** Sets what service token `t` runs in this thread. */
export function setService(t: ServiceToken, fn: OnWake): void {
  services[t] = fn;
}

const onWake: (OnWake | null)[] = [null, null, null, null]; // 0 marks an empty inbox slot; then the service tokens
/** The shared object whose wait queue each token's waiter is in (its block; a select has a token per case), or 0 if none: leak detection. */
const tokenObj: number[] = [0, 0, 0, 0];
/**
 * While leaks are tracked, for each token awaited on one object: a weak
 * reference to its callback, and one to the object's wrapper in this
 * thread, made with the token (a WeakRef, and a deref, keep their target
 * alive until the job ends: made or read by the collection itself, they
 * would hold it through). `pinned` keeps each wrapper's awaited callbacks
 * alive as long as the wrapper is (a WeakMap entry).
 */
const tokenWeak: (WeakRef<OnWake> | null)[] = [null, null, null, null];
const tokenPin: (WeakRef<object> | null)[] = [null, null, null, null];
const pinned = new WeakMap<object, Set<OnWake>>();

/**
 * Token `t` is done with (its callback `fn` runs, or is dropped, or was
 * collected: null): it stops being awaited, loses its pin, and can be reused.
 */
function retireToken(t: number, fn: OnWake | null): void {
  onWake[t] = null;
  const pin = tokenPin[t];
  if (pin !== null && pin !== undefined) {
    // (tokenWeak is set with tokenPin, and only then.)
    tokenPin[t] = null;
    tokenWeak[t] = null;
    const wrapper = pin.deref();
    if (wrapper !== undefined && fn !== null) pinned.get(wrapper)?.delete(fn);
  }
  freeTokens.push(t);
  awaited--;
}
const freeTokens: number[] = [];
/** Tokens handed out and not yet posted back (remote wake-ups this thread waits for). */
let awaited = 0;

/**
 * A token that, posted to this M, runs `fn` once in this thread; `obj`: the
 * shared object whose wait queue its waiter joins, if one, and `wrapper`
 * this thread's wrapper of it (leak detection).
 */
export function newToken(fn: OnWake, obj = 0, wrapper: object | null = null): number {
  awaited++;
  let weak: WeakRef<OnWake> | null = null;
  let pin: WeakRef<object> | null = null;
  if (obj !== 0 && wrapper !== null && trackingLeaks()) {
    weak = new WeakRef(fn);
    pin = new WeakRef(wrapper);
    const held = pinned.get(wrapper);
    if (held === undefined) pinned.set(wrapper, new Set([fn]));
    else held.add(fn);
  }
  const t = freeTokens.pop();
  if (t !== undefined) {
    onWake[t] = fn;
    tokenObj[t] = obj;
    tokenWeak[t] = weak;
    tokenPin[t] = pin;
    return t;
  }
  onWake.push(fn);
  tokenObj.push(obj);
  tokenWeak.push(weak);
  tokenPin.push(pin);
  return onWake.length - 1;
}

/**
 * Runs `gc` (a full garbage collection) with the wake-ups awaited on the
 * objects no other thread holds (`heldOnlyHere`) held weakly: then a
 * goroutine parked on such an object is collected, and leak.ts reports it,
 * when nothing of this thread reaches the object's wrapper either (a
 * reachable wrapper keeps its waiters' callbacks alive: `pinned`). Only
 * tokens made while leaks were tracked take part (see tokenWeak). Nothing
 * else runs in this thread during `gc`, and no other thread can post these
 * tokens (none holds their objects), so the strong references go back
 * afterwards for the wake-ups that survived; the tokens of those collected
 * are freed (their objects, unreachable, will never post them).
 */
export function collectWithWeakWaits(heldOnlyHere: (obj: number) => boolean, gc: () => void): void {
  const weak = weakenWaits(heldOnlyHere);
  try {
    gc();
  } finally {
    for (const [t, ref] of weak) {
      const fn = ref.deref();
      if (fn !== undefined) onWake[t] = fn;
      else retireToken(t, null); // its goroutine was collected, and with it the wrapper's pin
    }
  }
}

/**
 * collectWithWeakWaits's first step, in a frame of its own: a finished
 * frame's registers no longer hold the last wake-up and wrapper it looked
 * at (an interpreter frame's stale registers are roots for the collector).
 */
function weakenWaits(heldOnlyHere: (obj: number) => boolean): [number, WeakRef<OnWake>][] {
  const weak: [number, WeakRef<OnWake>][] = [];
  for (let t = SERVICE_TOKENS; t < onWake.length; t++) {
    const ref = tokenWeak[t];
    if (onWake[t] === null || ref === null || ref === undefined || !heldOnlyHere(tokenObj[t] as number)) continue;
    weak.push([t, ref]);
    onWake[t] = null;
  }
  return weak;
}

/** Forgets a token that will never be posted (its waiter was withdrawn). */
export function dropToken(t: number): void {
  const fn = onWake[t];
  if (fn !== null && fn !== undefined) retireToken(t, fn);
}

/** Remote wake-ups this thread is waiting for. */
export function awaitedWakeups(): number {
  return awaited;
}

/** Posts token `t` to thread `m`'s inbox and wakes that thread if it is parked. Any thread. */
export function post(m: number, t: number): void {
  const { i32 } = shared();
  const mb = mBase(m);
  const at = Atomics.add(i32, mb + M_INBOX_TAIL, 1);
  const slot = mb + M_INBOX + (at & (INBOX_SLOTS - 1));
  while (Atomics.compareExchange(i32, slot, 0, t) !== 0) {
    // The ring is full: the consumer frees slots as it drains.
  }
  unpark(m);
}

/** Wakes thread `m` if it is parked. */
export function unpark(m: number): boolean {
  const { i32 } = shared();
  const w = mBase(m) + M_PARK;
  if (Atomics.load(i32, w) !== 1 || Atomics.compareExchange(i32, w, 1, 0) !== 1) return false;
  Atomics.notify(i32, w, 1);
  return true;
}

/** Whether a wake-up is waiting in this thread's inbox. */
export function inboxReady(): boolean {
  const { i32 } = shared();
  const head = i32[base + M_INBOX_HEAD] as number;
  return Atomics.load(i32, base + M_INBOX + (head & (INBOX_SLOTS - 1))) !== 0;
}

/** Whether a wake-up waits in thread `m`'s inbox (any thread may look). */
export function inboxPending(m: number): boolean {
  const { i32 } = shared();
  const mb = mBase(m);
  const head = Atomics.load(i32, mb + M_INBOX_HEAD);
  return Atomics.load(i32, mb + M_INBOX + (head & (INBOX_SLOTS - 1))) !== 0 || Atomics.load(i32, mb + M_INBOX_TAIL) !== head;
}

/** Runs every wake-up posted to this thread; returns how many. */
export function drainInbox(): number {
  const { i32 } = shared();
  let head = i32[base + M_INBOX_HEAD] as number;
  let n = 0;
  for (;;) {
    const slot = base + M_INBOX + (head & (INBOX_SLOTS - 1));
    const t = Atomics.load(i32, slot);
    if (t === 0) break;
    Atomics.store(i32, slot, 0);
    head = (head + 1) | 0;
    n++;
    if (t < SERVICE_TOKENS) {
      (services[t] as OnWake)();
      continue;
    }
    const fn = onWake[t] ?? null;
    retireToken(t, fn);
    if (fn !== null) fn();
  }
  Atomics.store(i32, base + M_INBOX_HEAD, head);
  return n;
}

let waiting = false;
let resumeFn: () => void = () => {};

/** Sets what runs when this thread is unparked (its scheduler's look for work). */
export function setResume(fn: () => void): void {
  resumeFn = fn;
}

/**
 * Parks this thread until another thread unparks it, unless `ready()` is
 * true at the last check; then the resume function runs from the event loop.
 * The event loop keeps running meanwhile. At most one Atomics.waitAsync is
 * outstanding: parking again while one is pending only re-arms the word.
 */
export function park(ready: () => boolean): void {
  const { i32 } = shared();
  const w = base + M_PARK;
  Atomics.store(i32, w, 1);
  if (inboxReady() || ready()) {
    Atomics.store(i32, w, 0);
    microtask(resumeFn);
    return;
  }
  if (waiting) return;
  waiting = true;
  const r = Atomics.waitAsync(i32, w, 1);
  if (!r.async) {
    waiting = false;
    Atomics.store(i32, w, 0);
    microtask(resumeFn);
    return;
  }
  void r.value.then(() => {
    waiting = false;
    Atomics.store(i32, w, 0);
    resumeFn();
  });
}

/**
 * This thread runs goroutines now: not parked, whatever woke it (a module
 * import that finished, a timer). A pending wait stays armed for the next park.
 */
export function markRunning(): void {
  Atomics.store(shared().i32, base + M_PARK, 0);
}

/** Whether this thread is parked now. */
export function isParked(m: number): boolean {
  return Atomics.load(shared().i32, mBase(m) + M_PARK) === 1;
}
