// select: wait on several channel operations, run exactly one (Go: the
// select statement; runtime.selectgo in select.go).

import type { RecvChan, SendChan } from "./chan.ts";
import { describe } from "./errors.ts";
import { WaitReason } from "./internal/g.ts";
import { RuntimeError } from "./errors.ts";
import { LocalChan, polledOk, polledValue } from "./internal/hchan.ts";
import { SharedChan } from "./internal/mn/chan.ts";
import { Poll, SharedSelect } from "./internal/mn/selectwait.ts";
import { randn } from "./internal/random.ts";
import { nonBlockingValue, parkCurrent, parkForever, parkSelect, selectSudog } from "./internal/sched.ts";
import type { SelectWaiter } from "./internal/sudog.ts";

declare const caseResult: unique symbol;

/**
 * One case of a select, made by recv(), send() or defaultCase(). `R` is what
 * the select returns when this case fires.
 */
export interface SelectCase<R> {
  readonly kind: "recv" | "send" | "default";
  /** Type-level only: the case's result. */
  readonly [caseResult]?: R;
}

const RECV = 0;
const SEND = 1;
const DEFAULT = 2;
const KINDS = ["recv", "send", "default"] as const;

// One class for every case keeps select's loop monomorphic.
class Case<R> implements SelectCase<R> {
  declare readonly [caseResult]?: R;
  readonly dir: number;
  readonly chan: LocalChan<unknown> | SharedChan<unknown> | null;
  readonly value: unknown;
  readonly fn: ((...args: never[]) => R) | undefined;

  constructor(
    dir: number,
    chan: LocalChan<unknown> | SharedChan<unknown> | null,
    value: unknown,
    fn: ((...args: never[]) => R) | undefined,
  ) {
    this.dir = dir;
    this.chan = chan;
    this.value = value;
    this.fn = fn;
  }

  get kind(): "recv" | "send" | "default" {
    return KINDS[this.dir] as "recv" | "send" | "default";
  }
}

function checkChan(op: string, ch: unknown): LocalChan<unknown> | SharedChan<unknown> | null {
  if (ch === null) return null;
  if (ch instanceof LocalChan || ch instanceof SharedChan) return ch;
  throw new TypeError(`${op}: expected a channel or null, received ${describe(ch)}`);
}

function checkFn(op: string, fn: unknown): void {
  if (fn !== undefined && typeof fn !== "function") {
    throw new TypeError(`${op}: the case body must be a function, received ${describe(fn)}`);
  }
}

/**
 * A receive case (Go: `case v, ok := <-ch:`). When it fires, `fn(value, ok)`
 * runs in the selecting goroutine and its result is the select's result;
 * without `fn` the select returns the value. A `null` channel is never ready
 * (Go's nil channel).
 */
export function recv<T>(ch: RecvChan<T> | null): SelectCase<T | undefined>;
export function recv<T, R>(ch: RecvChan<T> | null, fn: (value: T | undefined, ok: boolean) => R): SelectCase<R>;
export function recv<T, R>(
  ch: RecvChan<T> | null,
  fn?: (value: T | undefined, ok: boolean) => R,
): SelectCase<R | T | undefined> {
  checkFn("recv", fn);
  return new Case(RECV, checkChan("recv", ch), undefined, fn as ((...args: never[]) => R) | undefined);
}

/**
 * A send case (Go: `case ch <- value:`). `value` is evaluated now, as Go
 * evaluates every case's operands on entering the select. When it fires,
 * `fn()` runs and its result is the select's result. A send case on a closed
 * channel throws RuntimeError("send on closed channel") if chosen.
 */
export function send<T>(ch: SendChan<T> | null, value: T): SelectCase<void>;
export function send<T, R>(ch: SendChan<T> | null, value: T, fn: () => R): SelectCase<R>;
export function send<T, R>(ch: SendChan<T> | null, value: T, fn?: () => R): SelectCase<R | undefined> {
  checkFn("send", fn);
  return new Case(SEND, checkChan("send", ch), value, fn);
}

/** The default case (Go: `default:`): runs at once when no other case is ready. */
export function defaultCase(): SelectCase<void>;
export function defaultCase<R>(fn: () => R): SelectCase<R>;
export function defaultCase<R>(fn?: () => R): SelectCase<R | undefined> {
  checkFn("defaultCase", fn);
  return new Case(DEFAULT, null, undefined, fn);
}

