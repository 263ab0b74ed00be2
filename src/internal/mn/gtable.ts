// Portable goroutines that have not started yet (Go: the g of a goroutine
// that sits in a run queue): a block of the arena each (G_WORDS, layout.ts),
// named in run queues by its word index. The thread that takes one reads
// the G, starts it as a local goroutine and frees the block.
//
// Each thread keeps freed G blocks for its next go() calls, up to CACHE, so
// that most go() calls take no shared lock.

import { alloc, free } from "./alloc.ts";
import { G_WORDS } from "./layout.ts";

const CACHE = 1024;
const cache: number[] = [];

/** A G block (its fields are all written by the caller). */
export function allocG(): number {
  return cache.pop() ?? alloc(G_WORDS);
}

/** Returns a G block once its goroutine has been read. */
export function freeG(g: number): void {
  if (cache.length < CACHE) cache.push(g);
  else free(g);
}
