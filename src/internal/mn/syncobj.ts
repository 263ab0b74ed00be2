// How a sync object (WaitGroup, Mutex, RWMutex, Once) becomes shared: made
// with `{ shared: true }`, it allocates its state as a shared object; made
// from a handle that arrived from another thread (object.ts), it wraps the
// existing one. Its constructor calls sharedBlock() for the block, and
// claim() once the wrapper is built.

import { describe } from "../../errors.ts";
import { ensureShared } from "./boot.ts";
import { adopt, allocShared, type ObjKind } from "./object.ts";

/** Options of the sync types' constructors. */
export interface SyncOptions {
  /**
   * Put the state in shared memory, so that goroutines on every thread can
   * use it: pass it to portable goroutines (`task()`) or send it on shared
   * channels; it travels by reference.
   */
  readonly shared?: boolean;
}

let wrapping: number | undefined;

/** A sync object's block, and whether it was just made (else it is being wrapped). */
export interface SharedBlock {
  readonly ref: number;
  readonly fresh: boolean;
}

/** Builds, with `make`, this thread's wrapper of the existing shared object `ref`. */
export function wrapAs<T>(ref: number, make: () => T): T {
  wrapping = ref;
  try {
    return make();
  } finally {
    wrapping = undefined;
  }
}

/**
 * The block a sync object's constructor should use: the one being wrapped
 * (not fresh), a new one if `options.shared` (fresh; `check` runs first, so
 * a bad argument allocates nothing), or undefined for a local object.
 */
export function sharedBlock(
  options: SyncOptions | undefined,
  kind: ObjKind,
  words: number,
  what: string,
  check?: () => void,
): SharedBlock | undefined {
  if (wrapping !== undefined) {
    const ref = wrapping;
    wrapping = undefined;
    return { ref, fresh: false };
  }
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`sync: ${what}: options must be an object, received ${describe(options)}`);
  }
  if (options?.shared !== true) return undefined;
  check?.();
  ensureShared();
  return { ref: allocShared(kind, words), fresh: true };
}

/** Registers a newly made shared object's wrapper (a wrapped one is registered by object.ts). */
export function claim(obj: object, block: SharedBlock): void {
  if (block.fresh) adopt(obj, block.ref);
}

/** The advice value.ts gives when a local sync object is passed to another thread. */
export function localAdvice(what: string, ctor: string): string {
  return `a ${what} local to its thread: make it with new ${ctor}({ shared: true }) to use it from another thread`;
}
