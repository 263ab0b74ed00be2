// atomic.Int64 and atomic.Uint64 (Go 1.19's typed atomics; And/Or from Go
// 1.23) with bigint values: an 8-byte-aligned pair of words of the shared
// heap, driven by Atomics on BigInt64Array / BigUint64Array views.

import { fatal } from "../../internal/shm/fatal.ts";
import { ObjKind, SHARED_REF } from "../../internal/mn/object.ts";
import {
  atomicBlock,
  checkBig,
  claimAtomic,
  defineAtomicKind,
  fieldOf,
  heapViews,
  INSPECT,
  MAX_INT64,
  MAX_UINT64,
  MIN_INT64,
} from "./cell.ts";

/** The index, in a 64-bit view, of the fields of block `ref`. */
function index64(ref: number): number {
  const w = fieldOf(ref);
  if ((w & 1) !== 0) fatal(`atomic: a 64-bit atomic at word ${w} is not 8-byte aligned`);
  return w >> 1;
}

function int64(op: string, name: string, v: unknown): bigint {
  return checkBig(`atomic: Int64.${op}`, name, v, MIN_INT64, MAX_INT64);
}

/**
 * An int64 that goroutines on any thread read and change atomically (Go:
 * sync/atomic.Int64), as a bigint. It lives in shared memory and travels by
 * reference to portable goroutines and through shared channels.
 *
 * Arithmetic wraps around as Go's does: adding 1n to 2n**63n-1n gives
 * -(2n**63n). Arguments must be bigints an int64 can hold (write `1n`, not `1`).
 *
 * @example
 * ```ts
 * const bytes = new Int64();
 * bytes.add(BigInt(chunk.length));
 * console.log(bytes.load()); // 4096n
 * ```
 */
export class Int64 {
  /** @internal The shared object's block. */
  readonly [SHARED_REF]: number;
  readonly #a: BigInt64Array;
  readonly #i: number;

