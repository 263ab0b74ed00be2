// The single-thread scheduler: starting goroutines, parking and waking them,
// and yielding to the Node.js event loop (Go: newproc, gopark/goready,
// schedule and preemption in proc.go).
//
// A goroutine is an async function. go() queues a G; the scheduler starts
// queued Gs from a microtask, so the caller of go() runs on until it blocks,
// as in Go. A blocked goroutine awaits a promise whose resolver sits in a
// Sudog; waking it means settling that promise.
//
// Who runs next (Go: goready puts the woken G in runnext, and the running G
// keeps its thread until it blocks). ready() does not settle the woken
// goroutine's promise at once: it joins the ready list, flushed when the
// running goroutine parks, when a goroutine's first segment ends, or, as a
// safety net, on the next turn of the event loop. So a producer fills a
// buffered channel until it blocks before the consumer resumes and drains
// it, as with GOMAXPROCS=1, instead of the two alternating on every item.
//
// Preemption: JavaScript cannot interrupt a running function, but goroutines
// that keep waking each other would run forever inside microtasks and starve
// timers and I/O. Every start, wake and fast-path operation calls spend();
// every CHECK_EVERY operations it looks at the clock, and once the slice has
// lasted TIME_SLICE ms, wake-ups wait for a macrotask (setImmediate), which
// lets the event loop turn, and a new slice begins. This is Go's 10 ms
// time-slice preemption (sysmon's forcePreemptNS), checked at operations.
//
// Invariants:
//   - The ready list is non-empty only while a flush is scheduled (the safety net).
//   - A Sudog is completed exactly once: its queue removed it before ready().

import { baseNow, waitStamp } from "./clock.ts";
import { RuntimeError } from "../errors.ts";
import {
  type Creator,
  creatorOf,
  current,
  exact,
  funcOf,
  G,
  GStatus,
  type GoFunc,
  mainG,
  markResumed,
  markParked,
  newG,
  records,
  nextGoid,
  removeLive,
  running,
  setCurrent,
  startedCount,
  startedGoroutines,
  WaitReason,
  waitingGoroutines,
} from "./g.ts";
import { trackingLeaks, watch } from "./leak.ts";
import { captureSite, recordSites } from "./site.ts";
import { traceBlock, traceCreate, traceEnd, traceReady, tracer, traceStart, traceStarted, traceUnblock } from "./trace.ts";
import { reportPanic } from "./panic.ts";
import { type Resolve, recvResult, SelectSudog, SelectWaiter, Sudog, SudogKind } from "./sudog.ts";

/** The longest run of goroutines between two turns of the event loop, in ms (Go: forcePreemptNS). */
export const TIME_SLICE = 10;
/** Operations between two looks at the clock. */
const CHECK_EVERY = 1024;

/** Operations left before the next look at the clock; 0 once the slice is over. */
let budget = CHECK_EVERY;
let sliceStart = baseNow(); // time slices are real time, also inside a synctest bubble
/** Operations so far (starts, wake-ups, fast-path completions). */
let ops = 0;

/** Operations so far; unchanged over a turn of the event loop means every goroutine is blocked (synctest). */
export function opsCount(): number {
  return ops;
}

/** Goroutines of this thread that have started and are not known to be parked (running, or awaiting something outside gort). */
export function runningGoroutines(): number {
  return startedCount() + bareLive - waitingGoroutines();
}

/** Whether a goroutine is queued to start or waiting to be resumed. */
export function anyRunnable(): boolean {
  return readyHead !== null || runqLen > 0;
}

/** Counts one operation; false once the time slice is over (then wake-ups wait for the event loop). */
function spend(): boolean {
  ops++;
  if (--budget > 0) return true;
  if (baseNow() - sliceStart < TIME_SLICE) {
    budget = CHECK_EVERY;
    return true;
  }
  budget = 0;
  return false;
}
/**
 * Woken goroutines whose promises are not settled yet (Go: runnext and the
 * run queue), linked through Sudog.next: a readied Sudog has left its wait
 * queue, so the link is free.
 */