/** The union of the results of a list of cases. */
export type SelectResult<C extends readonly SelectCase<unknown>[]> = C[number] extends SelectCase<infer R>
  ? Awaited<R>
  : never;

/**
 * Waits until one of the cases can proceed, performs it, runs its body, and
 * returns the body's result (Go: the select statement).
 *
 * - Among the cases ready now, one is chosen uniformly at random.
 * - With a default case and none ready, the default runs at once.
 * - Otherwise the goroutine blocks (wait reason `"select"`) until one case is
 *   ready; exactly one case fires, and the operations of the others do not
 *   happen.
 * - `select([])` (or only `null` channels and no default) blocks forever.
 * - A channel may appear in several cases; a select never pairs with itself.
 *
 * @example
 * ```ts
 * const v = await select([
 *   recv(results, (r) => r),
 *   recv(after(500 * Millisecond), () => "timeout"),
 * ]);
 * ```
 */
export function select<const C extends readonly SelectCase<unknown>[]>(cases: C): Promise<SelectResult<C>> {
  if (!Array.isArray(cases)) {
    throw new TypeError(`select: expected an array of cases, received ${describe(cases)}`);
  }
  const n = cases.length;
  let chosen: Case<unknown> | null = null;
  let dflt: Case<unknown> | null = null;
  let ready = 0;
  let waitable = 0;
  // Pass 1 (Go: the poll loop over pollorder): pick uniformly among the ready
  // cases by reservoir sampling, which needs no shuffled order array.
  for (let i = 0; i < n; i++) {
    const c = caseAt(cases, i);
    if (c.dir === DEFAULT) {
      dflt = onlyDefault(dflt, c);
      continue;
    }
    const ch = c.chan;
    if (ch === null) continue;
    if (ch instanceof SharedChan) return selectShared(cases) as Promise<SelectResult<C>>;
    waitable++;
    if (c.dir === RECV ? ch.canRecv() : ch.canSend()) {
      ready++;
      if (ready === 1 || randn(ready) === 0) chosen = c;
    }
  }
  if (chosen !== null) {
    const ch = chosen.chan as LocalChan<unknown>;
    if (chosen.dir === RECV) {
      ch.pollRecv();
      return finish(chosen, polledValue, polledOk) as Promise<SelectResult<C>>;
    }
    ch.pollSend(chosen.value);
    return finish(chosen, undefined, true) as Promise<SelectResult<C>>;
  }
  if (dflt !== null) return finish(dflt, undefined, true) as Promise<SelectResult<C>>;
  if (waitable === 0) return parkForever(n === 0 ? WaitReason.SelectNoCases : WaitReason.Select);

  // Pass 2 (Go: the enqueue loop): wait on every channel at once.
  const [p, sel] = parkSelect(cases);
  const g = parkCurrent(WaitReason.Select);
  // Enqueue starting at a random case (Go: lockorder follows the random
  // pollorder), so that when one channel appears in several cases, each is
  // equally likely to be the one a partner finds first.
  const first = randn(n);
  for (let k = 0; k < n; k++) {
    const i = k + first < n ? k + first : k + first - n;
    const c = cases[i] as Case<unknown>;
    const ch = c.chan as LocalChan<unknown> | null;
    if (ch === null) continue;
    if (c.dir === RECV) ch.recvq.enqueueSelect(selectSudog(sel, g, false, undefined, i));
    else ch.sendq.enqueueSelect(selectSudog(sel, g, true, c.value, i));
  }
  return p.then(runFired) as Promise<SelectResult<C>>;
}

/** Case `i` of a select's argument, or a TypeError if it is not a select case. */
function caseAt(cases: readonly unknown[], i: number): Case<unknown> {
  const c = cases[i];
  if (!(c instanceof Case)) {
    throw new TypeError(`select: case ${i} is not a select case (use recv, send or defaultCase), received ${describe(c)}`);
  }
  return c;
}

/** The select's default case `c`, or a TypeError if it already had one. */
function onlyDefault(dflt: Case<unknown> | null, c: Case<unknown>): Case<unknown> {
  if (dflt !== null) throw new TypeError("select: multiple default cases");
  return c;
}

