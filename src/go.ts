// The go statement.

import { describe } from "./errors.ts";
import { spawn } from "./internal/sched.ts";

/**
 * Starts `fn(...args)` as a new goroutine (Go: `go fn(args...)`).
 *
 * The arguments are evaluated by the caller, now; the goroutine starts after
 * the caller blocks or yields (it is queued, as in Go). `fn` may be sync or
 * async. An error it throws and does not catch is a panic: gort prints
 * `panic: <message>`, the goroutine's id, stack and creator, and exits with
 * status 2 (see `setPanicHandler` in gort/runtime for tests).
 *
 * @throws TypeError if fn is not a function.
 * @example
 * ```ts
 * const done = chan<string>();
 * go(async (name: string) => { await done.send(`hello, ${name}`); }, "gopher");
 * console.log(await done.recv());
 * ```
 */
export function go<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
  if (typeof fn !== "function") throw new TypeError(`go: fn must be a function, received ${describe(fn)}`);
  spawn(fn, args.length === 0 ? null : args);
}
