// sync.Once (Go: src/sync/once.go) and Go 1.21's OnceFunc, OnceValue and
// OnceValues (src/sync/oncefunc.go).
//
// Once is Go's: a `done` word for the fast path and a mutex that callers
// queue on while the first call's function runs, so that no do() resolves
// before that function has completed. The function may be async: "has
// completed" is then "its promise has settled". A function that throws (or
// rejects) still counts as done, as a panicking f does in Go: the caller that
// ran it gets the error, every later do() is a no-op.
//
// When the mutex is free, do() runs the function synchronously in the
// caller, as Go does; only callers that find it held wait (reason
// "sync.Mutex.Lock", as in Go, where they block on Once.m).
//
// Where the state lives: a OnceState (one Word and a MutexState, see
// internal/sema.ts and mutex.ts); a shared-memory Once provides one in a
// SharedArrayBuffer. The functions passed to do() never cross threads.

import { describe } from "../errors.ts";
import { WaitReason } from "../internal/g.ts";
import { nonBlocking } from "../internal/sched.ts";
import { LocalWord, type Word } from "../internal/sema.ts";
import { LocalMutexState, type MutexState, mutexLock, mutexTryLock, mutexUnlock } from "./mutex.ts";
import { LOCAL_ONLY } from "../internal/mn/localonly.ts";
import { defineKind, ObjKind, SHARED_REF } from "../internal/mn/object.ts";
import { destroySemas, fields, SharedOnceState, ONCE_WORDS } from "../internal/mn/syncstate.ts";
import { claim, localAdvice, sharedBlock, type SyncOptions, wrapAs } from "../internal/mn/syncobj.ts";

/** Where a Once's state lives (see the file header). */
export interface OnceState {
  readonly done: Word;
  readonly m: MutexState;
}

/** A OnceState in plain fields, for goroutines of one thread. */
export class LocalOnceState implements OnceState {
  readonly done = new LocalWord();
  readonly m = new LocalMutexState();
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function"
  );
}

/** Runs f with o.m held and o.done still 0; then sets done and unlocks (Go's deferred StoreUint32 and Unlock). */
function runOnce(o: OnceState, f: () => unknown): Promise<void> {
  let r: unknown;
  try {
    r = f();
  } catch (err) {
    finish(o);
    return Promise.reject(err);
  }
  if (isThenable(r)) {
    return Promise.resolve(r).then(
      () => finish(o),
      (err: unknown) => {
        finish(o);
        throw err;
      },
    );
  }
  finish(o);
  return nonBlocking();
}

function finish(o: OnceState): void {
  o.done.store(1);
  mutexUnlock(o.m);
}

async function doSlow(o: OnceState, f: () => unknown): Promise<void> {
  await mutexLock(o.m, WaitReason.SyncMutexLock);
  if (o.done.load() !== 0) {
    mutexUnlock(o.m);
    return;
  }
  return runOnce(o, f);
}

/** Go's Once.Do on `o`. */
export function onceDo(o: OnceState, f: () => unknown): Promise<void> {
  if (o.done.load() !== 0) return nonBlocking();
  if (mutexTryLock(o.m)) {
    // Nobody is running f: run it here (the re-check of done is Go's).
    if (o.done.load() !== 0) {
      mutexUnlock(o.m);
      return nonBlocking();
    }
    return runOnce(o, f);
  }
  return doSlow(o, f);
}

/**
 * Runs a function exactly once (Go: sync.Once).
 *
 * Blocking: a `do()` that finds the first call's function still running
 * waits for it, with reason "sync.Mutex.Lock" (Go's callers block on
 * Once's inner mutex). Calling `do()` on the same Once from inside its own
 * function therefore never completes, as in Go.
 * Panics: if the function throws or rejects, the `do()` that ran it rejects
 * with that error; the Once still counts as done.
 *
 * @example
 * ```ts
 * const once = new Once();
 * let config: Config | undefined;
 * async function getConfig(): Promise<Config> {
 *   await once.do(async () => { config = await loadConfig(); });
 *   return config!;
 * }
 * ```
 */
export class Once {
  readonly #o: OnceState;
  /** @internal The shared object's block (undefined: local to this thread). */
  readonly [SHARED_REF]: number | undefined;

  /**
   * Makes a Once, local to this thread unless `options.shared` puts it in
   * shared memory, for goroutines on every thread (portable goroutines,
   * `task()`); a shared one travels by reference.
   */
  constructor(options?: SyncOptions) {
    const block = sharedBlock(options, ObjKind.Once, ONCE_WORDS, "Once");
    this.#o = block === undefined ? new LocalOnceState() : new SharedOnceState(fields(block.ref), block.ref);
    this[SHARED_REF] = block?.ref;
    if (block !== undefined) claim(this, block);
  }

  /** @internal What to say when a local Once is passed to another thread. */
  get [LOCAL_ONLY](): string | undefined {
    return this[SHARED_REF] === undefined ? localAdvice("Once", "Once") : undefined;
  }

