// The go statement.

import { describe } from "./errors.ts";
import { spawn } from "./internal/sched.ts";
import { ensureShared } from "./internal/mn/boot.ts";
import { goPortable } from "./internal/mn/proc.ts";
import { isTask } from "./internal/mn/task.ts";

/**
 * Starts `fn(...args)` as a new goroutine (Go: `go fn(args...)`).
 *
 * The arguments are evaluated by the caller, now; the goroutine starts after
 * the caller blocks or yields (it is queued, as in Go). `fn` may be sync or
 * async. An error it throws and does not catch is a panic: gort prints
 * `panic: <message>`, the goroutine's id, stack and creator, and exits with
 * status 2 (see `setPanicHandler` in gort/runtime for tests).
 *
 * A function declared with `task(import.meta, fn)` starts a *portable*
 * goroutine instead: its arguments are copied (structured clone; shared
 * channels and sync objects by reference) and it runs on one of GOMAXPROCS
 * worker threads, in parallel with the others.
 *
 * @throws TypeError if fn is not a function, or if fn is a task and an
 * argument cannot be sent to another thread (a function, a local channel).
 * @example
 * ```ts
 * const done = chan<string>();
 * go(async (name: string) => { await done.send(`hello, ${name}`); }, "gopher");
 * console.log(await done.recv());
 * ```
 */
export function go<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
  if (typeof fn !== "function") throw new TypeError(`go: fn must be a function, received ${describe(fn)}`);
  if (isTask(fn)) {
    // A portable goroutine (task()): its arguments are copied now; it runs on a worker thread.
    ensureShared();
    goPortable(fn, args);
    return;
  }
  spawn(fn, args.length === 0 ? null : args);
}
