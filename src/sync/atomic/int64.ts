// atomic.Int64 and atomic.Uint64 (Go 1.19's typed atomics; And/Or from Go
// 1.23) with bigint values: an 8-byte-aligned pair of words of the shared
// heap (cell.ts IntegerAtomic).

import { ObjKind } from "../../internal/mn/object.ts";
import { checkBig, defineAtomicKind, IntegerAtomic, type IntegerType, MAX_INT64, MAX_UINT64, MIN_INT64 } from "./cell.ts";

const show = (v: bigint): string => `${v}n`;

const INT64: IntegerType<bigint> = {
  name: "Int64",
  kind: ObjKind.Int64,
  bytes: 8,
  view: (v) => v.i64,
  check: (where, name, v) => checkBig(where, name, v, MIN_INT64, MAX_INT64),
  wrap: (v) => BigInt.asIntN(64, v),
  show,
};

const UINT64: IntegerType<bigint> = {
  name: "Uint64",
  kind: ObjKind.Uint64,
  bytes: 8,
  view: (v) => v.u64,
  check: (where, name, v) => checkBig(where, name, v, 0n, MAX_UINT64),
  wrap: (v) => BigInt.asUintN(64, v),
  show,
};

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
export class Int64 extends IntegerAtomic<bigint> {
  /**
   * Makes an Int64 holding `value` (default 0n) in shared memory, starting
   * the M:N runtime if this is the program's first shared object.
   * @throws TypeError if value is not a bigint; RangeError if it is outside int64.
   */
  constructor(value = 0n) {
    super(INT64, value);
  }
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
export class Uint64 extends IntegerAtomic<bigint> {
  /**
   * Makes a Uint64 holding `value` (default 0n) in shared memory.
   * @throws TypeError if value is not a bigint; RangeError if it is outside 0n..2n**64n-1n.
   */
  constructor(value = 0n) {
    super(UINT64, value);
  }
}

defineAtomicKind(ObjKind.Int64, () => new Int64());
defineAtomicKind(ObjKind.Uint64, () => new Uint64());
