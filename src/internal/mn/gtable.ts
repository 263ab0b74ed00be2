// Portable goroutines that have not started yet (Go: the g of a goroutine
// that sits in a run queue): a block of the arena each (G_WORDS, layout.ts),
// named in run queues by its word index. The thread that takes one reads
// the G, starts it as a local goroutine and frees the block.
//
// Each thread keeps freed G blocks for its next go() calls, up to CACHE,
// and moves them to and from the allocator BATCH at a time (Go: gfput and
// gfget move Gs between a P's free list and the global one in batches), so
// that go() calls rarely take the allocator's lock: a thread that starts
// goroutines (main) takes blocks, the threads that run them free them.

import { allocBatch, freeBatch } from "./alloc.ts";
import { G_WORDS } from "./layout.ts";

const CACHE = 1024;
const BATCH = 64;
const cache: number[] = [];

/** A G block (its fields are all written by the caller). */
export function allocG(): number {
  if (cache.length === 0) allocBatch(G_WORDS, BATCH, cache, false);
  return cache.pop() as number;
}

/** Returns a G block once its goroutine has been read. */
export function freeG(g: number): void {
  cache.push(g);
  if (cache.length > CACHE) freeBatch(cache, CACHE - BATCH);
}
