// Port of Go's test/chan/sieve1.go: the classic concurrent prime sieve, a
// growing daisy chain of filter goroutines connected by unbuffered channels.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, go, type RecvChan, type SendChan } from "gort";

const PRIMES_BELOW_100 = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

/** Sends 2, 3, 4, ... forever. */
async function generate(out: SendChan<number>): Promise<void> {
  for (let i = 2; ; i++) await out.send(i);
}

/** Copies `from` to `to`, dropping multiples of `prime`. */
async function filter(from: RecvChan<number>, to: SendChan<number>, prime: number): Promise<void> {
  for await (const i of from) {
    if (i % prime !== 0) await to.send(i);
  }
}

/** Sends the primes, in order: each prime found adds a filter to the chain. */
async function sieve(primes: SendChan<number>): Promise<void> {
  let candidates = chan<number>();
  go(generate, candidates);
  for (;;) {
    const prime = (await candidates.recv()) as number;
    await primes.send(prime);
    const next = chan<number>();
    go(filter, candidates, next, prime);
    candidates = next;
  }
}

test("the daisy-chain sieve yields the primes below 100 in order", async () => {
  const primes = chan<number>();
  go(sieve, primes);
  const got: number[] = [];
  for (let i = 0; i < PRIMES_BELOW_100.length; i++) got.push((await primes.recv()) as number);
  assert.deepEqual(got, PRIMES_BELOW_100);
});
