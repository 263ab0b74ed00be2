// Goroutines of any thread waiting on a shared object (Go: sudog and waitq,
// across threads). A waiter is a block in the arena:
//
//   W_NEXT, W_PREV  links of the object's wait queue (block refs, 0 = none)
//   W_M, W_TOKEN    the waiting goroutine's thread and the token to post (m.ts)
//   W_SEL           a select's shared record (its done word), or 0
//   W_CASE          the select case this waiter stands for
//   W_OK            set by the waker: a value was handed over (1) or the object closed (0)
//   W_LINKED        1 while in a queue
//   W_VALUE         a value slot (value.ts): the value sent, or received
//
// Queues live in the object's words (head, tail) and are changed only under
// the object's lock. Whoever takes a waiter out of a queue to complete it
// posts its token after unlocking; the waiting thread then reads W_OK and
// W_VALUE and frees the block. A select's waiters on other objects are
// withdrawn by the selecting thread (Go: selectgo's pass 3).
//
// Exactly one case of a select fires, across threads as in one (Go:
// selectDone): a waker completes a select's waiter only if it wins the CAS
// of the select's done word 0→1; a waiter whose select is decided is
// skipped (and unlinked).

import { alloc, free } from "./alloc.ts";
import { shared } from "./heap.ts";
import { selfM } from "./m.ts";
import { discardValue } from "./value.ts";

export const W_NEXT = 0;
export const W_PREV = 1;
export const W_M = 2;
export const W_TOKEN = 3;
export const W_SEL = 4;
export const W_CASE = 5;
export const W_OK = 6;
export const W_LINKED = 7;
export const W_VALUE = 8;
const W_WORDS = 12;

/** Word 0 of a select's shared record: 0 while undecided, 1 once a case fired. */
export const SEL_DONE = 0;

/** Waiter blocks this thread freed, reused before asking the allocator (its lock). */
const cache: number[] = [];
const CACHE = 256;

/** A new waiter for this thread, with `token` to be posted when it is completed. */
export function newWaiter(token: number, sel = 0, caseIndex = 0): number {
  const w = cache.pop() ?? alloc(W_WORDS);
  const { i32 } = shared();
  i32.fill(0, w, w + W_WORDS);
  i32[w + W_M] = selfM;
  i32[w + W_TOKEN] = token;
  i32[w + W_SEL] = sel;
  i32[w + W_CASE] = caseIndex;
  return w;
}

export function freeWaiter(w: number): void {
  if (cache.length < CACHE) cache.push(w);
  else free(w);
}

/** Appends waiter `w` to the queue whose head word is `q` (tail at q + 1). Under the object's lock. */
export function enqueue(q: number, w: number, front = false): void {
  const { i32 } = shared();
  i32[w + W_LINKED] = 1;
  if (front) {
    const head = i32[q] as number;
    i32[w + W_PREV] = 0;
    i32[w + W_NEXT] = head;
    if (head === 0) i32[q + 1] = w;
    else i32[head + W_PREV] = w;
    i32[q] = w;
    return;
  }
  const tail = i32[q + 1] as number;
  i32[w + W_NEXT] = 0;
  i32[w + W_PREV] = tail;
  if (tail === 0) i32[q] = w;
  else i32[tail + W_NEXT] = w;
  i32[q + 1] = w;
}

/** Unlinks waiter `w` from queue `q` if it is still linked. Under the object's lock. */
export function remove(q: number, w: number): void {
  const { i32 } = shared();
  if (i32[w + W_LINKED] !== 1) return;
  i32[w + W_LINKED] = 0;
  const next = i32[w + W_NEXT] as number;
  const prev = i32[w + W_PREV] as number;
  if (prev === 0) i32[q] = next;
  else i32[prev + W_NEXT] = next;
  if (next === 0) i32[q + 1] = prev;
  else i32[next + W_PREV] = prev;
  i32[w + W_NEXT] = i32[w + W_PREV] = 0;
}

/**
 * Frees every waiter still in queue `q` of an object being destroyed (no
 * thread holds it: their goroutines can never be woken, and leaks.ts proves
 * them leaked); `ownsValue`: a sender's value slot, discarded with it.
 */
export function freeQueue(q: number, ownsValue: boolean): void {
  const { i32 } = shared();
  for (let w = i32[q] as number; w !== 0; ) {
    const next = i32[w + W_NEXT] as number;
    if (ownsValue) discardValue(w + W_VALUE);
    free(w);
    w = next;
  }
}

/**
 * Takes the longest waiter that can still be completed out of queue `q`, or
 * returns 0. A select's waiter is taken only by winning its done word;
 * waiters of decided selects are unlinked and skipped. Under the object's lock.
 */
export function dequeue(q: number): number {
  const { i32 } = shared();
  for (;;) {
    const w = i32[q] as number;
    if (w === 0) return 0;
    remove(q, w);
    const sel = i32[w + W_SEL] as number;
    if (sel === 0 || Atomics.compareExchange(i32, sel + SEL_DONE, 0, 1) === 0) return w;
  }
}
