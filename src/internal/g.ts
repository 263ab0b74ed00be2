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
//   - Every G that is running or waiting is in `allgs` exactly once, at its
//     `slot`; so is every dead G kept for reuse (in `freeGs`); a dead G holds
//     no reference to its function, nor a `result` (only a waiting G, woken
//     yet or not, can have one; waking it clears it).
//   - `liveCount` equals the number of Gs in `allgs` that are not dead.
//   - The go statement's place is not captured at go() time by default (a
//     stack capture costs ~5 µs, more than a whole goroutine; site.ts does it
//     under GORT_TRACK=exact): the G keeps its function, whose source
//     location the runtime looks up only when it prints a dump.

import { AsyncLocalStorage } from "node:async_hooks";
import { CreationSite } from "./site.ts";

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
  /** Goroutine id; 1 is the main goroutine (the program's top level). Set anew when a dead G is reused (newG). */
  id: number;
  /**
   * The function this goroutine runs; null once it has ended. Held weakly
   * while leaks are tracked (leak.ts), so that the function's closure cannot
   * keep a leaked goroutine's channels reachable: read it with funcOf().
   */
  fn: GoFunc | WeakRef<GoFunc> | null;
  /** Id of the goroutine that called go(): 0 for main, or when it was not known (see `current`). */
  parentId: number;
  /**
   * Who called go() (Go's "created by"): its name, or the function itself,
   * named only when a dump asks (reading a function's name costs more than
   * keeping a reference to it), or where the go statement ran
   * (GORT_TRACK=exact, site.ts); "" when not known.
   */
  private creatorRef: Creator;
  status: GStatus = GStatus.Runnable;
  waitReason: WaitReason = WaitReason.None;
  /** When the current wait began, in whole ms (clock.ts waitStamp: valid while waiting; a small integer, stored unboxed). */
  waitSince = 0;
  /** Index in `allgs` (-1 when not there); changed only by newG and removeLive. */
  slot = -1;
  /**
   * The handlers the scheduler puts on this goroutine's promise (made once
   * per G when first needed, kept when the G is reused: sched.ts
   * endWhenSettled).
   */
  onExit: ((value: unknown) => void) | null = null;
  onPanic: ((err: unknown) => void) | null = null;
  /**
   * The promise of a goroutine that parked in its first segment, until it
   * is woken: only then does the scheduler put its handlers on it (sched.ts
   * firstSegmentEnded and complete). A goroutine cannot end while it waits,
   * so until then the handlers, their reaction and its promise (~180 B)
   * would only take room; a million parked goroutines take that much less.
   */
  result: Promise<unknown> | null = null;

  constructor(id: number, fn: GoFunc | null, parentId: number, creator: Creator) {
    this.id = id;
    this.fn = fn;
    this.parentId = parentId;
    this.creatorRef = creator;
  }

  /**
   * Makes this dead G the record of a new goroutine (newG). Its waitReason
   * is None already: only a G that did not end waiting is reused
   * (sched.ts exit), and a wait's end resets the reason (complete). Not
   * storing it again makes spawn+join with records on ~10% faster.
   */
  reuse(id: number, fn: GoFunc, parentId: number, creator: Creator): void {
    this.id = id;
    this.fn = fn;
    this.parentId = parentId;
    this.creatorRef = creator;
  }

  /** Lets go of the creator's function (a dead G kept for reuse must not keep it alive). */
  forgetCreator(): void {
    this.creatorRef = "";
  }

  /** Name of the function that called go(), "" when not known. */
  get creator(): string {
    const c = this.creatorRef;
    if (typeof c === "string") return c;
    return c instanceof CreationSite ? c.fn : c.name || "func1";
  }

  /** Where the go statement ran, "file:line:column" (GORT_TRACK=exact); "" when not recorded. */
  get createdAt(): string {
    const c = this.creatorRef;
    return c instanceof CreationSite ? c.place : "";
  }
}

/** What a G keeps of its creator (see G.creatorRef). */
export type Creator = string | GoFunc | CreationSite;

/**
 * Go's "created by" part of a goroutine's entry (traceback.go
 * printcreatedby): the creator's name and goroutine, and the place of the
 * go statement on the next line when it was recorded.
 */