let readyHead: Sudog | null = null;
let readyTail: Sudog | null = null;
let flushScheduled = false;

/**
 * Goroutines not yet started, as RUNQ_SLOTS slots each: function, argument
 * list (or null), id, parent id, creator name.
 *
 * Order: newest first, and the oldest every START_FAIRNESS-th start. Go puts
 * a new goroutine in runnext so that it runs as soon as its creator blocks;
 * gort goes one step further and starts new goroutines depth-first, which
 * keeps a fork-join tree (skynet: a million goroutines) to a few live
 * goroutines per level instead of a whole level at once. Taking the oldest
 * every 61st time (Go's global-queue check interval) means no queued
 * goroutine waits forever behind newer ones.
 */
const RUNQ_SLOTS = 5;
// The queue is a ring of entries kept in these module variables, not a Ring
// object: runNew takes an entry with plain loads and stores. As a method,
// the take had to be inlined into runNew by V8, and with records on,
// start() and newG() used up runNew's inlining budget first, so the take
// stayed a call (a fifth of spawn+join's time with records on, absent with
// them off). Entry e (0 ≤ e ≤ runqMask) occupies runqSlots[e·RUNQ_SLOTS ..];
// the oldest is runqHead, and runqLen entries follow it, wrapping.
let runqSlots: unknown[] = new Array<unknown>(64 * RUNQ_SLOTS);
let runqMask = 63;
let runqHead = 0;
/** Goroutines queued, not started. */
let runqLen = 0;

/** Doubles the queue's room, keeping its entries in order (oldest at entry 0). */
function growRunq(): void {
  const old = runqSlots;
  const n = runqMask + 1;
  const next = new Array<unknown>(2 * n * RUNQ_SLOTS);
  for (let i = 0; i < n; i++) {
    const from = ((runqHead + i) & runqMask) * RUNQ_SLOTS;
    for (let k = 0; k < RUNQ_SLOTS; k++) next[i * RUNQ_SLOTS + k] = old[from + k];
  }
  runqSlots = next;
  runqHead = 0;
  runqMask = 2 * n - 1;
}

/** Slot `k` of the i-th oldest queued goroutine. */
function runqAt(i: number, k: number): unknown {
  return runqSlots[((runqHead + i) & runqMask) * RUNQ_SLOTS + k];
}

let runqScheduled = false;
let schedtick = 0;
const START_FAIRNESS = 61;
/** Starts in a row before the microtask queue gets a turn. */
const START_BATCH = 16;
let batch = 0;

/** A settled promise shared by every operation that completes without blocking. */
export const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Runs `fn` from the microtask queue, as queueMicrotask does, for a third
 * of the cost: Node's queueMicrotask wraps each callback in an
 * AsyncResource (~190 ns a hop here, against ~60 for a reaction on a settled
 * promise). The scheduler's callbacks do not throw; if one did, the process
 * would still end, by an unhandled rejection instead of an uncaught exception.
 */
export function microtask(fn: () => void): void {
  void RESOLVED.then(fn);
}

// The executor stores the resolver here so that park() allocates no closure.
let lastResolve: Resolve = noop;
function capture(resolve: Resolve): void {
  lastResolve = resolve;
}
function noop(): void {}

/**
 * creatorOf without reading the name now: the parent's function (a G reads
 * its name only when a dump asks; reading a function's name costs more than
 * keeping a reference). While leaks are tracked a G must not hold functions
 * strongly (leak.ts), so then the name is read now.
 */
function creatorRef(parent: G | null): Creator {
  if (recordSites) return captureSite(creatorOf(parent));
  if (parent === null || parent === mainG || trackingLeaks()) return creatorOf(parent);
  const fn = parent.fn;
  return typeof fn === "function" ? fn : creatorOf(parent);
}