  /**
   * Calls `f` if and only if this is the first `do()` on this Once (Go: Do),
   * even if later calls pass a different function. Resolves when `f` has
   * completed — also for callers that arrived while the first call's `f`
   * was running. `f` may be sync (it then runs before `do()` returns, as in
   * Go) or async.
   *
   * Blocking: "sync.Mutex.Lock" while another call's `f` runs.
   * Panics: rejects with what `f` threw, for the caller that ran it; later calls resolve without calling anything.
   * @throws TypeError if f is not a function.
   * @example
   * ```ts
   * const once = new Once();
   * await once.do(() => console.log("only once"));
   * await once.do(() => console.log("never printed"));
   * ```
   */
  do(f: () => unknown): Promise<void> {
    if (typeof f !== "function") throw new TypeError(`sync: Once.do: f must be a function, received ${describe(f)}`);
    return onceDo(this.#o, f);
  }
}

/** The outcome of the one call a onceFunc/onceValue/onceValues function makes. */
interface Outcome<T> {
  valid: boolean;
  value: T | undefined;
  error: unknown;
}

function makeOnce<T>(what: string, f: () => T | PromiseLike<T>): () => Promise<T> {
  if (typeof f !== "function") throw new TypeError(`sync: ${what}: f must be a function, received ${describe(f)}`);
  const once = new LocalOnceState();
  const out: Outcome<T> = { valid: false, value: undefined, error: undefined };
  let fn: (() => T | PromiseLike<T>) | null = f;
  const g = (): unknown => {
    const call = fn as () => T | PromiseLike<T>;
    fn = null; // do not keep f alive after calling it
    let r: T | PromiseLike<T>;
    try {
      r = call();
    } catch (err) {
      out.error = err;
      throw err;
    }
    if (isThenable(r)) {
      return Promise.resolve(r).then(
        (v) => {
          out.value = v;
          out.valid = true;
        },
        (err: unknown) => {
          out.error = err;
          throw err;
        },
      );
    }
    out.value = r;
    out.valid = true;
    return undefined;
  };
  const result = (): T => {
    if (!out.valid) throw out.error;
    return out.value as T;
  };
  return (): Promise<T> => {
    if (out.valid) return Promise.resolve(out.value as T);
    return onceDo(once, g).then(result, result);
  };
}

/**
 * Returns a function that calls `f` only once (Go 1.21: sync.OnceFunc).
 * Every call resolves after that one call of `f` has completed. If `f`
 * throws or rejects, every call — the first and all later ones — rejects
 * with the same error.
 *
 * Blocking: a call made while `f` runs waits for it ("sync.Mutex.Lock").
 * Panics: rethrows `f`'s error on every call.
 * @throws TypeError if f is not a function.
 * @example
 * ```ts
 * const closeOnce = onceFunc(() => conn.close());
 * await closeOnce();
 * await closeOnce(); // no second close
 * ```
 */
export function onceFunc(f: () => void | PromiseLike<void>): () => Promise<void> {
  return makeOnce<void>("onceFunc", f);
}

/**
 * Returns a function that calls `f` only once and resolves with its value on
 * every call (Go 1.21: sync.OnceValue). If `f` throws or rejects, every call
 * rejects with the same error.
 *
 * Blocking: a call made while `f` runs waits for it ("sync.Mutex.Lock").
 * Panics: rethrows `f`'s error on every call.
 * @throws TypeError if f is not a function.
 * @example
 * ```ts
 * const config = onceValue(async () => JSON.parse(await readFile("config.json", "utf8")));
 * const a = await config();
 * const b = await config(); // same object, file read once
 * ```
 */
export function onceValue<T>(f: () => T | PromiseLike<T>): () => Promise<T> {
  return makeOnce<T>("onceValue", f);
}

/** A fresh copy of a pair (each caller gets its own array, as Go's results are values). */
function pair<T1, T2>(p: readonly [T1, T2]): [T1, T2] {
  return [p[0], p[1]];
}

/**
 * Returns a function that calls `f` only once and resolves with its pair of
 * values on every call (Go 1.21: sync.OnceValues, for Go's `(T, error)`
 * results). If `f` throws or rejects, every call rejects with the same error.
 *
 * Blocking: a call made while `f` runs waits for it ("sync.Mutex.Lock").
 * Panics: rethrows `f`'s error on every call.
 * @throws TypeError if f is not a function.
 * @example
 * ```ts
 * const load = onceValues((): [Data | null, Error | null] => {
 *   try { return [parse(raw), null]; } catch (e) { return [null, e as Error]; }
 * });
 * const [data, err] = await load();
 * ```
 */
export function onceValues<T1, T2>(f: () => readonly [T1, T2] | PromiseLike<readonly [T1, T2]>): () => Promise<[T1, T2]> {
  const get = makeOnce<readonly [T1, T2]>("onceValues", f);
  return (): Promise<[T1, T2]> => get().then(pair) as Promise<[T1, T2]>;
}

defineKind(ObjKind.Once, {
  wrap: (ref) => wrapAs(ref, () => new Once()),
  destroy: (ref) => destroySemas(new SharedOnceState(fields(ref), ref)),
});
