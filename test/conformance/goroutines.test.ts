// Port of Go's test/chan/goroutines.go: a long chain of goroutines, each
// passing one value from its right neighbour to its left, is built and torn
// down cleanly.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type Chan, chan, go } from "gort";
import { gosched, numGoroutine } from "gort/runtime";

const N = 10_000; // Go's default

test("a chain of 10,000 goroutines passes a value end to end and every goroutine ends", async () => {
  const before = numGoroutine();
  const leftmost = chan<number>();
  let left: Chan<number> = leftmost;
  for (let i = 0; i < N; i++) {
    const right = chan<number>();
    go(async (l: Chan<number>, r: Chan<number>) => {
      await l.send((await r.recv()) as number);
    }, left, right);
    left = right;
  }
  assert.equal(numGoroutine(), before + N, "every link is a live goroutine");
  go(async (c: Chan<number>) => {
    await c.send(1);
  }, left);
  assert.equal(await leftmost.recv(), 1, "the value reached the left end");

  // The last link ends right after its send; give the finished goroutines one turn to be reaped.
  for (let tries = 0; tries < 10 && numGoroutine() !== before; tries++) await gosched();
  assert.equal(numGoroutine(), before, "no goroutine of the chain is left");
});
