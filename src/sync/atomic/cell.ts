// What the atomic types share: a shared object (internal/mn/object.ts) whose
// fields hold the value, views of the shared heap to drive it with Atomics,
// and the checks of their arguments.
//
// An atomic always lives in the shared heap (Go's atomics are plain memory
// that any thread may touch), so making the first one boots the M:N runtime
// (internal/mn/boot.ts). It travels by reference: to portable goroutines as
// an argument, through shared channels, inside cloned values.
//
// Fields: Int32, Uint32 and Bool use one Int32 word; Int64 and Uint64 two,
// 8-byte aligned (a block's data starts at a word ≡ 2 mod 4, and OBJ_FIELDS
// is 2, so the fields start on a 16-byte boundary).

import { describe } from "../../errors.ts";
import { shared } from "../../internal/mn/heap.ts";
import { defineKind, type ObjKind, type SharedObject } from "../../internal/mn/object.ts";
import { fields } from "../../internal/mn/syncstate.ts";
import { claim, sharedRefFor, wrapAs } from "../../internal/mn/syncobj.ts";

/** This thread's views of the shared heap, for each element type the atomics use. */
export interface Views {
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;
}

let views: (Views & { readonly sab: SharedArrayBuffer }) | null = null;

/** This thread's views of the shared heap (made once per thread). */
export function heapViews(): Views {
  const { sab, i32 } = shared();
  if (views === null || views.sab !== sab) {
    views = { sab, i32, u32: new Uint32Array(sab), i64: new BigInt64Array(sab), u64: new BigUint64Array(sab) };
  }
  return views;
}

let wrapping = false;
const SHARED = { shared: true } as const;

/**
 * The block of a new atomic, for its constructor: a new block (`fresh`: the
 * constructor stores the initial value, which `check` has checked before
 * anything was allocated) or, when a handle from another thread is being
 * wrapped, the existing one (its value is left alone, `check` not called).
 */
export function atomicBlock(kind: ObjKind, words: number, what: string, check: () => void): { readonly ref: number; readonly fresh: boolean } {
  const fresh = !wrapping;
  wrapping = false;
  if (fresh) check();
  const ref = sharedRefFor(SHARED, kind, words, what) as number;
  return { ref, fresh };
}

/** Registers a fresh atomic's wrapper (call once the wrapper is built). */
export function claimAtomic(obj: SharedObject, ref: number): void {
  claim(obj, ref);
}

/** The first field word of block `ref`. */
export function fieldOf(ref: number): number {
  return fields(ref);
}

/** Registers how a thread that receives a handle of `kind` wraps it (`make` calls the constructor). */
export function defineAtomicKind(kind: ObjKind, make: () => SharedObject): void {
  defineKind(kind, {
    wrap: (ref) => {
      wrapping = true;
      try {
        return wrapAs(ref, make);
      } finally {
        wrapping = false;
      }
    },
  });
}

// -- Checks: a TypeError for the wrong type, a RangeError for a value the Go type cannot hold --

export const MIN_INT32 = -(2 ** 31);
export const MAX_INT32 = 2 ** 31 - 1;
export const MAX_UINT32 = 2 ** 32 - 1;
export const MIN_INT64 = -(2n ** 63n);
export const MAX_INT64 = 2n ** 63n - 1n;
export const MAX_UINT64 = 2n ** 64n - 1n;

/** `v` as a number in [min, max], else a TypeError (not an integer) or RangeError (out of range). */
export function checkInt(where: string, name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    const hint = typeof v === "bigint" ? " (a number, not a bigint)" : "";
    throw new TypeError(`${where}: ${name} must be an integer${hint}, received ${describe(v)}`);
  }
  if (v < min || v > max) {
    const advice = min === 0 && v < 0 && name === "delta" ? " (use sub() to subtract)" : "";
    throw new RangeError(`${where}: ${name} must be an integer from ${min} to ${max}, received ${v}${advice}`);
  }
  return v;
}

/** `v` as a bigint in [min, max], else a TypeError (not a bigint) or RangeError (out of range). */
export function checkBig(where: string, name: string, v: unknown, min: bigint, max: bigint): bigint {
  if (typeof v !== "bigint") {
    const hint = typeof v === "number" && Number.isInteger(v) ? ` (write ${v}n)` : "";
    throw new TypeError(`${where}: ${name} must be a bigint${hint}, received ${describe(v)}`);
  }
  if (v < min || v > max) {
    const advice = min === 0n && v < 0n && name === "delta" ? " (use sub() to subtract)" : "";
    throw new RangeError(`${where}: ${name} must be a bigint from ${min}n to ${max}n, received ${v}n${advice}`);
  }
  return v;
}

/** `v` if it is a boolean, else a TypeError. */
export function checkBool(where: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${where}: ${name} must be a boolean, received ${describe(v)}`);
  return v;
}

/** How Node's util.inspect shows an atomic: `Int32(5)`. */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
