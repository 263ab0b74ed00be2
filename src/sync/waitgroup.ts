// sync.WaitGroup (Go: src/sync/waitgroup.go, Go 1.19's Add/Done/Wait and
// their misuse panics; Go 1.25's WaitGroup.Go).
//
// The state is Go's: a counter and a count of waiters. add() that brings the
// counter to zero with waiters parked resets the state to zero and releases
// each waiter once; a waiter that resumes to find the state non-zero again
// knows the WaitGroup was reused (add() called for a new round) before its
// wait() returned, and panics as Go does.
//
// Where the state lives: the rules below touch the WaitGroup only through a
// WaitGroupState. In one thread its counter and waiter count are two plain
// fields; Go keeps them in one 64-bit word so that add() and wait() each read
// both in one atomic step. A shared-memory WaitGroup provides the same
// methods over one BigInt64Array slot (Atomics.add/compareExchange), plus a
// shared Sema (internal/sema.ts), and runs the same code.

import { showAs } from "../internal/g.ts";
import { describe, RuntimeError } from "../errors.ts";
import { go } from "../go.ts";
import { running, WaitReason } from "../internal/g.ts";
import { nonBlocking } from "../internal/sched.ts";
import { LocalSema, type Sema } from "../internal/sema.ts";
import { LOCAL_ONLY } from "../internal/mn/localonly.ts";
import { defineKind, ObjKind, SHARED_REF } from "../internal/mn/object.ts";
import { ensureShared } from "../internal/mn/boot.ts";
import { G_WG_DONE } from "../internal/mn/layout.ts";
import { goPortable, setWaitGroupRunner } from "../internal/mn/proc.ts";
import { isTask } from "../internal/mn/task.ts";
import { destroySemas, fields, SharedWaitGroupState, WAITGROUP_WORDS } from "../internal/mn/syncstate.ts";
import { claim, localAdvice, sharedBlock, type SyncOptions, wrapAs } from "../internal/mn/syncobj.ts";

/** Where a WaitGroup's state lives (see the file header). */
export interface WaitGroupState {
  /** Adds `delta` to the counter and returns the new counter; `waiters()` then reads the waiters of the same step. */
  addCounter(delta: number): number;
  /** The counter. */
  counter(): number;
  /** The number of goroutines parked in wait() (as of the last operation in one thread). */
  waiters(): number;
  /** Adds a waiter if the counter is still `v` and the waiters still `w` (Go: the CAS in Wait). */
  addWaiter(v: number, w: number): boolean;
  /** Sets counter and waiters to zero (Go: *statep = 0). */
  reset(): void;
  /** True if counter and waiters are both zero (Go: *statep == 0). */
  isZero(): boolean;
  readonly sema: Sema;
}

/** A WaitGroupState in plain fields, for goroutines of one thread. */
export class LocalWaitGroupState implements WaitGroupState {
  v = 0;
  w = 0;
  readonly sema = new LocalSema();
  addCounter(delta: number): number {
    return (this.v += delta);
  }
  counter(): number {
    return this.v;
  }
  waiters(): number {
    return this.w;
  }
  addWaiter(v: number, w: number): boolean {
    if (this.v !== v || this.w !== w) return false;
    this.w = w + 1;
    return true;
  }
  reset(): void {
    this.v = 0;
    this.w = 0;
  }
  isZero(): boolean {
    return this.v === 0 && this.w === 0;
  }
}

function reusedError(): RuntimeError {
  return new RuntimeError("sync: WaitGroup is reused before previous Wait has returned");
}

/** Go's Add. */
export function wgAdd(wg: WaitGroupState, delta: number): void {
  const v = wg.addCounter(delta);
  const w = wg.waiters();
  if (v < 0) {
    wg.addCounter(-delta);
    throw new RuntimeError("sync: negative WaitGroup counter");
  }
  if (w !== 0 && delta > 0 && v === delta) {
    throw new RuntimeError("sync: WaitGroup misuse: Add called concurrently with Wait");
  }
  if (v > 0 || w === 0) return;
  // The counter is zero and goroutines wait: release them all. No add() or
  // wait() can run concurrently now (add with the counter at zero must
  // happen before wait; wait does not count itself in at zero).
  if (wg.counter() !== v || wg.waiters() !== w) {
    throw new RuntimeError("sync: WaitGroup misuse: Add called concurrently with Wait");
  }
  wg.reset();
  for (let i = w; i > 0; i--) wg.sema.release(false);
}

/** Go's Wait. */
export function wgWait(wg: WaitGroupState): Promise<void> {
  for (;;) {
    const v = wg.counter();
    const w = wg.waiters();
    if (v === 0) return nonBlocking();
    if (wg.addWaiter(v, w)) {
      return wg.sema.acquire(false, WaitReason.SyncWaitGroupWait, running()).then(() => {
        if (!wg.isZero()) throw reusedError();
      });
    }
  }
}

/**
 * Waits for a collection of goroutines to finish (Go: sync.WaitGroup). The
 * counter starts at zero; `add(n)` before starting n goroutines, `done()` as
 * each ends, `wait()` until the counter is back at zero. Or let `go(fn)` do
 * the counting.
 *
 * Blocking: `wait()` waits with reason "sync.WaitGroup.Wait".
 * Panics: a counter below zero throws RuntimeError "sync: negative WaitGroup
 * counter"; reusing the WaitGroup (add() for a new round) before every
 * wait() of the previous round has resumed makes those wait() calls throw
 * "sync: WaitGroup is reused before previous Wait has returned".
 *
 * @example
 * ```ts
 * const wg = new WaitGroup();
 * for (const url of urls) {
 *   wg.go(async () => { await fetchOne(url); });
 * }
 * await wg.wait();
 * ```
 */