/** Queues a new goroutine running fn(...args) (Go: newproc). Returns its id. */
export function spawn(fn: GoFunc, args: unknown[] | null): number {
  const id = nextGoid();
  const parent = running();
  if (runqLen > runqMask) growRunq();
  const b = ((runqHead + runqLen) & runqMask) * RUNQ_SLOTS;
  runqSlots[b] = fn;
  runqSlots[b + 1] = args;
  runqSlots[b + 2] = id;
  runqSlots[b + 3] = parent === null ? 0 : parent.id;
  runqSlots[b + 4] = creatorRef(parent);
  runqLen++;
  if (tracer !== null) traceCreate(tracer, id, parent === null ? 0 : parent.id, fn.name);
  if (!runqScheduled) {
    runqScheduled = true;
    microtask(runNew);
  }
  return id;
}

/**
 * Starts a goroutine now, with an id given by the caller (M:N: a portable
 * goroutine this thread took from a run queue; Go: execute). Its first
 * segment runs before this returns; the goroutines it woke run next.
 */
export function startNow(fn: GoFunc, args: unknown[] | null, id: number, parentId: number, creator: Creator): void {
  if (tracer !== null) traceCreate(tracer, id, parentId, fn.name);
  spend();
  if (records) start(newG(id, fn, parentId, creator), args);
  else startBare(fn, args);
  flushReady();
}

function runNew(): void {
  while (runqLen > 0) {
    if (!spend()) {
      // Out of time slice: let the event loop turn before starting more.
      scheduleFlush();
      return;
    }
    // The newest entry, or the oldest every START_FAIRNESS-th time.
    let e: number;
    if (++schedtick % START_FAIRNESS === 0) {
      e = runqHead;
      runqHead = (e + 1) & runqMask;
    } else {
      e = (runqHead + runqLen - 1) & runqMask;
    }
    runqLen--;
    const slots = runqSlots;
    const b = e * RUNQ_SLOTS;
    const fn = slots[b] as GoFunc;
    const args = slots[b + 1] as unknown[] | null;
    const id = slots[b + 2] as number;
    const parentId = slots[b + 3] as number;
    const creator = slots[b + 4] as Creator;
    // Not kept past this start: a parked goroutine's function and arguments must not stay reachable from here.
    slots[b] = slots[b + 1] = slots[b + 4] = undefined;
    const before = ops;
    if (records) start(newG(id, fn, parentId, creator), args);
    else startBare(fn, args);
    // g's first segment is over: the goroutines it woke run before the next start.
    flushReady();
    if ((ops !== before || ++batch === START_BATCH) && runqLen > 0) {
      // The goroutine woke another or will resume after a completed
      // operation: let those continuations (already in the microtask queue)
      // run before the next start, as Go runs a readied goroutine next.
      // Also after START_BATCH starts in a row, so that finished goroutines
      // are retired (their promise reactions run) while still young.
      batch = 0;
      microtask(runNew);
      return;
    }
  }
  batch = 0;
  runqScheduled = false;
}

/** Number of goroutines that exist now, the main goroutine included (Go: runtime.NumGoroutine). */
export function numGoroutine(): number {
  return startedCount() + bareLive + runqLen + 1;
}

/** Every live goroutine in order of id, main first, queued ones as runnable records. */
export function allGoroutines(): G[] {
  const out = startedGoroutines();
  out.push(mainG);
  for (let i = 0; i < runqLen; i++) {
    const g = new G(
      runqAt(i, 2) as number,
      runqAt(i, 0) as GoFunc,
      runqAt(i, 3) as number,
      runqAt(i, 4) as Creator,
    );
    out.push(g);
  }
  return out.sort((a, b) => a.id - b.id);
}

// start() and what it calls are kept small, so that V8 inlines them, with
// the goroutine's first segment, into runNew (TurboFan inlines ~920 bytes of
// bytecode in all into one function): compiled out of line, start() made
// spawn+join ~8% slower. So the rare paths (tracing, exact tracking, a
// throw, leak tracking) are functions of their own, called only when needed.
function start(g: G, args: unknown[] | null): void {
  if (tracer !== null || exact !== null) {
    startWatched(g, args);
    return;
  }
  setCurrent(g);
  let result: unknown;
  try {
    result = call(g.fn as GoFunc, args);
  } catch (err) {
    firstSegmentThrew(g, err);
    return;
  }
  setCurrent(null);
  firstSegmentEnded(g, result);
}

