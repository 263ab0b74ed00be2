// Goroutine records: the runtime's view of every goroutine (Go: type g in
// runtime2.go, allgs in proc.go).
//
// go() gives a goroutine its id and queues it; its G record is made when the
// scheduler starts it (a queued goroutine is only a few run-queue slots, so
// a burst of go() calls leaves no objects for the garbage collector to
// copy), it runs its function (whose synchronous part runs with `current`
// set to it), and ends when the function returns or its promise settles.
//
// Invariants:
//   - Every G that is runnable, running or waiting is on the live list exactly
//     once; a dead G is on no list and holds no reference to its function.
//   - `liveCount` equals the length of the live list (started goroutines).
//   - The creation site is not captured at go() time (a stack capture costs
//     ~2 µs, more than a whole goroutine): the G keeps its function, whose
//     source location the runtime looks up only when it prints a dump.

import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Goroutine states (Go: _Grunnable, _Grunning, _Gwaiting, _Gdead).
 * Runnable: queued, not started yet. Running: started and not known to be
 * parked — running now if it is `current`, else suspended at an `await`
 * whose wait the runtime could not attribute to it. Waiting: parked on a gort
 * primitive, with `waitReason`.
 */
export const GStatus = {
  Runnable: "runnable",
  Running: "running",
  Waiting: "waiting",
  Dead: "dead",
} as const;
export type GStatus = (typeof GStatus)[keyof typeof GStatus];

/** Go's wait reasons (runtime2.go waitReasonStrings), so dumps read like Go's. */
export const WaitReason = {
  None: "",
  ChanReceive: "chan receive",
  ChanSend: "chan send",
  ChanReceiveNilChan: "chan receive (nil chan)",
  ChanSendNilChan: "chan send (nil chan)",
  Select: "select",
  SelectNoCases: "select (no cases)",
  Sleep: "sleep",
  Semacquire: "semacquire",
  SyncMutexLock: "sync.Mutex.Lock",
  SyncRWMutexLock: "sync.RWMutex.Lock",
  SyncRWMutexRLock: "sync.RWMutex.RLock",
  SyncWaitGroupWait: "sync.WaitGroup.Wait",
  SyncCondWait: "sync.Cond.Wait",
} as const;
export type WaitReason = (typeof WaitReason)[keyof typeof WaitReason];

// biome-ignore lint: a goroutine's function takes any arguments.
export type GoFunc = (...args: any[]) => unknown;

export class G {
  /** Goroutine id; 1 is the main goroutine (the program's top level). */
  readonly id: number;
  /**
   * The function this goroutine runs; null once it has ended. Held weakly
   * while leaks are tracked (leak.ts), so that the function's closure cannot
   * keep a leaked goroutine's channels reachable: read it with funcOf().
   */
  fn: GoFunc | WeakRef<GoFunc> | null;
  /** Id of the goroutine that called go(): 0 for main, or when it was not known (see `current`). */
  readonly parentId: number;
  /** Name of the function that called go() (Go's "created by"), "" when not known. */
  readonly creator: string;
  status: GStatus = GStatus.Runnable;
  waitReason: WaitReason = WaitReason.None;
  /** performance.now() in whole ms when the current wait began (valid while waiting; a small integer, stored unboxed). */
  waitSince = 0;
  // Ownership: the live list links, changed only by addLive/removeLive.
  prev: G | null = null;
  next: G | null = null;

  constructor(id: number, fn: GoFunc | null, parentId: number, creator: string) {
    this.id = id;
    this.fn = fn;
    this.parentId = parentId;
    this.creator = creator;
  }
}

let nextId = 2;
/** The main goroutine: the program's top-level code. It is never on the live list. */
export const mainG = new G(1, null, 0, "");
mainG.status = GStatus.Running;

let liveHead: G | null = null;
let liveCount = 0;

/**
 * The goroutine whose code is running now, when the runtime knows it: the
 * main goroutine while the program's first synchronous part runs, and each
 * goroutine while its synchronous first segment runs; null otherwise. Code
 * resumed from an `await` runs from a microtask the runtime does not control
 * (knowing it would take AsyncLocalStorage, which costs 2.5× on ping-pong),
 * so operations after a goroutine's first `await` are not attributed to it.
 */
export let current: G | null = mainG;

/**
 * Exact tracking, on request (GORT_TRACK=exact): an AsyncLocalStorage holds
 * each goroutine's G through all its awaits, so every wait is attributed.
 * Off by default: on Node 20 it makes channel operations about 2.5× slower.
 */
