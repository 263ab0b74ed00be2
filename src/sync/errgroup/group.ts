// errgroup: a group of goroutines working on subtasks of one task, with the
// first error kept and, optionally, a context cancelled on it (Go:
// golang.org/x/sync/errgroup, errgroup.go).
//
// As in x/sync: a Group counts its active goroutines (x/sync: a
// sync.WaitGroup; here the group's own counter and list of parked waiters),
// keeps the first error (x/sync: sync.Once), and bounds concurrency with a
// buffered channel of tokens (x/sync: sem chan token), so go() blocks on a
// full group exactly as `g.sem <- token{}` does, with wait reason "chan send".
//
// JavaScript differs in one place: a function fails by throwing (or
// rejecting) as often as by returning an error, so both count as the
// goroutine's error; neither is a panic.
//
// State and rules are apart: the counter, the waiters, the first error and
// the token channel are the state; go/tryGo/wait/setLimit are the rules. A
// group shared across threads will keep the counter and first-error slot in
// shared memory and use a shared channel for tokens, with the same rules.

import { showAs } from "../../internal/g.ts";
import type { CancelCauseFunc, Context } from "../../context/context.ts";
import { withCancelCause } from "../../context/cancel.ts";
import { describe } from "../../errors.ts";
import { WaitReason } from "../../internal/g.ts";
import { LocalChan } from "../../internal/hchan.ts";
import { nonBlocking, park, parked, ready, spawn } from "../../internal/sched.ts";
import { type Sudog, SudogKind } from "../../internal/sudog.ts";

/** What a goroutine of a Group runs: returns (or resolves with) an error, or nothing on success; a throw is an error too. */
export type GroupFunc = () => Error | null | undefined | void | Promise<Error | null | undefined | void>;

/**
 * A collection of goroutines working on subtasks of a common task (Go:
 * errgroup.Group). The zero Group (`new Group()`) has no limit and does not
 * cancel anything on error; make one with {@link withContext} for that.
 */
export class Group {
  #active = 0;
  #waiters: Sudog[] = [];
  #err: Error | null = null;
  #cancel: CancelCauseFunc | null = null;
  /** Tokens of the concurrency limit (Go: sem); null for no limit. */
  #sem: LocalChan<void> | null = null;

  /** @internal Used by withContext. */
  setCancel(cancel: CancelCauseFunc): void {
    this.#cancel = cancel;
  }

  /**
   * Runs `fn` in a new goroutine (Go: Group.Go). The first error it returns
   * or throws, among all of the group's goroutines, is what {@link wait}
   * returns, and cancels the group's context (if made by withContext).
   *
   * With a limit set and reached, the returned promise resolves only once
   * another goroutine of the group has finished and `fn` has been started;
   * without one, it is already resolved. `await` it in loops that start many
   * goroutines.
   *
   * **Blocking:** wait reason `"chan send"`, as in Go.
   */
  go(fn: GroupFunc): Promise<void> {
    checkFn("go", fn);
    const sem = this.#sem;
    if (sem !== null && !sem.pollSend(undefined)) {
      return sem.send(undefined).then(() => this.#start(fn, sem));
    }
    this.#start(fn, sem);
    return nonBlocking();
  }

  /**
   * Starts `fn` in a new goroutine only if the limit allows it now; returns
   * whether it did (Go: Group.TryGo).
   */
  tryGo(fn: GroupFunc): boolean {
    checkFn("tryGo", fn);
    const sem = this.#sem;
    if (sem !== null && !sem.pollSend(undefined)) return false;
    this.#start(fn, sem);
    return true;
  }

  /**
   * Waits until every goroutine started by go/tryGo has returned, then
   * cancels the group's context (with the first error as its cause) and
   * resolves with the first error, or null if there was none (Go: Group.Wait).
   *
   * **Blocking:** wait reason `"sync.WaitGroup.Wait"`.
   */
  wait(): Promise<Error | null> {
    if (this.#active === 0) {
      this.#finish();
      return nonBlocking().then(() => this.#err);
    }
    const p = park(SudogKind.Wake, undefined, WaitReason.SyncWaitGroupWait);
    this.#waiters.push(parked);
    return p.then(() => {
      this.#finish();
      return this.#err;
    });
  }

  /**
   * Limits the number of active goroutines in the group to `n` (Go:
   * Group.SetLimit). A negative `n` removes the limit; 0 lets no goroutine
   * start (go() then waits forever, as in Go).
   *
   * @throws Error("errgroup: modify limit while N goroutines in the group are still active")
   *   if goroutines started under a limit are still running.
   */
  setLimit(n: number): void {
    if (typeof n !== "number" || !Number.isInteger(n)) {
      throw new TypeError(`errgroup: setLimit: n must be an integer, received ${describe(n)}`);
    }
    if (n < 0) {
      this.#sem = null;
      return;
    }
    const sem = this.#sem;
    if (sem !== null && sem.len() !== 0) {
      throw new Error(`errgroup: modify limit while ${sem.len()} goroutines in the group are still active`);
    }
    this.#sem = new LocalChan<void>(n);
  }

  #finish(): void {
    const cancel = this.#cancel;
    if (cancel !== null) cancel(this.#err);
  }

  #start(fn: GroupFunc, sem: LocalChan<void> | null): void {
    this.#active++;
    spawn(runTask, [this, fn, sem]);
  }

  /** @internal Called by the goroutine when fn has finished (Go: g.done, and the errOnce block). */
  taskDone(err: Error | null, sem: LocalChan<void> | null): void {
    if (err !== null && this.#err === null) {
      this.#err = err;
      const cancel = this.#cancel;
      if (cancel !== null) cancel(err);
    }
    // Give back the token this goroutine took (Go: <-g.sem); there always is one.
    if (sem !== null) sem.pollRecv();
    if (--this.#active === 0) {
      const ws = this.#waiters;
      if (ws.length > 0) {
        this.#waiters = [];
        for (let i = 0; i < ws.length; i++) ready(ws[i] as Sudog);
      }
    }
  }
}

/**
 * The goroutine of one task: runs fn, then reports to the group. A task
 * that returns without a promise is finished in the goroutine's first
 * segment, with no promise of its own (most errgroup tasks are small).
 */
function runTask(g: Group, fn: GroupFunc, sem: LocalChan<void> | null): Promise<void> | undefined {
  showAs(fn);
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    g.taskDone(thrown(e), sem);
    return undefined;
  }
  if (result instanceof Promise) {
    return result.then(
      (v: unknown) => g.taskDone(asError(v), sem),
      (e: unknown) => g.taskDone(thrown(e), sem),
    );
  }
  g.taskDone(asError(result), sem);
  return undefined;
}

function thrown(e: unknown): Error {
  return asError(e) ?? new Error("errgroup: goroutine threw undefined");
}

function asError(v: unknown): Error | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Error) return v;
  return new Error(`errgroup: goroutine failed with ${describe(v)}`, { cause: v });
}

function checkFn(op: string, fn: unknown): void {
  if (typeof fn !== "function") throw new TypeError(`errgroup: ${op}: fn must be a function, received ${describe(fn)}`);
}

/**
 * A new Group and a context derived from `ctx` (Go: errgroup.WithContext).
 * The context is cancelled, with the error as its cause, the first time a
 * goroutine of the group fails, or when {@link Group.wait} returns, whichever
 * occurs first.
 */
export function withContext(ctx: Context): [group: Group, ctx: Context] {
  const [derived, cancel] = withCancelCause(ctx);
  const g = new Group();
  g.setCancel(cancel);
  return [g, derived];
}
