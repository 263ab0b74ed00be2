// The single-thread scheduler: starting goroutines, parking and waking them,
// and yielding to the Node.js event loop (Go: newproc, gopark/goready and
// preemption in proc.go).
//
// A goroutine is an async function. go() queues a G; the scheduler starts
// queued Gs from one microtask, in FIFO order, so the caller of go() runs on
// until it blocks, as in Go. A blocked goroutine awaits a promise whose
// resolver sits in a Sudog; waking it means settling that promise.
//
// Preemption: JavaScript cannot interrupt a running function, but goroutines
// that keep waking each other would run forever inside microtasks and starve
// timers and I/O. Every start, wake and completed fast-path operation spends
// one unit of `budget`; when it runs out, further wake-ups are deferred to a
// macrotask (setImmediate), which lets the event loop turn, then the budget
// is refilled. This is Go's time-slice preemption measured in operations.
//
// Invariants:
//   - `deferred` is non-empty only while a flush is scheduled.
//   - A Sudog is completed exactly once (its queue removed it first).

import { current, type G, GStatus, type GoFunc, newG, removeLive, setCurrent, WaitReason } from "./g.ts";
import { reportPanic } from "./panic.ts";
import { Ring } from "./ring.ts";
import { type Reject, type Resolve, SelectWaiter, Sudog, SudogKind } from "./sudog.ts";
import { RuntimeError } from "../errors.ts";

/** Operations between two turns of the event loop (Go's 10 ms time slice, in operations). */
export const BUDGET = 8192;

let budget = BUDGET;
const deferred = new Ring<Sudog>();
let flushScheduled = false;

const runq = new Ring<G>();
let runqScheduled = false;

/** A settled promise shared by every operation that completes without blocking. */
export const RESOLVED: Promise<void> = Promise.resolve();

// The executor stores the resolvers here so that park() allocates no closure.
let lastResolve: Resolve = noop;
let lastReject: Reject = noop;
function capture(resolve: Resolve, reject: Reject): void {
  lastResolve = resolve;
  lastReject = reject;
}
function noop(): void {}

/** Queues a new goroutine running fn(...args) (Go: newproc). */
export function spawn(fn: GoFunc, args: unknown[] | null): G {
  const g = newG(fn, args);
  runq.push(g);
  if (!runqScheduled) {
    runqScheduled = true;
    queueMicrotask(runNew);
  }
  return g;
}

function runNew(): void {
  while (runq.size > 0) {
    if (--budget < 0) {
      // Out of time slice: let the event loop turn before starting more.
      runqScheduled = true;
      scheduleFlush();
      return;
    }
    start(runq.shift());
  }
  runqScheduled = false;
}

function start(g: G): void {
  const fn = g.fn as GoFunc;
  const args = g.args;
  g.args = null;
  g.status = GStatus.Running;
  setCurrent(g);
  let result: unknown;
  try {
    result = args === null ? fn() : fn(...args);
  } catch (err) {
    setCurrent(null);
    removeLive(g);
    reportPanic(g, fn.name, err);
    return;
  }
  setCurrent(null);
  if (result instanceof Promise) {
    result.then(
      () => removeLive(g),
      (err: unknown) => {
        removeLive(g);
        reportPanic(g, fn.name, err);
      },
    );
  } else {
    removeLive(g);
  }
}

/**
 * Creates the promise a goroutine awaits while parked in `sg`'s queue, and
 * marks the goroutine waiting (Go: gopark). The caller enqueues `sg`.
 */
export function park(kind: SudogKind, elem: unknown, reason: WaitReason): [Promise<unknown>, Sudog] {
  const p = new Promise<unknown>(capture);
  const sg = new Sudog(kind, null, elem, lastResolve, lastReject);
  markWaiting(sg, reason);
  return [p, sg];
}

/** Creates a parked select: one promise, resolved with the SelectWaiter when a case fires. */
export function parkSelect(cases: readonly unknown[]): [Promise<SelectWaiter>, SelectWaiter] {
  const p = new Promise<SelectWaiter>(capture as (r: (v: SelectWaiter) => void, j: Reject) => void);
  return [p, new SelectWaiter(cases, lastResolve, lastReject)];
}

