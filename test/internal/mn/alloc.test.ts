// The shared arena's allocator in one thread: blocks taken in batches and
// freed in batches (bundles on the free list), taken again in part or
// whole, mixed with single allocations and frees. No block is ever given
// out twice at once, blocks never overlap, freed blocks are reused before
// the never-used arena is touched, and a double free is caught.

import assert from "node:assert/strict";
import { test } from "node:test";
import { FatalError } from "#internal/shm/fatal";
import { alloc, allocBatch, free, freeBatch } from "#internal/mn/alloc";
import { createHeap } from "#internal/mn/heap";
import { S_ARENA_BUMP } from "#internal/mn/layout";

const heap = createHeap(2);
const bump = (): number => heap.i32[S_ARENA_BUMP] as number;

/** Words of data asked for per block (its class holds 62 data words, so a bundle lists 61 others). */
const WORDS = 40;

/** Deterministic pseudo-random numbers (xorshift32), so a failure replays. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

test("blocks freed in batches are taken again, whole bundles and parts of them, before the fresh arena", () => {
  const live = new Set<number>();
  const take = (n: number): number[] => {
    const out: number[] = [];
    allocBatch(WORDS, n, out, false);
    assert.equal(out.length, n);
    for (const b of out) {
      assert.ok(!live.has(b), `block ${b} given out twice`);
      live.add(b);
    }
    return out;
  };
  const first = take(200);
  const top = bump();
  // Freed as batches of various sizes: bundles of up to 62 blocks, and a lone one.
  for (const [from, to] of [
    [0, 64],
    [64, 65],
    [65, 130],
    [130, 200],
  ] as const) {
    const batch = first.slice(from, to);
    freeBatch(batch, 0);
    assert.equal(batch.length, 0);
    for (const b of first.slice(from, to)) live.delete(b);
  }
  // Taken again in odd amounts, splitting bundles: every block comes from the freed ones.
  const again = [...take(7), ...take(1), ...take(63), ...take(64), ...take(65)];
  assert.equal(bump(), top, "the fresh arena is not touched while freed blocks remain");
  assert.deepEqual([...again].sort((a, b) => a - b), [...first].sort((a, b) => a - b));
  // One more: now from the fresh arena.
  take(1);
  assert.ok(bump() > top);
});

test("a random mix of batch and single allocations and frees never hands a block out twice, nor overlaps blocks", () => {
  const next = rng(0x9e3779b9);
  const live: number[] = [];
  const small: number[] = [];
  const seen = new Set<number>();
  for (let step = 0; step < 4000; step++) {
    const op = next(4);
    if (op === 0) {
      const out: number[] = [];
      allocBatch(WORDS, 1 + next(100), out, false);
      live.push(...out);
    } else if (op === 1) {
      live.push(alloc(WORDS));
    } else if (op === 2 && next(8) === 0) {
      // A small block now and then: the bump pointer leaves a cache line for the big ones to realign.
      small.push(alloc(1 + next(6)));
    } else if (op === 2 && live.length > 0) {
      // A batch of random live blocks.
      const n = 1 + next(Math.min(live.length, 90));
      const batch: number[] = [];
      for (let i = 0; i < n; i++) batch.push(...live.splice(next(live.length), 1));
      freeBatch(batch, 0);
    } else if (live.length > 0) {
      free(...(live.splice(next(live.length), 1) as [number]));
    }
    seen.clear();
    for (const b of live) {
      assert.ok(!seen.has(b), `step ${step}: block ${b} is live twice`);
      seen.add(b);
    }
  }
  // Data ranges do not overlap: each block's data is at least WORDS words from the next one's.
  const sorted = [...live].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) assert.ok((sorted[i] as number) - (sorted[i - 1] as number) >= WORDS);
  // A block of a cache line or more starts on a line (its data two header words in), whatever came before it.
  assert.ok(small.length > 10);
  for (const b of live) assert.equal((b - 2) % 16, 0, `block at word ${b - 2} is not on a cache line`);
  for (const b of small) free(b);
  // Everything freed, then taken again: no block was lost (the fresh arena is not needed).
  const n = live.length;
  freeBatch(live, 0);
  const top = bump();
  const out: number[] = [];
  while (out.length < n) allocBatch(WORDS, Math.min(64, n - out.length), out, false);
  assert.equal(bump(), top);
  freeBatch(out, 0);
});

test("freeing a block twice, alone or in a batch, is a fatal error", () => {
  const a = alloc(WORDS);
  free(a);
  assert.throws(() => free(a), FatalError);
  const out: number[] = [];
  allocBatch(WORDS, 5, out, false);
  const copy = [...out];
  freeBatch(out, 0);
  assert.throws(() => freeBatch([copy[2] as number], 0), FatalError);
  assert.throws(() => free(copy[0] as number), FatalError);
});