export class WaitGroup {
  readonly #wg: WaitGroupState;
  /** @internal The shared object's block (undefined: local to this thread). */
  readonly [SHARED_REF]: number | undefined;

  /**
   * Makes a WaitGroup, local to this thread unless `options.shared` puts it in
   * shared memory, for goroutines on every thread (portable goroutines,
   * `task()`); a shared one travels by reference.
   */
  constructor(options?: SyncOptions) {
    const block = sharedBlock(options, ObjKind.WaitGroup, WAITGROUP_WORDS, "WaitGroup");
    this.#wg = block === undefined ? new LocalWaitGroupState() : new SharedWaitGroupState(fields(block.ref), block.ref);
    this[SHARED_REF] = block?.ref;
    if (block !== undefined) claim(this, block);
  }

  /** @internal What to say when a local WaitGroup is passed to another thread. */
  get [LOCAL_ONLY](): string | undefined {
    return this[SHARED_REF] === undefined ? localAdvice("WaitGroup", "WaitGroup") : undefined;
  }

  /**
   * Adds `delta` (which may be negative) to the counter (Go: Add). If it
   * reaches zero, every goroutine blocked in `wait()` is released. Call
   * `add` with a positive delta before starting what is waited for, not
   * from inside it.
   *
   * Panics: throws RuntimeError "sync: negative WaitGroup counter" if the
   * counter would go below zero (the counter is left unchanged).
   * @throws TypeError if delta is not an integer.
   * @example
   * ```ts
   * wg.add(2);
   * go(async () => { try { await a(); } finally { wg.done(); } });
   * go(async () => { try { await b(); } finally { wg.done(); } });
   * await wg.wait();
   * ```
   */
  add(delta: number): void {
    if (!Number.isSafeInteger(delta)) {
      throw new TypeError(`sync: WaitGroup.add: delta must be an integer, received ${describe(delta)}`);
    }
    wgAdd(this.#wg, delta);
  }

  /**
   * Decrements the counter by one (Go: Done).
   *
   * Panics: throws RuntimeError "sync: negative WaitGroup counter" if it is already zero.
   * @example
   * ```ts
   * wg.add(1);
   * go(async () => { try { await work(); } finally { wg.done(); } });
   * ```
   */
  done(): void {
    wgAdd(this.#wg, -1);
  }

  /**
   * Resolves once the counter is zero (Go: Wait); at once if it already is.
   *
   * Blocking: "sync.WaitGroup.Wait".
   * Panics: rejects with RuntimeError "sync: WaitGroup is reused before
   * previous Wait has returned" if `add()` started a new round before this
   * waiter resumed.
   * @example
   * ```ts
   * await wg.wait();
   * console.log("all done");
   * ```
   */
  wait(): Promise<void> {
    return wgWait(this.#wg);
  }

  /**
   * Adds one to the counter and runs `fn(...args)` in a new goroutine that
   * calls `done()` when it ends (Go 1.25: WaitGroup.Go). If `fn` throws, the
   * counter is still decremented, and the error is still a panic of that
   * goroutine.
   *
   * @throws TypeError if fn is not a function.
   * @example
   * ```ts
   * const wg = new WaitGroup();
   * for (let i = 0; i < 4; i++) wg.go(worker, i);
   * await wg.wait();
   * ```
   */
  go<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    if (typeof fn !== "function") {
      throw new TypeError(`sync: WaitGroup.go: fn must be a function, received ${describe(fn)}`);
    }
    const wg = this.#wg;
    if (isTask(fn)) {
      // A portable goroutine: it runs on a worker thread and marks this
      // WaitGroup done there, so the WaitGroup must be shared.
      if (this[SHARED_REF] === undefined) {
        throw new TypeError(
          `sync: WaitGroup.go: ${fn.name || "fn"} is a task (a portable goroutine), which may run on another thread: ` +
            "use a shared WaitGroup (new WaitGroup({ shared: true }))",
        );
      }
      ensureShared();
      wgAdd(wg, 1);
      try {
        goPortable(fn as (...args: unknown[]) => unknown, [this, ...args], G_WG_DONE);
      } catch (err) {
        wgAdd(wg, -1); // nothing was started (an argument cannot go to another thread)
        throw err;
      }
      return;
    }
    wgAdd(wg, 1);
    go(runAndDone, wg, fn as (...args: unknown[]) => unknown, args as unknown[]);
  }

  static {
    // The worker thread that runs a portable goroutine started by go() above.
    setWaitGroupRunner((wg, fn, args) => runAndDone((wg as WaitGroup).#wg, fn, args));
  }
}

/**
 * The goroutine WaitGroup.go starts: fn(...args) (its synchronous part runs
 * in this goroutine's first segment, so fn's first wait is attributed to it),
 * then done(), also if fn throws or rejects.
 */
function runAndDone(wg: WaitGroupState, fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  showAs(fn);
  let r: unknown;
  try {
    r = fn(...args);
  } catch (err) {
    wgAdd(wg, -1);
    throw err;
  }
  if (r instanceof Promise) {
    return r.then(
      (v) => {
        wgAdd(wg, -1);
        return v;
      },
      (err: unknown) => {
        wgAdd(wg, -1);
        throw err;
      },
    );
  }
  wgAdd(wg, -1);
  return r;
}

defineKind(ObjKind.WaitGroup, {
  wrap: (ref) => wrapAs(ref, () => new WaitGroup()),
  destroy: (ref) => destroySemas(new SharedWaitGroupState(fields(ref), ref)),
});
