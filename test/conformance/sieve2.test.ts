// Port of Go's test/chan/sieve2.go: an Eratosthenes-style sieve over odd
// numbers. Goroutines produce the multiples of each prime on buffered
// channels, a merger keeps them in a min-heap keyed by each channel's next
// value, and a proxy goroutine with an unbounded queue breaks the feedback
// loop's deadlock, using a select whose send case is disabled (a nil channel)
// while the queue is empty.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type Chan, chan, go, type RecvChan, recv, type SendChan, select, send } from "gort";

const PRIMES_BELOW_100 = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

/** Receives from a channel that never closes. */
async function take(c: RecvChan<number>): Promise<number> {
  const [v, ok] = await c.recvOk();
  if (!ok) throw new Error("channel closed unexpectedly");
  return v;
}

/** 5, 7, 9, ... on a buffered channel. */
function odds(): Chan<number> {
  const out = chan<number>(50);
  go(async () => {
    for (let n = 5; ; n += 2) await out.send(n);
  });
  return out;
}

/** p*p, p*p + 2p, ... (the odd multiples of p from p*p) on a buffered channel. */
function multiples(p: number): Chan<number> {
  const out = chan<number>(10);
  go(async () => {
    for (let n = p * p; ; n += 2 * p) await out.send(n);
  });
  return out;
}

/** A channel and the value last taken from it. */
interface Peeked {
  head: number;
  readonly ch: RecvChan<number>;
}

/** A binary min-heap of Peeked, ordered by head. */
class PeekedHeap {
  readonly #items: Peeked[] = [];

  push(p: Peeked): void {
    const a = this.#items;
    a.push(p);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as Peeked).head <= (a[i] as Peeked).head) break;
      [a[parent], a[i]] = [a[i] as Peeked, a[parent] as Peeked];
      i = parent;
    }
  }

  pop(): Peeked {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined) throw new Error("pop from an empty heap");
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < a.length && (a[l] as Peeked).head < (a[min] as Peeked).head) min = l;
        if (r < a.length && (a[r] as Peeked).head < (a[min] as Peeked).head) min = r;
        if (min === i) break;
        [a[min], a[i]] = [a[i] as Peeked, a[min] as Peeked];
        i = min;
      }
    }
    return top;
  }
}

/**
 * A channel whose sends never block for long: a goroutine moves what arrives
 * into an unbounded queue and forwards it to `out` when `out` takes it.
 */
function sendProxy(out: SendChan<number>): SendChan<number> {
  const proxy = chan<number>(10);
  go(async () => {
    const queue: number[] = [];
    for (;;) {
      // The send case is disabled (nil channel) while there is nothing to forward.
      const forward = queue.length > 0 ? out : null;
      await select([
        recv(proxy, (v) => {
          queue.push(v as number);
        }),
        send(forward, queue[0] ?? 0, () => {
          queue.shift();
        }),
      ]);
    }
  });
  return proxy;
}

/** The primes, in order, on a buffered channel. */
function sieve(): RecvChan<number> {
  const out = chan<number>(10);
  const composites = chan<number>(50); // every odd composite from 9 up, in increasing order
  const primes = chan<number>(10); // feedback: the odd primes found so far
  assert.ok(out.trySend(2) && out.trySend(3) && primes.trySend(3), "buffered sends with room");

  // Merge the streams of multiples of each prime into `composites`.
  go(async () => {
    const heap = new PeekedHeap();
    let min = 15;
    for (;;) {
      const m = multiples(await take(primes));
      const head = await take(m);
      while (min < head) {
        await composites.send(min);
        const next = heap.pop();
        min = next.head;
        next.head = await take(next.ch);
        heap.push(next);
      }
      while (min === head) {
        const next = heap.pop();
        min = next.head;
        next.head = await take(next.ch);
        heap.push(next);
      }
      await composites.send(head);
      heap.push({ head: await take(m), ch: m });
    }
  });

  // Remove the composites from the odd candidates.
  go(async () => {
    // The merger needs multiples only of primes up to sqrt(n), so it takes
    // from `primes` far more slowly than this goroutine sends; the proxy keeps
    // this goroutine from blocking on it, which would deadlock the loop.
    const feedback = sendProxy(primes);
    const candidates = odds();
    let p = await take(candidates);
    for (;;) {
      const c = await take(composites);
      while (p < c) {
        await feedback.send(p);
        await out.send(p);
        p = await take(candidates);
      }
      if (p === c) p = await take(candidates);
    }
  });

  return out;
}

test("the heap-merging sieve with a proxy goroutine yields the primes below 100 in order", async () => {
  const primes = sieve();
  const got: number[] = [];
  for (let i = 0; i < PRIMES_BELOW_100.length; i++) got.push(await take(primes));
  assert.deepEqual(got, PRIMES_BELOW_100);
});

test("the heap-merging sieve yields the first 1000 primes", async () => {
  const primes = sieve();
  const got: number[] = [];
  for (let i = 0; i < 1000; i++) got.push(await take(primes));
  // Check against trial division.
  const expected: number[] = [];
  for (let n = 2; expected.length < 1000; n++) {
    let prime = true;
    for (const p of expected) {
      if (p * p > n) break;
      if (n % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) expected.push(n);
  }
  assert.deepEqual(got, expected);
});