function runCase(c: Case<unknown>, value: unknown, ok: boolean): unknown {
  const fn = c.fn as ((value?: unknown, ok?: boolean) => unknown) | undefined;
  if (c.dir === RECV) return fn === undefined ? value : fn(value, ok);
  return fn === undefined ? undefined : fn();
}

function finish(c: Case<unknown>, value: unknown, ok: boolean): Promise<unknown> {
  const r = runCase(c, value, ok);
  return r instanceof Promise ? r : nonBlockingValue(r);
}

/** Runs the case that fired, in the selecting goroutine, once it has resumed. */
function runFired(sel: SelectWaiter): unknown {
  return runCase(sel.cases[sel.index] as Case<unknown>, sel.value, sel.ok);
}

/**
 * select over cases of which at least one is on a shared channel (M:N):
 * Go's selectgo with every shared channel locked while the cases are
 * polled and, if none is ready, enqueued (internal/mn/selectwait.ts).
 */
function selectShared(cases: readonly SelectCase<unknown>[]): Promise<unknown> {
  const n = cases.length;
  const ss = new SharedSelect();
  /** Case index → its entry in ss, for shared cases. */
  const entry: number[] = [];
  let dflt: Case<unknown> | null = null;
  let waitable = 0;
  try {
    for (let i = 0; i < n; i++) {
      const c = caseAt(cases, i);
      if (c.dir === DEFAULT) {
        dflt = onlyDefault(dflt, c);
        continue;
      }
      if (c.chan === null) continue;
      waitable++;
      if (c.chan instanceof SharedChan) entry[i] = ss.add(c.chan, i, c.dir === SEND, c.value);
    }
  } catch (err) {
    ss.finish();
    throw err;
  }
  if (waitable === 0) {
    ss.finish();
    return dflt !== null ? finish(dflt, undefined, true) : parkForever(WaitReason.SelectNoCases);
  }
  // Pass 1 (Go: pollorder), every shared channel locked: the first ready case in a random order fires.
  ss.lockAll();
  const first = randn(n);
  for (let k = 0; k < n; k++) {
    const i = k + first < n ? k + first : k + first - n;
    const c = cases[i] as Case<unknown>;
    const ch = c.chan;
    if (ch === null || c.dir === DEFAULT) continue;
    if (ch instanceof SharedChan) {
      const r = ss.poll(entry[i] as number);
      if (r === Poll.NotReady) continue;
      ss.unlockAll();
      const value = c.dir === RECV && r === Poll.Done ? ss.received(entry[i] as number) : undefined;
      ss.finish();
      if (c.dir === SEND && r === Poll.Closed) throw new RuntimeError("send on closed channel");
      return finish(c, value, r === Poll.Done);
    }
    if (c.dir === RECV ? ch.canRecv() : ch.canSend()) {
      if (c.dir === RECV) ch.pollRecv();
      else {
        try {
          ch.pollSend(c.value);
        } catch (err) {
          ss.unlockAll();
          ss.finish();
          throw err;
        }
      }
      ss.unlockAll();
      ss.finish();
      return c.dir === RECV ? finish(c, polledValue, polledOk) : finish(c, undefined, true);
    }
  }
  if (dflt !== null) {
    ss.unlockAll();
    ss.finish();
    return finish(dflt, undefined, true);
  }
  // Pass 2: wait on every channel at once.
  const [p, sel] = parkSelect(cases);
  const g = parkCurrent(WaitReason.Select);
  for (let i = 0; i < n; i++) {
    const c = cases[i] as Case<unknown>;
    const ch = c.chan;
    if (ch === null || c.dir === DEFAULT || ch instanceof SharedChan) continue;
    if (c.dir === RECV) ch.recvq.enqueueSelect(selectSudog(sel, g, false, undefined, i));
    else ch.sendq.enqueueSelect(selectSudog(sel, g, true, c.value, i));
  }
  ss.enqueueAll(sel, g);
  ss.unlockAll();
  // Pass 3 (whichever case fired): the shared waiters still queued leave their queues.
  return p.then(
    (fired) => {
      ss.finish();
      return runFired(fired);
    },
    (err: unknown) => {
      ss.finish();
      throw err;
    },
  );
}