export function createdBy(parentId: number, creator: string, place: string): string {
  if (parentId === 0) return "created by an unknown goroutine\n";
  return `created by ${creator || "func1"} in goroutine ${parentId}\n${place === "" ? "" : `\t${place}\n`}`;
}

let nextId = 2;
/** The main goroutine: the program's top-level code. It is never on the live list. */
export const mainG = new G(1, null, 0, "");
mainG.status = GStatus.Running;

/** Every G that is live or kept for reuse, at its slot (Go: allgs). */
const allgs: G[] = [];
let liveCount = 0;
/** Started goroutines known to be parked on a gort operation (status Waiting). */
let waitingCount = 0;

/** Marks `g` parked on a gort operation (sched.ts parkCurrent). */
export function markParked(g: G): void {
  if (g.status !== GStatus.Waiting) waitingCount++;
  g.status = GStatus.Waiting;
}

/** Marks `g` started and not known to be parked (sched.ts: woken). */
export function markResumed(g: G): void {
  if (g.status === GStatus.Waiting) waitingCount--;
  g.status = GStatus.Running;
}

/**
 * How many goroutines of this thread are known to be parked on a gort
 * operation; with startedCount(), tells whether every goroutine here is
 * blocked (M:N quiescence: nothing but a wake-up can make one run).
 */
export function waitingGoroutines(): number {
  return waitingCount;
}

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

/** The name of the goroutine calling go() (Go's "created by"): "" when not known. */
export function creatorOf(parent: G | null): string {
  if (parent === null) return "";
  return parent === mainG ? "main" : funcOf(parent)?.name || "func1";
}

/**
 * Dead Gs kept for reuse (Go: gfput/gfget keep dead Gs on a free list), so
 * that goroutines that come and go allocate no records and leave `allgs` as
 * it is. Only Gs nothing refers to any more go here (removeLive's callers say).
 */
const freeGs: G[] = [];
const FREE_GS_MAX = 4096;

/** Makes the record of a goroutine that starts now, live. */
export function newG(id: number, fn: GoFunc, parentId: number, creator: Creator): G {
  // Small, so that V8 inlines it into the scheduler's loop (sched.ts start).
  const g = freeGs.pop() ?? freshG();
  g.reuse(id, fn, parentId, creator);
  g.status = GStatus.Running;
  liveCount++;
  return g;
}

/** A new G in `allgs`, to be filled by reuse(). */
function freshG(): G {
  const g = new G(0, null, 0, "");
  g.slot = allgs.length;
  allgs.push(g);
  return g;
}

/** The function goroutine `g` runs, if it is still known. */
export function funcOf(g: G): GoFunc | null {
  const fn = g.fn;
  return fn instanceof WeakRef ? (fn.deref() ?? null) : fn;
}

/**
 * Marks `g` dead. `reusable`: nothing refers to it any more, so a later newG
 * may take it for another goroutine.
 */
export function removeLive(g: G, reusable: boolean): void {
  // A goroutine that ends waiting: one that abandoned a wait (Promise.race),
  // or one the collector proved leaked (leak.ts).
  if (g.status === GStatus.Waiting) waitingCount--;
  g.status = GStatus.Dead;
  g.fn = null;
  liveCount--;
  if (reusable && freeGs.length < FREE_GS_MAX) {
    g.forgetCreator();
    freeGs.push(g);
    return;
  }
  const last = allgs.pop() as G;
  if (last !== g) {
    allgs[g.slot] = last;
    last.slot = g.slot;
  }
  g.slot = -1;
}

/** Goroutines that have started and not ended. */
export function startedCount(): number {
  return liveCount;
}

/** Every started, live goroutine (main not included), in no particular order. */
export function startedGoroutines(): G[] {
  return allgs.filter((g) => g.status !== GStatus.Dead);
}

/**
 * Called by a wrapper function (WaitGroup.go, errgroup) in its goroutine's
 * first segment: dumps show `fn`, the function the user started, instead of
 * the wrapper.
 */
export function showAs(fn: GoFunc): void {
  if (current !== null && current !== mainG) current.fn = fn;
}
