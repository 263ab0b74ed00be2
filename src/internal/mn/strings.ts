// Interned strings shared by every thread: task keys and creator names are
// stored once and named by a small integer, which fits in a G-table word.
// Each thread caches what it has looked up; the table only grows.

import { RuntimeError } from "../../errors.ts";
import { lock, unlock } from "../shm/lock.ts";
import { realAtomics as A } from "../shm/atomics.ts";
import { shared } from "./heap.ts";
import { OFF_STR, OFF_STR_BYTES, S_STR_BYTES, S_STR_COUNT, S_STR_LOCK, STR_BYTES, STR_SLOTS } from "./layout.ts";

const ids = new Map<string, number>();
const strs: string[] = [];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The index of `s` in the shared string table, adding it if new. */
export function intern(s: string): number {
  // The same name as last time (a loop of go() calls from one function): no map lookup.
  if (s === lastString) return lastIndex;
  const i = ids.get(s) ?? add(s);
  lastString = s;
  lastIndex = i;
  return i;
}

/** The last string intern() was asked about, and its index. */
let lastString: string | null = null;
let lastIndex = 0;

/** Adds `s` to the shared table (or finds it there, added by another thread). */
function add(s: string): number {
  const { i32, u8 } = shared();
  const bytes = encoder.encode(s);
  lock(A, i32, S_STR_LOCK);
  try {
    const n = i32[S_STR_COUNT] as number;
    for (let i = 0; i < n; i++) {
      if (lookup(i) === s) {
        ids.set(s, i);
        return i;
      }
    }
    const at = i32[S_STR_BYTES] as number;
    if (n === STR_SLOTS || at + bytes.length > STR_BYTES) {
      throw new RuntimeError(`gort: too many task and function names (${STR_SLOTS})`);
    }
    u8.set(bytes, OFF_STR_BYTES * 4 + at);
    i32[OFF_STR + 2 * n] = at;
    i32[OFF_STR + 2 * n + 1] = bytes.length;
    i32[S_STR_BYTES] = at + bytes.length;
    Atomics.store(i32, S_STR_COUNT, n + 1);
    ids.set(s, n);
    strs[n] = s;
    return n;
  } finally {
    unlock(A, i32, S_STR_LOCK);
  }
}

/** The string interned at index `i`. */
export function lookup(i: number): string {
  const cached = strs[i];
  if (cached !== undefined) return cached;
  const { i32, u8 } = shared();
  if (i < 0 || i >= Atomics.load(i32, S_STR_COUNT)) throw new RangeError(`gort: no interned string ${i}`);
  const at = OFF_STR_BYTES * 4 + (i32[OFF_STR + 2 * i] as number);
  // TextDecoder does not read shared memory: copy the bytes out first.
  const s = decoder.decode(u8.slice(at, at + (i32[OFF_STR + 2 * i + 1] as number)));
  strs[i] = s;
  ids.set(s, i);
  return s;
}
