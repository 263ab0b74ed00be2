// The shared arena's allocator: blocks of 16·2^k bytes in power-of-two size
// classes, a free list per class, and a bump pointer for blocks never used,
// all under one shared lock (shm/lock.ts). Shared channels, waiters, locks
// and cloned values live in these blocks; a block is named by the word index
// of its data, which any thread can use because every thread maps the whole
// heap.
//
// A block: word 0 is its class tagged with BLOCK_LIVE or BLOCK_FREE (to catch
// a double free), word 1 the free list's link, data from word 2 (8-byte
// aligned, so a Float64Array can read it).
//
// Bundles: freeBatch puts a batch of blocks on the free list as one entry,
// its first block (tagged BLOCK_BUNDLE) listing the others in its data
// words: [count, block, block, …]. Taking a batch then reads one block's
// words in a row, where a chain would be walked link by link, each link a
// cache miss waiting for the previous one (G blocks are freed by the thread
// that ran them and taken again by the one starting goroutines: 64 misses in
// series per batch of go() calls).

import { RuntimeError } from "../../errors.ts";
import { fatal } from "../shm/fatal.ts";
import { lock, unlock } from "../shm/lock.ts";
import { realAtomics as A } from "../shm/atomics.ts";
import { LINE_WORDS } from "../shm/layout.ts";
import { shared } from "./heap.ts";
import { OFF_ARENA, S_ALLOC_LOCK, S_ARENA_BUMP, S_FREE_HEADS, SIZE_CLASSES } from "./layout.ts";

const HEADER_WORDS = 2;
const BLOCK_LIVE = 0x4c00;
const BLOCK_FREE = 0x4600;
/** A free block heading a bundle (see the header). */
const BLOCK_BUNDLE = 0x4200;

/** The size class whose blocks hold `words` data words. */
function classOf(words: number): number {
  let k = 0;
  while ((4 << k) - HEADER_WORDS < words) k++;
  return k;
}

// -- Memory pressure --
//
// A shared object's block is freed when the last thread's wrapper of it is
// garbage-collected (object.ts), but V8 does not see the shared heap: a
// program that makes and drops shared channels fills it long before the JS
// heap asks for a collection. So the allocator reports pressure: each time
// the never-used part of the arena shrinks by another PRESSURE_STEPS-th, it
// asks every thread to collect (`onPressure`, asynchronous), and when a
// request cannot be met it has this thread collect at once and release what
// that reclaimed (`onExhausted`) before trying once more.

const PRESSURE_STEPS = 16;
let onPressure: () => void = () => {};
let onExhausted: () => boolean = () => false;

/** Sets what the allocator calls under memory pressure (object.ts). */
export function setPressureHandlers(pressure: () => void, exhausted: () => boolean): void {
  onPressure = pressure;
  onExhausted = exhausted;
}

/** Which PRESSURE_STEPS-th of the arena the bump pointer `bump` is in. */
function pressureStep(bump: number, end: number): number {
  return Math.floor(((bump - OFF_ARENA) * PRESSURE_STEPS) / (end - OFF_ARENA));
}

/**
 * Takes up to `n` blocks of size class `k` into `out` (block indices, not yet
 * tagged), under the lock: from the class's free list, then from the arena
 * never used. Reports pressure; if it finds none, has this thread collect
 * once and tries again before it throws.
 */
function takeBlocks(k: number, n: number, out: number[]): void {
  const { i32 } = shared();
  const size = 4 << k;
  const first = out.length;
  for (let attempt = 0; ; attempt++) {
    let pressure = false;
    lock(A, i32, S_ALLOC_LOCK);
    for (let i = 0; i < n; i++) {
      let block = i32[S_FREE_HEADS + k] as number;
      if (block !== 0) {
        if (((i32[block] as number) & ~0xff) === BLOCK_BUNDLE) {
          // Members from the end of the list while more are wanted; the head last.
          const d = block + HEADER_WORDS;
          let count = i32[d] as number;
          for (; count > 0 && i < n - 1; count--, i++) out.push(i32[d + count] as number);
          i32[d] = count;
          if (count > 0) {
            out.push(i32[d + count] as number);
            i32[d] = count - 1;
            continue;
          }
        }
        i32[S_FREE_HEADS + k] = i32[block + 1] as number;
      } else {
        // Blocks of a line or more start on a line (smaller ones on their size):
        // a block then spans no more lines than it must, and two threads
        // writing neighbouring blocks do not share a line.
        const align = Math.min(size, LINE_WORDS) - 1;
        block = ((i32[S_ARENA_BUMP] as number) + align) & ~align;
        if (block + size > i32.length) break;
        i32[S_ARENA_BUMP] = block + size;
        if (pressureStep(block + size, i32.length) !== pressureStep(block, i32.length)) pressure = true;
      }
      out.push(block);
    }
    unlock(A, i32, S_ALLOC_LOCK);
    if (pressure) onPressure();
    if (out.length > first) return;
    if (attempt > 0 || !onExhausted()) {
      throw new RuntimeError(
        `gort: shared memory exhausted (${(i32.length * 4) / 2 ** 20} MiB; set GORT_SHARED_MB for more)`,
      );
    }
  }
}