/** start() while the trace runs or goroutines are followed through their awaits. */
function startWatched(g: G, args: unknown[] | null): void {
  const fn = g.fn as GoFunc;
  if (tracer !== null) traceStart(tracer, g);
  setCurrent(g);
  let result: unknown;
  try {
    result = exact !== null ? exact.run(g, call, fn, args) : call(fn, args);
  } catch (err) {
    firstSegmentThrew(g, err);
    return;
  }
  setCurrent(null);
  if (tracer !== null) traceStarted(tracer, g);
  firstSegmentEnded(g, result);
}

/** The goroutine's function threw before its first `await`: it panicked. */
function firstSegmentThrew(g: G, err: unknown): void {
  setCurrent(null);
  if (tracer !== null) traceStarted(tracer, g);
  panicThis.call(g, err);
}

/** The goroutine's first segment is over; `result` is what its function returned. */
function firstSegmentEnded(g: G, result: unknown): void {
  if (!(result instanceof Promise)) exit(g);
  else if (trackingLeaks()) {
    watch(g, result);
    endWhenSettled(g, result);
  }
  // Parked in its first segment: it cannot end before it is woken, and
  // complete() puts the handlers on then. (While leaks are tracked, above,
  // the G must not hold its promise: leak.ts watches for it to be collected.)
  else if (g.status === GStatus.Waiting) g.result = result;
  else endWhenSettled(g, result);
}

/** Puts the scheduler's handlers on goroutine `g`'s promise: it ends (or panics) when the promise settles. */
function endWhenSettled(g: G, result: Promise<unknown>): void {
  if (g.onExit === null) bindEndHandlers(g);
  result.then(g.onExit, g.onPanic);
}

/**
 * Makes `g`'s end handlers: bound functions rather than closures, half the
 * memory (no context object); made once per G, when it is first needed (a
 * goroutine parked for good never needs them), and kept when the G is reused.
 */
function bindEndHandlers(g: G): void {
  g.onExit = exitThis.bind(g);
  g.onPanic = panicThis.bind(g);
}

/**
 * Goroutines started without records (GORT_TRACK=off) that have not ended:
 * they are counted, and nothing else is kept of them.
 */
let bareLive = 0;

/** start() without a goroutine record: the fastest way to run goroutines, blind to dumps and leaks. */
function startBare(fn: GoFunc, args: unknown[] | null): void {
  bareLive++;
  setCurrent(null); // no record to attribute waits to (and none to main)
  let result: unknown;
  try {
    // call()'s expression, written out: through call() this path's timed
    // spawn+join run (bench mode) measured ~6% slower, and it is the
    // baseline the records' cost is measured against.
    result = args === null ? fn() : fn(...args);
  } catch (err) {
    barePanic(err);
    return;
  }
  if (result instanceof Promise) result.then(bareExit, barePanic);
  else bareLive--;
}

function bareExit(): void {
  bareLive--;
}

function barePanic(err: unknown): void {
  bareLive--;
  reportPanic(new G(0, null, 0, ""), "", err);
}

function call(fn: GoFunc, args: unknown[] | null): unknown {
  return args === null ? fn() : fn(...args);
}

/** The fulfil handler of a goroutine's promise, bound to its G. */
function exitThis(this: G): void {
  exit(this);
}

/** The reject handler of a goroutine's promise, bound to its G: the goroutine panicked. */
function panicThis(this: G, err: unknown): void {
  const name = funcOf(this)?.name ?? "";
  if (tracer !== null) traceEnd(tracer, this);
  removeLive(this, false); // not reused: the report reads it
  reportPanic(this, name, err);
}