/** Creates the Sudog for one case of a parked select. */
export function selectSudog(
  sel: SelectWaiter,
  g: G | null,
  isSend: boolean,
  elem: unknown,
  caseIndex: number,
): Sudog {
  const sg = new Sudog(isSend ? SudogKind.SelectSend : SudogKind.SelectRecv, g, elem, null, null);
  sg.sel = sel;
  sg.caseIndex = caseIndex;
  sel.sudogs.push(sg);
  return sg;
}

export function markWaiting(sg: Sudog, reason: WaitReason): void {
  sg.g = parkCurrent(reason);
}

/**
 * Marks the running goroutine waiting for `reason` and returns it, when the
 * runtime knows which goroutine runs: in a goroutine's synchronous first
 * segment (see g.ts `current`). Returns null otherwise.
 */
export function parkCurrent(reason: WaitReason): G | null {
  const g = current;
  if (g !== null) {
    g.status = GStatus.Waiting;
    g.waitReason = reason;
    g.waitSince = Date.now();
  }
  return g;
}

/** A promise that never settles: a goroutine blocked forever (Go: block() in select {}). */
export function parkForever(reason: WaitReason): Promise<never> {
  parkCurrent(reason);
  return new Promise<never>(noop);
}

/**
 * Wakes the goroutine parked in `sg`, which its queue has already removed
 * (Go: goready). Runs now, or after the event loop turns if the time slice
 * is spent.
 */
export function ready(sg: Sudog): void {
  if (--budget >= 0) complete(sg);
  else {
    deferred.push(sg);
    scheduleFlush();
  }
}

/**
 * The promise an operation that did not block returns: the shared settled
 * one, or, once the time slice is spent, one that settles after the event
 * loop turns (so a goroutine that never blocks still yields).
 */
export function nonBlocking(): Promise<void> {
  if (--budget >= 0) return RESOLVED;
  const [p, sg] = park(SudogKind.Wake, undefined, WaitReason.None);
  deferred.push(sg);
  scheduleFlush();
  return p as Promise<void>;
}

/** Like nonBlocking(), for an operation that produced `value`. */
export function nonBlockingValue<T>(value: T): Promise<T> {
  if (--budget >= 0) return Promise.resolve(value);
  const [p, sg] = park(SudogKind.Wake, value, WaitReason.None);
  deferred.push(sg);
  scheduleFlush();
  return p as Promise<T>;
}

function complete(sg: Sudog): void {
  const g = sg.g;
  if (g !== null) {
    g.status = GStatus.Runnable;
    g.waitReason = WaitReason.None;
  }
  switch (sg.kind) {
    case SudogKind.Recv:
    case SudogKind.Wake:
      (sg.resolve as Resolve)(sg.elem);
      break;
    case SudogKind.RecvIter:
      (sg.resolve as Resolve)(sg.ok ? { value: sg.elem, done: false } : { value: undefined, done: true });
      break;
    case SudogKind.RecvOk:
      (sg.resolve as Resolve)(sg.ok ? [sg.elem, true] : [undefined, false]);
      break;
    case SudogKind.Send:
      if (sg.ok) (sg.resolve as Resolve)(undefined);
      else (sg.reject as Reject)(new RuntimeError("send on closed channel"));
      break;
    case SudogKind.SelectRecv: {
      const sel = sg.sel as SelectWaiter;
      sel.value = sg.elem;
      sel.ok = sg.ok;
      sel.resolve(sel);
      break;
    }
    case SudogKind.SelectSend: {
      const sel = sg.sel as SelectWaiter;
      if (sg.ok) sel.resolve(sel);
      else sel.reject(new RuntimeError("send on closed channel"));
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
  budget = BUDGET;
  // Complete only what was deferred before this turn; later deferrals wait for the next.
  for (let n = deferred.size; n > 0; n--) {
    complete(deferred.shift());
  }
  if (runqScheduled) runNew();
}
