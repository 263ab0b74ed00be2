// The slice of gort's M:N API the cross-thread scenarios use: task(), go(),
// chan(n, { shared: true }) and gomaxprocs(). It is being built alongside
// these benchmarks, so this file reads the exports at run time and types them
// here: `tsc -b` compiles whether or not gort exports them yet, and a missing
// task() makes the scenario fail at import with a message the harness shows
// as "not available". Once gort exports them with these shapes, the scenarios
// can import from "gort" and "gort/runtime" directly and this file can go.

import * as gort from "gort";
import * as runtime from "gort/runtime";
import type { Chan } from "gort";

export type { Chan, RecvChan, SendChan } from "gort";

/** A portable goroutine function (gort: `Task<F>`): still callable, marked for go(). */
export type Task<F extends (...args: never[]) => unknown> = F & { readonly __gortTask: true };

type TaskFn = <F extends (...args: never[]) => unknown>(meta: ImportMeta, fn: F) => Task<F>;

function missingTask(): never {
  throw new Error(
    'gort does not export task() yet (import { task } from "gort"): portable goroutines, and so the M:N scheduler, are not available',
  );
}

/**
 * task(import.meta, fn): declares fn portable. gort's own function when it
 * exports one (passed through unwrapped, so the call site is the scenario's
 * top level); else it throws.
 */
export const task: TaskFn = ((gort as { task?: TaskFn }).task ?? missingTask) as TaskFn;

/** go(fn, ...args): a portable goroutine if fn is a task, else a local one. */
export const go = gort.go as <A extends unknown[]>(fn: (...args: A) => unknown, ...args: A) => void;

/** chan(capacity, { shared: true }): a channel in shared memory, usable from any thread. */
export const chan = gort.chan as <T>(capacity?: number, options?: { readonly shared?: boolean }) => Chan<T>;

/** gomaxprocs(): the number of Ps (threads that run goroutines at once). */
export const gomaxprocs = runtime.gomaxprocs;