function exit(g: G): void {
  // Whether nothing can refer to g once it is dead, so that it can be reused:
  // not traced, watched for leaks or followed through awaits, and not left
  // Waiting (a goroutine that abandoned a wait, say by Promise.race, leaves a
  // Sudog naming it in a queue; completing that Sudog later must not touch
  // another goroutine's record).
  const reusable = tracer === null && exact === null && g.status !== GStatus.Waiting && !trackingLeaks();
  if (tracer !== null) traceEnd(tracer, g);
  removeLive(g, reusable);
}

/** The Sudog made by the last park() (one thread: returned without allocating a pair). */
export let parked: Sudog = new Sudog(SudogKind.Wake, null, undefined, null);

/**
 * Creates the promise a goroutine awaits while parked, and its Sudog, left in
 * `parked`; marks the goroutine waiting (Go: gopark). The caller enqueues
 * `parked` where its partner will find it.
 */
export function park(kind: SudogKind, elem: unknown, reason: WaitReason): Promise<unknown> {
  if (readyHead !== null) flushReady();
  const p = new Promise<unknown>(capture);
  parked = new Sudog(kind, current === null && exact === null ? null : parkCurrent(reason), elem, lastResolve);
  if (trackingLeaks()) forgetParkedSoon();
  return p;
}

/**
 * Forgets the last park's promise resolver and Sudog, which would otherwise
 * keep the last goroutine to park reachable (leak detection needs it not to be).
 */
export function clearParked(): void {
  lastResolve = noop;
  parked = new Sudog(SudogKind.Wake, null, undefined, null);
}

let forgetQueued = false;

/**
 * While leaks are tracked, forgets the last park once its caller has taken
 * it (from the microtask queue), so that a collection the program did not
 * ask for (GORT_LEAKS=warn) can prove the last goroutine to park leaked too.
 */
function forgetParkedSoon(): void {
  if (forgetQueued) return;
  forgetQueued = true;
  microtask(forgetParked);
}

function forgetParked(): void {
  forgetQueued = false;
  clearParked();
}

/** Creates a parked select: one promise, resolved with the SelectWaiter when a case fires. */
export function parkSelect(cases: readonly unknown[]): [Promise<SelectWaiter>, SelectWaiter] {
  if (readyHead !== null) flushReady();
  const p = new Promise<unknown>(capture) as Promise<SelectWaiter>;
  if (trackingLeaks()) forgetParkedSoon();
  return [p, new SelectWaiter(cases, lastResolve)];
}

/** Creates the Sudog for one case of a parked select. */
export function selectSudog(
  sel: SelectWaiter,
  g: G | null,
  isSend: boolean,
  elem: unknown,
  caseIndex: number,
): SelectSudog {
  const sg = new SelectSudog(isSend ? SudogKind.SelectSend : SudogKind.SelectRecv, g, elem, sel, caseIndex);
  sel.sudogs.push(sg);
  return sg;
}

/**
 * Marks the running goroutine waiting for `reason` and returns it, when the
 * runtime knows which goroutine runs: in a goroutine's synchronous first
 * segment (see g.ts `current`). Returns null otherwise.
 */
export function parkCurrent(reason: WaitReason): G | null {
  const g = running();
  if (g !== null) {
    markParked(g);
    g.waitReason = reason;
    g.waitSince = waitStamp();
    if (tracer !== null) traceBlock(tracer, g, reason);
  }
  return g;
}

/** A promise that never settles: a goroutine blocked forever (Go: block() in select {}). */
export function parkForever(reason: WaitReason): Promise<never> {
  if (readyHead !== null) flushReady();
  parkCurrent(reason);
  return new Promise<never>(noop);
}

/**
 * Makes the goroutine parked in `sg` runnable; its queue has already removed
 * it (Go: goready). It resumes once the running goroutine blocks (see the
 * header), or on the next turn of the event loop.
 */
export function ready(sg: Sudog): void {
  if (tracer !== null && sg.g !== null) traceReady(tracer, sg.g, running());
  if (readyTail === null) readyHead = sg;
  else readyTail.next = sg;
  readyTail = sg;
  if (!flushScheduled) scheduleFlush();
}