export let exact: AsyncLocalStorage<G> | null =
  typeof process !== "undefined" && process.env["GORT_TRACK"] === "exact" ? new AsyncLocalStorage<G>() : null;

/**
 * Whether exact tracking has been on since the program began: then code that
 * runs outside every goroutine's context is main's. When it was turned on
 * later (the trace), such code may be a goroutine started before, so it is
 * attributed to nobody.
 */
const exactSinceStart = exact !== null;

/**
 * Turns exact tracking on from now on (the trace does): goroutines started
 * afterwards are followed through their awaits, and so is `caller` (the
 * goroutine turning it on, if known) from here on. Returns whether it was off.
 */
export function enableExactTracking(caller: G | null = running()): boolean {
  if (exact !== null) return false;
  exact = new AsyncLocalStorage<G>();
  if (caller !== null) exact.enterWith(caller);
  return true;
}

/** Turns exact tracking off again (the trace's stop), unless GORT_TRACK=exact asked for it. */
export function disableExactTracking(): void {
  if (exact === null || exactSinceStart) return;
  exact.disable();
  exact = null;
}

/**
 * Whether goroutines get records (the default). GORT_TRACK=off runs them
 * bare: numGoroutine() still counts them, but dumps, wait reasons, leak
 * detection and the trace do not see them. It exists to run flat out and to
 * measure what the records cost (bench/).
 */
export const records = typeof process === "undefined" || process.env["GORT_TRACK"] !== "off";

/** The goroutine running now, if the runtime can tell (see `current` and `exact`). */
export function running(): G | null {
  if (current !== null) return current;
  if (exact === null) return null;
  return exact.getStore() ?? (exactSinceStart ? mainG : null);
}

export function setCurrent(g: G | null): void {
  current = g;
}

/** Reserves the next goroutine id (Go: goid, assigned in newproc). */
export function nextGoid(): number {
  if (nextId === idLimit) return refillIds();
  return nextId++;
}

/**
 * Ids end here when the M:N runtime hands them out in blocks (ids are
 * unique across threads): then refillIds takes the next block.
 */
let idLimit = -1;
let refillIds: () => number = () => nextId++;

/**
 * Makes goroutine ids come from `take`, which returns the first id of a new
 * block of `size` (M:N: a shared counter), continuing from `first` if given.
 */
export function setGoidBlocks(take: () => number, size: number, first?: number): void {
  refillIds = () => {
    nextId = take();
    idLimit = nextId + size;
    return nextId++;
  };
  if (first !== undefined) nextId = first;
  idLimit = first === undefined ? nextId : first + size;
}

/** The next id this thread would hand out (the M:N boot starts the shared counter after it). */
export function peekGoid(): number {
  return nextId;
}

/** Who is calling go() now: [parent id, creator name], or [0, ""] when not known. */
export function creatorOf(parent: G | null): string {
  if (parent === null) return "";
  return parent === mainG ? "main" : funcOf(parent)?.name || "func1";
}

/** Makes the record of a goroutine that starts now, and puts it on the live list. */
export function newG(id: number, fn: GoFunc, parentId: number, creator: string): G {
  const g = new G(id, fn, parentId, creator);
  g.status = GStatus.Running;
  g.next = liveHead;
  if (liveHead !== null) liveHead.prev = g;
  liveHead = g;
  liveCount++;
  return g;
}

/** The function goroutine `g` runs, if it is still known. */
export function funcOf(g: G): GoFunc | null {
  const fn = g.fn;
  return fn instanceof WeakRef ? (fn.deref() ?? null) : fn;
}

export function removeLive(g: G): void {
  if (g.prev !== null) g.prev.next = g.next;
  else liveHead = g.next;
  if (g.next !== null) g.next.prev = g.prev;
  g.prev = g.next = null;
  g.status = GStatus.Dead;
  g.fn = null;
  liveCount--;
}

/** Goroutines that have started and not ended. */
export function startedCount(): number {
  return liveCount;
}

/** Every started, live goroutine (main not included), newest first. */
export function startedGoroutines(): G[] {
  const out: G[] = [];
  for (let g = liveHead; g !== null; g = g.next) out.push(g);
  return out;
}

/**
 * Called by a wrapper function (WaitGroup.go, errgroup) in its goroutine's
 * first segment: dumps show `fn`, the function the user started, instead of
 * the wrapper.
 */
export function showAs(fn: GoFunc): void {
  if (current !== null && current !== mainG) current.fn = fn;
}
