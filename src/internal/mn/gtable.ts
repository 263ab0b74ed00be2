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
import { shared } from "./heap.ts";
import { G_ARGS, G_WORDS, VALUE_WORDS } from "./layout.ts";

const CACHE = 1024;
const BATCH = 64;
const cache: number[] = [];

/** A G block (its fields are all written by the caller). */
export function allocG(): number {
  if (cache.length === 0) refill();
  return cache.pop() as number;
}

/**
 * Takes BATCH blocks from the allocator, claiming both cache lines of each
 * (the allocator writes the first, the block's header; the third argument
 * slot starts the second: layout.ts G_ARGS). Blocks freed by the thread that
 * ran them sit in that thread's core: claimed here, 64 at a time, the misses
 * overlap; claimed by go() as it writes a third argument, each is waited for
 * on its own (main's go() loop ~10% faster).
 */
function refill(): void {
  allocBatch(G_WORDS, BATCH, cache, false);
  const { i32 } = shared();
  for (const b of cache) i32[b + G_ARGS + 2 * VALUE_WORDS] = 0;
}

/** Returns a G block once its goroutine has been read. */
export function freeG(g: number): void {
  cache.push(g);
  if (cache.length > CACHE) freeBatch(cache, CACHE - BATCH);
}
