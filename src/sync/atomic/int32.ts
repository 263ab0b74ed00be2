// atomic.Int32 and atomic.Uint32 (Go 1.19's typed atomics; And/Or from Go
// 1.23): one word of the shared heap, driven by Atomics.

import { ObjKind, SHARED_REF } from "../../internal/mn/object.ts";
import {
  atomicBlock,
  checkInt,
  claimAtomic,
  defineAtomicKind,
  fieldOf,
  heapViews,
  INSPECT,
  MAX_INT32,
  MAX_UINT32,
  MIN_INT32,
} from "./cell.ts";

function int32(op: string, name: string, v: unknown): number {
  return checkInt(`atomic: Int32.${op}`, name, v, MIN_INT32, MAX_INT32);
}

/**
 * An int32 that goroutines on any thread read and change atomically (Go:
 * sync/atomic.Int32). It lives in shared memory and travels by reference:
 * pass it to portable goroutines (`task()`) or send it on a shared channel,
 * and every thread sees the same value.
 *
 * Arithmetic wraps around as Go's does: adding 1 to 2147483647 gives
 * -2147483648. Arguments must be integers an int32 can hold.
 *
 * @example
 * ```ts
 * const hits = new Int32();
 * for (let i = 0; i < 8; i++) go(worker, hits); // worker: hits.add(1)
 * console.log(hits.load());
 * ```
 */
export class Int32 {
  /** @internal The shared object's block. */
  readonly [SHARED_REF]: number;
  readonly #a: Int32Array;
  readonly #i: number;

  /**
   * Makes an Int32 holding `value` (default 0) in shared memory, starting
   * the M:N runtime if this is the program's first shared object.
   * @throws TypeError if value is not an integer; RangeError if it is outside int32.
   */
  constructor(value = 0) {
    const { ref, fresh } = atomicBlock(ObjKind.Int32, 1, "Int32", () => int32("constructor", "value", value));
    this.#a = heapViews().i32;
    this.#i = fieldOf(ref);
    this[SHARED_REF] = ref;
    if (fresh) Atomics.store(this.#a, this.#i, value);
    claimAtomic(this, ref);
  }

  /** Atomically loads the value (Go: Load). */
  load(): number {
    return Atomics.load(this.#a, this.#i);
  }

  /** Atomically stores `value` (Go: Store). @throws TypeError, RangeError if value is not an int32. */
  store(value: number): void {
    Atomics.store(this.#a, this.#i, int32("store", "value", value));
  }

  /** Atomically stores `value` and returns the previous value (Go: Swap). */
  swap(value: number): number {
    return Atomics.exchange(this.#a, this.#i, int32("swap", "value", value));
  }

  /**
   * Stores `value` if the value is `old`, atomically; returns whether it did
   * (Go: CompareAndSwap).
   * @example
   * ```ts
   * for (let v = x.load(); !x.compareAndSwap(v, Math.max(v, seen)); v = x.load());
   * ```
   */
  compareAndSwap(old: number, value: number): boolean {
    const o = int32("compareAndSwap", "old", old);
    return Atomics.compareExchange(this.#a, this.#i, o, int32("compareAndSwap", "new", value)) === o;
  }

  /** Atomically adds `delta` and returns the new value, wrapping around (Go: Add). */
  add(delta: number): number {
    const d = int32("add", "delta", delta);
    return (Atomics.add(this.#a, this.#i, d) + d) | 0;
  }

  /** Atomically subtracts `delta` and returns the new value, wrapping around (Go: Add(-delta)). */
  sub(delta: number): number {
    const d = int32("sub", "delta", delta);
    return (Atomics.sub(this.#a, this.#i, d) - d) | 0;
  }

  /** Atomically ANDs the value with `mask` and returns the old value (Go 1.23: And). */
  and(mask: number): number {
    return Atomics.and(this.#a, this.#i, int32("and", "mask", mask));
  }

  /** Atomically ORs the value with `mask` and returns the old value (Go 1.23: Or). */
  or(mask: number): number {
    return Atomics.or(this.#a, this.#i, int32("or", "mask", mask));
  }

  /** @internal How console.log shows it: `Int32(5)`. */
  [INSPECT](): string {
    return `Int32(${this.load()})`;
  }
}

function uint32(op: string, name: string, v: unknown): number {
  return checkInt(`atomic: Uint32.${op}`, name, v, 0, MAX_UINT32);
}

/**
 * A uint32 that goroutines on any thread read and change atomically (Go:
 * sync/atomic.Uint32), in shared memory like {@link Int32}. Arithmetic wraps
 * modulo 2^32 as Go's does: subtracting 1 from 0 gives 4294967295. A delta
 * is a uint32, so subtract with `sub(n)` (Go: `Add(^uint32(n-1))`).
 *
 * @example
 * ```ts
 * const flags = new Uint32();
 * flags.or(1 << 3);
 * ```
 */
export class Uint32 {
  /** @internal The shared object's block. */
  readonly [SHARED_REF]: number;
  readonly #a: Uint32Array;
  readonly #i: number;

  /**
   * Makes a Uint32 holding `value` (default 0) in shared memory.
   * @throws TypeError if value is not an integer; RangeError if it is outside 0..2^32−1.
   */
  constructor(value = 0) {
    const { ref, fresh } = atomicBlock(ObjKind.Uint32, 1, "Uint32", () => uint32("constructor", "value", value));
    this.#a = heapViews().u32;
    this.#i = fieldOf(ref);
    this[SHARED_REF] = ref;
    if (fresh) Atomics.store(this.#a, this.#i, value);
    claimAtomic(this, ref);
  }

  /** Atomically loads the value (Go: Load). */
  load(): number {
    return Atomics.load(this.#a, this.#i);
  }

  /** Atomically stores `value` (Go: Store). */
  store(value: number): void {
    Atomics.store(this.#a, this.#i, uint32("store", "value", value));
  }

  /** Atomically stores `value` and returns the previous value (Go: Swap). */
  swap(value: number): number {
    return Atomics.exchange(this.#a, this.#i, uint32("swap", "value", value));
  }

  /** Stores `value` if the value is `old`, atomically; returns whether it did (Go: CompareAndSwap). */
  compareAndSwap(old: number, value: number): boolean {
    const o = uint32("compareAndSwap", "old", old);
    return Atomics.compareExchange(this.#a, this.#i, o, uint32("compareAndSwap", "new", value)) === o;
  }

  /** Atomically adds `delta` and returns the new value, modulo 2^32 (Go: Add). */
  add(delta: number): number {
    const d = uint32("add", "delta", delta);
    return (Atomics.add(this.#a, this.#i, d) + d) >>> 0;
  }

  /** Atomically subtracts `delta` and returns the new value, modulo 2^32 (Go: Add(^uint32(delta-1))). */
  sub(delta: number): number {
    const d = uint32("sub", "delta", delta);
    return (Atomics.sub(this.#a, this.#i, d) - d) >>> 0;
  }

  /** Atomically ANDs the value with `mask` and returns the old value (Go 1.23: And). */
  and(mask: number): number {
    return Atomics.and(this.#a, this.#i, uint32("and", "mask", mask));
  }

  /** Atomically ORs the value with `mask` and returns the old value (Go 1.23: Or). */
  or(mask: number): number {
    return Atomics.or(this.#a, this.#i, uint32("or", "mask", mask));
  }

  /** @internal How console.log shows it: `Uint32(5)`. */
  [INSPECT](): string {
    return `Uint32(${this.load()})`;
  }
}

defineAtomicKind(ObjKind.Int32, () => new Int32());
defineAtomicKind(ObjKind.Uint32, () => new Uint32());