/** Settles the promises of the woken goroutines, oldest first, as far as the time slice allows. */
function flushReady(): void {
  while (readyHead !== null && spend()) complete(takeReady(readyHead));
}

/**
 * Resumes the goroutines woken so far now, when no goroutine is running
 * (M:N: wake-ups from other threads, drained by this thread's scheduler),
 * instead of on the next turn of the event loop.
 */
export function runReady(): void {
  flushReady();
}

/** Whether the time slice is over: goroutines have run TIME_SLICE ms since the event loop last turned. */
export function sliceOver(): boolean {
  return budget === 0 || baseNow() - sliceStart >= TIME_SLICE;
}

/**
 * Starts a new time slice: the thread was idle (M:N: spinning or parked in
 * its scheduler), which is not time any goroutine ran. `at`: baseNow() as
 * the caller last read it, if it just did (a read costs ~100 ns here).
 */
export function newSlice(at: number = baseNow()): void {
  budget = CHECK_EVERY;
  sliceStart = at;
}

function takeReady(sg: Sudog): Sudog {
  readyHead = sg.next;
  if (readyHead === null) readyTail = null;
  sg.next = null;
  return sg;
}

/**
 * The promise an operation that did not block returns: the shared settled
 * one, or, once the time slice is spent, one that settles after the event
 * loop turns (so a goroutine that never blocks still yields).
 */
export function nonBlocking(): Promise<void> {
  if (spend()) return RESOLVED;
  return deferValue(undefined) as Promise<void>;
}

/** Like nonBlocking(), for an operation that produced `value`. */
export function nonBlockingValue<T>(value: T): Promise<T> {
  if (spend()) return value === undefined ? (RESOLVED as Promise<T>) : Promise.resolve(value);
  return deferValue(value) as Promise<T>;
}

function deferValue(value: unknown): Promise<unknown> {
  const p = park(SudogKind.Wake, value, WaitReason.None);
  ready(parked);
  return p;
}

function closedSend(): Promise<never> {
  return Promise.reject(new RuntimeError("send on closed channel"));
}

function complete(sg: Sudog): void {
  const g = sg.g;
  if (g !== null) {
    // It resumes on a microtask the runtime does not watch: from here on it
    // is "started, not known to be parked" (see g.ts GStatus.Running).
    markResumed(g);
    g.waitReason = WaitReason.None;
    if (g.result !== null) {
      // Its first wait ends (see firstSegmentEnded): from now on it may end. If it
      // abandoned this wait (Promise.race) and has ended already, its
      // promise is settled and the handlers run at once.
      endWhenSettled(g, g.result);
      g.result = null;
    }
    if (tracer !== null) traceUnblock(tracer, g);
  }
  const resolve = sg.resolve as Resolve;
  switch (sg.kind) {
    case SudogKind.Recv:
    case SudogKind.RecvOk:
    case SudogKind.RecvIter:
      resolve(recvResult(sg.kind, sg.elem, sg.ok));
      break;
    case SudogKind.Wake:
      resolve(sg.elem);
      break;
    case SudogKind.Send:
      resolve(sg.ok ? undefined : closedSend());
      break;
    case SudogKind.SelectRecv: {
      const sel = (sg as SelectSudog).sel;
      sel.value = sg.elem;
      sel.ok = sg.ok;
      sel.resolve(sel);
      break;
    }
    case SudogKind.SelectSend: {
      const sel = (sg as SelectSudog).sel;
      sel.resolve(sg.ok ? sel : closedSend());
      break;
    }
  }
}

function scheduleFlush(): void {
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function flush(): void {
  flushScheduled = false;
  budget = CHECK_EVERY;
  sliceStart = baseNow();
  // Settle only what was woken before this turn; anything woken by these
  // goroutines is settled when they block, or on the next turn.
  const last = readyTail;
  while (readyHead !== null) {
    const sg = takeReady(readyHead);
    complete(sg);
    if (sg === last) break;
  }
  if (readyHead !== null) scheduleFlush();
  if (runqLen > 0) runNew();
}
