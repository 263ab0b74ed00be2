// Portable goroutines' functions: task(import.meta, fn) registers fn under a
// key made of its module's URL and its rank among the module's tasks, so a
// worker thread that imports the same URL registers the same function under
// the same key (docs/design/mn.md "Portable goroutines"). The key is
// interned in shared memory (strings.ts); a G names its task by that index.

import { pathToFileURL } from "node:url";
import { describe } from "../../errors.ts";
import { intern, lookup } from "./strings.ts";

/** A function declared portable with task(): runs on whichever thread takes it. */
export type Task<F extends (...args: never[]) => unknown> = F & { readonly __gortTask: true };

const keyOf = new WeakMap<object, string>();
const byKey = new Map<string, (...args: unknown[]) => unknown>();
const idOf = new WeakMap<object, number>();
const byId: ((...args: unknown[]) => unknown)[] = [];
const perModule = new Map<string, number>();

/**
 * A task's mark: an own property holding the function itself (one inherited
 * from a task in the prototype chain holds another function). go() asks
 * isTask of every function it starts; reading a property a function lacks
 * costs ~1 ns where a WeakMap lookup costs ~15.
 */
const TASK_MARK = Symbol("gort.task");
/** Whether a task could not be marked (its function was frozen or sealed): then isTask also asks keyOf. */
let unmarkedTasks = false;

/**
 * Declares `fn` portable: `go(t, ...args)` may then run it on any thread.
 * Call it at the top level of a module, passing that module's `import.meta`;
 * worker threads import the module by its URL to find `fn`, so the module's
 * top-level code also runs in them (keep side effects in `main`). Arguments
 * are copied (structured clone); shared channels, shared sync objects and
 * atomics travel by reference.
 *
 * Returns `fn` itself, marked: it can still be called directly.
 *
 * @example
 * ```ts
 * export const square = task(import.meta, async (x: number, out: SendChan<number>) => {
 *   await out.send(x * x);
 * });
 * ```
 */
export function task<F extends (...args: never[]) => unknown>(meta: ImportMeta, fn: F): Task<F> {
  if (typeof meta !== "object" || meta === null || typeof (meta as { url?: unknown }).url !== "string") {
    throw new TypeError(`task: the first argument must be the module's import.meta, received ${describe(meta)}`);
  }
  if (typeof fn !== "function") throw new TypeError(`task: fn must be a function, received ${describe(fn)}`);
  if (keyOf.has(fn)) throw new TypeError(`task: ${fn.name || "this function"} is already a task`);
  const url = meta.url;
  const rank = perModule.get(url) ?? 0;
  perModule.set(url, rank + 1);
  const key = `${url}#${rank}`;
  keyOf.set(fn, key);
  byKey.set(key, fn as unknown as (...args: unknown[]) => unknown);
  if (Object.isExtensible(fn)) {
    Object.defineProperty(fn, TASK_MARK, { value: fn });
  } else {
    unmarkedTasks = true;
  }
  return fn as Task<F>;
}

/** Whether fn was declared with task(). */
export function isTask(fn: object): boolean {
  return (fn as { [TASK_MARK]?: object })[TASK_MARK] === fn || (unmarkedTasks && keyOf.has(fn));
}

/** The shared index of task `fn` (interning its key on first use). */
export function taskId(fn: object): number {
  if (fn === lastTask) return lastTaskId;
  let id = idOf.get(fn);
  if (id === undefined) {
    id = intern(keyOf.get(fn) as string);
    idOf.set(fn, id);
    byId[id] = fn as (...args: unknown[]) => unknown;
  }
  lastTask = fn;
  lastTaskId = id;
  return id;
}

/** The task taskId was last asked about, and its index (a loop of go(t, …) asks about one task). */
let lastTask: object | null = null;
let lastTaskId = 0;

/** The function of task `id` if this thread has loaded its module, else undefined. */
export function taskFn(id: number): ((...args: unknown[]) => unknown) | undefined {
  const known = byId[id];
  if (known !== undefined) return known;
  const fn = byKey.get(lookup(id));
  if (fn !== undefined) byId[id] = fn;
  return fn;
}

const loading = new Map<string, Promise<void>>();
let tsxRegistered = false;

/** Imports the module of task `id` in this thread (registering the TypeScript loader for .ts modules). */
export function loadTask(id: number): Promise<void> {
  const key = lookup(id);
  const url = key.slice(0, key.lastIndexOf("#"));
  let p = loading.get(url);
  if (p === undefined) {
    p = importModule(url).then(() => {
      if (byKey.get(key) === undefined) {
        throw new Error(`gort: task ${key} was not declared when ${url} was loaded in a worker thread (declare tasks at the module's top level)`);
      }
    });
    loading.set(url, p);
  }
  return p;
}

async function importModule(url: string): Promise<void> {
  if (!tsxRegistered && /\.(m|c)?tsx?$/.test(new URL(url).pathname)) {
    const { register } = await import("tsx/esm/api");
    register();
    tsxRegistered = true;
  }
  await import(url.startsWith("file:") || url.includes(":") ? url : pathToFileURL(url).href);
}
