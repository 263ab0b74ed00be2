// atomic.Bool (Go 1.19): one word of the shared heap, 0 or 1.

import { ObjKind, SHARED_REF } from "../../internal/mn/object.ts";
import { claim, type SharedBlock, sharedBlock } from "../../internal/mn/syncobj.ts";
import { checkBool, defineAtomicKind, fieldIndex, heapViews, INSPECT, SHARED } from "./cell.ts";

function bool(op: string, name: string, v: unknown): 0 | 1 {
  return checkBool(`atomic: Bool.${op}`, name, v) ? 1 : 0;
}

/**
 * A boolean that goroutines on any thread read and change atomically (Go:
 * sync/atomic.Bool), in shared memory; it travels by reference to portable
 * goroutines and through shared channels.
 *
 * @example
 * ```ts
 * const stop = new Bool();
 * go(worker, stop);   // worker: while (!stop.load()) { ... }
 * stop.store(true);
 * ```
 */
export class Bool {
  /** @internal The shared object's block. */
  readonly [SHARED_REF]: number;
  readonly #a: Int32Array;
  readonly #i: number;

  /**
   * Makes a Bool holding `value` (default false) in shared memory, starting
   * the M:N runtime if this is the program's first shared object.
   * @throws TypeError if value is not a boolean.
   */
  constructor(value = false) {
    const block = sharedBlock(SHARED, ObjKind.Bool, 1, "Bool", () => bool("constructor", "value", value)) as SharedBlock;
    this.#a = heapViews().i32;
    this.#i = fieldIndex(block.ref, 4);
    this[SHARED_REF] = block.ref;
    if (block.fresh) Atomics.store(this.#a, this.#i, value ? 1 : 0);
    claim(this, block);
  }

  /** Atomically loads the value (Go: Load). */
  load(): boolean {
    return Atomics.load(this.#a, this.#i) !== 0;
  }

  /** Atomically stores `value` (Go: Store). */
  store(value: boolean): void {
    Atomics.store(this.#a, this.#i, bool("store", "value", value));
  }

  /**
   * Atomically stores `value` and returns the previous value (Go: Swap).
   * @example
   * ```ts
   * if (!closed.swap(true)) cleanUp(); // only the first caller cleans up
   * ```
   */
  swap(value: boolean): boolean {
    return Atomics.exchange(this.#a, this.#i, bool("swap", "value", value)) !== 0;
  }

  /** Stores `value` if the value is `old`, atomically; returns whether it did (Go: CompareAndSwap). */
  compareAndSwap(old: boolean, value: boolean): boolean {
    const o = bool("compareAndSwap", "old", old);
    return Atomics.compareExchange(this.#a, this.#i, o, bool("compareAndSwap", "new", value)) === o;
  }

  /** @internal How console.log shows it: `Bool(true)`. */
  [INSPECT](): string {
    return `Bool(${this.load()})`;
  }
}

defineAtomicKind(ObjKind.Bool, () => new Bool());
