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
// is 16, so the fields start on an 8-byte boundary).

import { describe } from "../../errors.ts";
import { shared } from "../../internal/mn/heap.ts";
import { defineKind, type ObjKind, SHARED_REF, type SharedObject } from "../../internal/mn/object.ts";
import { fields } from "../../internal/mn/syncstate.ts";
import { claim, type SharedBlock, sharedBlock, wrapAs } from "../../internal/mn/syncobj.ts";
import { fatal } from "../../internal/shm/fatal.ts";

/** How Node's util.inspect shows an atomic: `Int32(5)`. */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

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

/** The options every atomic is made with: it always lives in shared memory. */
export const SHARED = { shared: true } as const;

/** Registers how a thread that receives a handle of `kind` wraps it (`make` calls the constructor). */
export function defineAtomicKind(kind: ObjKind, make: () => SharedObject): void {
  defineKind(kind, { wrap: (ref) => wrapAs(ref, make) });
}

/** The index, in a view of `bytes`-byte elements, of the fields of block `ref`. */
export function fieldIndex(ref: number, bytes: 4 | 8): number {
  const w = fields(ref);
  if (bytes === 4) return w;
  if ((w & 1) !== 0) fatal(`atomic: a 64-bit atomic at word ${w} is not 8-byte aligned`);
  return w >> 1;
}

// -- The integer types --

/** What one integer type (Int32, Uint32, Int64, Uint64) brings to IntegerAtomic. */
export interface IntegerType<T extends number | bigint> {
  readonly name: string;
  readonly kind: ObjKind;
  /** Bytes per value: 4 or 8. */
  readonly bytes: 4 | 8;
  /** This thread's view of the shared heap for the type. */
  view(v: Views): Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
  /** `v` if the type can hold it, else a TypeError or RangeError naming `where` and `name`. */
  check(where: string, name: string, v: unknown): T;
  /** The result of add/sub wrapped around as the Go type does. */
  wrap(v: T): T;
  /** The value as util.inspect shows it: `5` or `5n`. */
  show(v: T): string;
}

/**
 * Atomics works the same on each view an integer type uses; TypeScript
 * cannot pick among its overloads for a generic element type, so
 * IntegerAtomic sees it through this one signature.
 */
interface AtomicsOf<T> {
  load(a: object, i: number): T;
  store(a: object, i: number, v: T): T;
  exchange(a: object, i: number, v: T): T;
  compareExchange(a: object, i: number, old: T, v: T): T;
  add(a: object, i: number, v: T): T;
  sub(a: object, i: number, v: T): T;
  and(a: object, i: number, v: T): T;
  or(a: object, i: number, v: T): T;
}

/** Go's atomic integer types, over one view of the shared heap (see IntegerType). */
export abstract class IntegerAtomic<T extends number | bigint> {
  /** @internal The shared object's block. */
  readonly [SHARED_REF]: number;
  readonly #t: IntegerType<T>;
  readonly #a: object;
  readonly #i: number;
  readonly #A = Atomics as unknown as AtomicsOf<T>;

  protected constructor(t: IntegerType<T>, value: T) {
    const block = sharedBlock(SHARED, t.kind, t.bytes / 4, t.name, () => t.check(`atomic: ${t.name}.constructor`, "value", value));
    const { ref, fresh } = block as SharedBlock;
    this.#t = t;
    this.#a = t.view(heapViews());
    this.#i = fieldIndex(ref, t.bytes);
    this[SHARED_REF] = ref;
    if (fresh) this.#A.store(this.#a, this.#i, value);
    claim(this, block as SharedBlock);
  }

  #check(op: string, name: string, v: unknown): T {
    return this.#t.check(`atomic: ${this.#t.name}.${op}`, name, v);
  }

  /** Atomically loads the value (Go: Load). */
  load(): T {
    return this.#A.load(this.#a, this.#i);
  }

  /** Atomically stores `value` (Go: Store). */
  store(value: T): void {
    this.#A.store(this.#a, this.#i, this.#check("store", "value", value));
  }

  /** Atomically stores `value` and returns the previous value (Go: Swap). */
  swap(value: T): T {
    return this.#A.exchange(this.#a, this.#i, this.#check("swap", "value", value));
  }

  /** Stores `value` if the value is `old`, atomically; returns whether it did (Go: CompareAndSwap). */
  compareAndSwap(old: T, value: T): boolean {
    const o = this.#check("compareAndSwap", "old", old);
    return this.#A.compareExchange(this.#a, this.#i, o, this.#check("compareAndSwap", "new", value)) === o;
  }

  /** Atomically adds `delta` and returns the new value, wrapping around as the Go type does (Go: Add). */
  add(delta: T): T {
    const d = this.#check("add", "delta", delta);
    return this.#t.wrap(((this.#A.add(this.#a, this.#i, d) as number) + (d as number)) as T);
  }

  /** Atomically subtracts `delta` and returns the new value, wrapping around (Go: Add(-delta), or Add(^(delta-1)) for unsigned types). */
  sub(delta: T): T {
    const d = this.#check("sub", "delta", delta);
    return this.#t.wrap(((this.#A.sub(this.#a, this.#i, d) as number) - (d as number)) as T);
  }

  /** Atomically ANDs the value with `mask` and returns the old value (Go 1.23: And). */
  and(mask: T): T {
    return this.#A.and(this.#a, this.#i, this.#check("and", "mask", mask));
  }

  /** Atomically ORs the value with `mask` and returns the old value (Go 1.23: Or). */
  or(mask: T): T {
    return this.#A.or(this.#a, this.#i, this.#check("or", "mask", mask));
  }

  /** @internal How console.log shows it: `Int32(5)`, `Int64(5n)`. */
  [INSPECT](): string {
    return `${this.#t.name}(${this.#t.show(this.load())})`;
  }
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

