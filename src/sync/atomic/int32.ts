// atomic.Int32 and atomic.Uint32 (Go 1.19's typed atomics; And/Or from Go
// 1.23): one word of the shared heap (cell.ts IntegerAtomic).

import { ObjKind } from "../../internal/mn/object.ts";
import { checkInt, defineAtomicKind, IntegerAtomic, type IntegerType, MAX_INT32, MAX_UINT32, MIN_INT32 } from "./cell.ts";

const INT32: IntegerType<number> = {
  name: "Int32",
  kind: ObjKind.Int32,
  bytes: 4,
  view: (v) => v.i32,
  check: (where, name, v) => checkInt(where, name, v, MIN_INT32, MAX_INT32),
  wrap: (v) => v | 0,
  show: String,
};

const UINT32: IntegerType<number> = {
  name: "Uint32",
  kind: ObjKind.Uint32,
  bytes: 4,
  view: (v) => v.u32,
  check: (where, name, v) => checkInt(where, name, v, 0, MAX_UINT32),
  wrap: (v) => v >>> 0,
  show: String,
};

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
export class Int32 extends IntegerAtomic<number> {
  /**
   * Makes an Int32 holding `value` (default 0) in shared memory, starting
   * the M:N runtime if this is the program's first shared object.
   * @throws TypeError if value is not an integer; RangeError if it is outside int32.
   */
  constructor(value = 0) {
    super(INT32, value);
  }
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
export class Uint32 extends IntegerAtomic<number> {
  /**
   * Makes a Uint32 holding `value` (default 0) in shared memory.
   * @throws TypeError if value is not an integer; RangeError if it is outside 0..2^32−1.
   */
  constructor(value = 0) {
    super(UINT32, value);
  }
}

defineAtomicKind(ObjKind.Int32, () => new Int32());
defineAtomicKind(ObjKind.Uint32, () => new Uint32());