  /**
   * Makes an Int64 holding `value` (default 0n) in shared memory, starting
   * the M:N runtime if this is the program's first shared object.
   * @throws TypeError if value is not a bigint; RangeError if it is outside int64.
   */
  constructor(value = 0n) {
    const { ref, fresh } = atomicBlock(ObjKind.Int64, 2, "Int64", () => int64("constructor", "value", value));
    this.#a = heapViews().i64;
    this.#i = index64(ref);
    this[SHARED_REF] = ref;
    if (fresh) Atomics.store(this.#a, this.#i, value);
    claimAtomic(this, ref);
  }

  /** Atomically loads the value (Go: Load). */
  load(): bigint {
    return Atomics.load(this.#a, this.#i);
  }

  /** Atomically stores `value` (Go: Store). */
  store(value: bigint): void {
    Atomics.store(this.#a, this.#i, int64("store", "value", value));
  }

  /** Atomically stores `value` and returns the previous value (Go: Swap). */
  swap(value: bigint): bigint {
    return Atomics.exchange(this.#a, this.#i, int64("swap", "value", value));
  }

  /** Stores `value` if the value is `old`, atomically; returns whether it did (Go: CompareAndSwap). */
  compareAndSwap(old: bigint, value: bigint): boolean {
    const o = int64("compareAndSwap", "old", old);
    return Atomics.compareExchange(this.#a, this.#i, o, int64("compareAndSwap", "new", value)) === o;
  }

  /** Atomically adds `delta` and returns the new value, wrapping around (Go: Add). */
  add(delta: bigint): bigint {
    const d = int64("add", "delta", delta);
    return BigInt.asIntN(64, Atomics.add(this.#a, this.#i, d) + d);
  }

  /** Atomically subtracts `delta` and returns the new value, wrapping around (Go: Add(-delta)). */
  sub(delta: bigint): bigint {
    const d = int64("sub", "delta", delta);
    return BigInt.asIntN(64, Atomics.sub(this.#a, this.#i, d) - d);
  }

  /** Atomically ANDs the value with `mask` and returns the old value (Go 1.23: And). */
  and(mask: bigint): bigint {
    return Atomics.and(this.#a, this.#i, int64("and", "mask", mask));
  }

  /** Atomically ORs the value with `mask` and returns the old value (Go 1.23: Or). */
  or(mask: bigint): bigint {
    return Atomics.or(this.#a, this.#i, int64("or", "mask", mask));
  }

  /** @internal How console.log shows it: `Int64(5n)`. */
  [INSPECT](): string {
    return `Int64(${this.load()}n)`;
  }
}

function uint64(op: string, name: string, v: unknown): bigint {
  return checkBig(`atomic: Uint64.${op}`, name, v, 0n, MAX_UINT64);
}

/**
 * A uint64 that goroutines on any thread read and change atomically (Go:
 * sync/atomic.Uint64), as a bigint in shared memory like {@link Int64}.
 * Arithmetic wraps modulo 2^64: subtracting 1n from 0n gives 2n**64n-1n. A
 * delta is a uint64, so subtract with `sub(n)` (Go: `Add(^uint64(n-1))`).
 *
 * @example
 * ```ts
 * const ops = new Uint64();
 * ops.add(1n);
 * ```
 */
export class Uint64 {
  /** @internal The shared object's block. */
  readonly [SHARED_REF]: number;
  readonly #a: BigUint64Array;
  readonly #i: number;

  /**
   * Makes a Uint64 holding `value` (default 0n) in shared memory.
   * @throws TypeError if value is not a bigint; RangeError if it is outside 0n..2n**64n-1n.
   */
  constructor(value = 0n) {
    const { ref, fresh } = atomicBlock(ObjKind.Uint64, 2, "Uint64", () => uint64("constructor", "value", value));
    this.#a = heapViews().u64;
    this.#i = index64(ref);
    this[SHARED_REF] = ref;
    if (fresh) Atomics.store(this.#a, this.#i, value);
    claimAtomic(this, ref);
  }

  /** Atomically loads the value (Go: Load). */
  load(): bigint {
    return Atomics.load(this.#a, this.#i);
  }

  /** Atomically stores `value` (Go: Store). */
  store(value: bigint): void {
    Atomics.store(this.#a, this.#i, uint64("store", "value", value));
  }

  /** Atomically stores `value` and returns the previous value (Go: Swap). */
  swap(value: bigint): bigint {
    return Atomics.exchange(this.#a, this.#i, uint64("swap", "value", value));
  }

  /** Stores `value` if the value is `old`, atomically; returns whether it did (Go: CompareAndSwap). */
  compareAndSwap(old: bigint, value: bigint): boolean {
    const o = uint64("compareAndSwap", "old", old);
    return Atomics.compareExchange(this.#a, this.#i, o, uint64("compareAndSwap", "new", value)) === o;
  }

  /** Atomically adds `delta` and returns the new value, modulo 2^64 (Go: Add). */
  add(delta: bigint): bigint {
    const d = uint64("add", "delta", delta);
    return BigInt.asUintN(64, Atomics.add(this.#a, this.#i, d) + d);
  }

  /** Atomically subtracts `delta` and returns the new value, modulo 2^64 (Go: Add(^uint64(delta-1))). */
  sub(delta: bigint): bigint {
    const d = uint64("sub", "delta", delta);
    return BigInt.asUintN(64, Atomics.sub(this.#a, this.#i, d) - d);
  }

  /** Atomically ANDs the value with `mask` and returns the old value (Go 1.23: And). */
  and(mask: bigint): bigint {
    return Atomics.and(this.#a, this.#i, uint64("and", "mask", mask));
  }

  /** Atomically ORs the value with `mask` and returns the old value (Go 1.23: Or). */
  or(mask: bigint): bigint {
    return Atomics.or(this.#a, this.#i, uint64("or", "mask", mask));
  }

  /** @internal How console.log shows it: `Uint64(5n)`. */
  [INSPECT](): string {
    return `Uint64(${this.load()}n)`;
  }
}

defineAtomicKind(ObjKind.Int64, () => new Int64());
defineAtomicKind(ObjKind.Uint64, () => new Uint64());