/** Tags block `block` of class `k` live; returns the word index of its data (zeroed if `zero`). */
function issue(i32: Int32Array, block: number, k: number, zero: boolean): number {
  i32[block] = BLOCK_LIVE | k;
  i32[block + 1] = 0;
  if (zero) i32.fill(0, block + HEADER_WORDS, block + (4 << k));
  return block + HEADER_WORDS;
}

/** alloc()'s one block (a module array: no allocation per call). */
const taken: number[] = [];

function classFor(words: number): number {
  const k = classOf(words);
  if (k >= SIZE_CLASSES) throw new RuntimeError(`gort: cannot allocate ${words * 4} bytes of shared memory at once`);
  return k;
}

/** Allocates a zeroed block of at least `words` Int32 words; returns the word index of its data. */
export function alloc(words: number): number {
  const k = classFor(words);
  takeBlocks(k, 1, taken);
  return issue(shared().i32, taken.pop() as number, k, true);
}

/**
 * Allocates up to `n` (at least one) blocks of at least `words` words each
 * into `out` (zeroed unless `zero` is false: the caller writes every word),
 * taking the lock once: threads that allocate many blocks at a time, as
 * main does for the goroutines it starts, take them in batches (Go's mcache
 * refill).
 */
export function allocBatch(words: number, n: number, out: number[], zero = true): void {
  const k = classFor(words);
  const first = out.length;
  takeBlocks(k, n, out);
  const { i32 } = shared();
  for (let i = first; i < out.length; i++) out[i] = issue(i32, out[i] as number, k, zero);
}

/**
 * Frees the blocks whose data start at `data[from]`…`data[data.length - 1]`
 * (all of one size class) and removes them from `data`, taking the lock once.
 */
export function freeBatch(data: number[], from: number): void {
  if (from >= data.length) return;
  const { i32 } = shared();
  let k = -1;
  let chain = 0;
  let last = 0;
  // Bundles of up to `room` blocks (a head's data words hold a count and the others), linked among
  // themselves before taking the lock.
  let head = 0;
  let room = 0;
  for (let i = data.length - 1; i >= from; i--) {
    const block = (data[i] as number) - HEADER_WORDS;
    const tag = i32[block] as number;
    if ((tag & ~0xff) !== BLOCK_LIVE) fatal(`free of a shared block that is not allocated (word ${data[i]})`);
    if (k === -1) {
      k = tag & 0xff;
      room = (4 << k) - HEADER_WORDS - 1;
    } else if ((tag & 0xff) !== k) fatal("freeBatch: blocks of different sizes");
    if (head !== 0 && (i32[head + HEADER_WORDS] as number) < room) {
      i32[block] = BLOCK_FREE | k;
      const count = (i32[head + HEADER_WORDS] as number) + 1;
      i32[head + HEADER_WORDS] = count;
      i32[head + HEADER_WORDS + count] = block;
      continue;
    }
    head = block;
    i32[block] = BLOCK_BUNDLE | k;
    i32[block + HEADER_WORDS] = 0;
    i32[block + 1] = chain;
    if (chain === 0) last = block;
    chain = block;
  }
  data.length = from;
  lock(A, i32, S_ALLOC_LOCK);
  i32[last + 1] = i32[S_FREE_HEADS + k] as number;
  i32[S_FREE_HEADS + k] = chain;
  unlock(A, i32, S_ALLOC_LOCK);
}

/** Returns the block whose data starts at word `data` to its free list. */
export function free(data: number): void {
  const { i32 } = shared();
  const block = data - HEADER_WORDS;
  const tag = i32[block] as number;
  if ((tag & ~0xff) !== BLOCK_LIVE) fatal(`free of a shared block that is not allocated (word ${data})`);
  const k = tag & 0xff;
  i32[block] = BLOCK_FREE | k;
  lock(A, i32, S_ALLOC_LOCK);
  i32[block + 1] = i32[S_FREE_HEADS + k] as number;
  i32[S_FREE_HEADS + k] = block;
  unlock(A, i32, S_ALLOC_LOCK);
}
