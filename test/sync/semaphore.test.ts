// gort/sync/semaphore: x/sync/semaphore's documented behaviour (and its
// semaphore_test.go: TestWeighted, TestWeightedPanic, TestWeightedTryAcquire,
// TestWeightedAcquire, TestWeightedDoesntBlockIfTooBig, TestLargeAcquireDoesntStarve,
// TestAllocCancelDoesntStarve, TestWeightedAcquireCanceled), written anew.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { background, Canceled, DeadlineExceeded, registeredChildren, withCancel, withTimeout } from "gort/context";
import { gosched } from "gort/runtime";
import { newWeighted, Weighted } from "gort/sync/semaphore";
import { blocks } from "../helpers/blocking.ts";

test("TestWeighted: many goroutines acquire and release random weights, never above the size", async () => {
  const n = 16;
  const sem = newWeighted(n);
  let held = 0;
  let max = 0;
  const finished = chan<void>(n * 4);
  for (let i = 0; i < n * 4; i++) {
    const w = 1 + (i % n);
    go(async () => {
      for (let j = 0; j < 50; j++) {
        await sem.acquire(background(), w);
        held += w;
        max = Math.max(max, held);
        assert.ok(held <= n, `held ${held} > ${n}`);
        await gosched();
        held -= w;
        sem.release(w);
      }
      await finished.send();
    });
  }
  for (let i = 0; i < n * 4; i++) await finished.recv();
  assert.equal(held, 0);
  assert.ok(sem.tryAcquire(n), "all weight is free again");
});

test("TestWeightedPanic: releasing more than held throws", () => {
  const sem = new Weighted(1);
  assert.throws(() => sem.release(1), { message: "semaphore: released more than held" });
  assert.ok(sem.tryAcquire(1), "a failed release leaves the count unchanged");
});

test("TestWeightedTryAcquire", () => {
  const sem = newWeighted(2);
  const tries: boolean[] = [];
  sem.tryAcquire(1);
  tries.push(sem.tryAcquire(1));
  tries.push(sem.tryAcquire(1));
  sem.release(2);
  tries.push(sem.tryAcquire(1));
  sem.tryAcquire(1);
  tries.push(sem.tryAcquire(1));
  assert.deepEqual(tries, [true, false, true, false]);
});

test("TestWeightedAcquire: acquire with a context that times out", async () => {
  const sem = newWeighted(2);
  const [ctx, cancel] = withTimeout(background(), 10);
  const acquires: (Error | null)[] = [];
  const tryAcquire = async (): Promise<void> => {
    acquires.push(await sem.acquire(ctx, 1).then(() => null, (e: Error) => e));
  };
  await tryAcquire(); // ok
  await tryAcquire(); // ok
  await tryAcquire(); // waits, then fails with DeadlineExceeded
  sem.release(2);
  await tryAcquire(); // ctx done: fails even though weight is free
  assert.deepEqual(acquires, [null, null, DeadlineExceeded, DeadlineExceeded]);
  assert.ok(sem.tryAcquire(2), "failed acquires hold nothing");
  assert.equal(registeredChildren(ctx), 0);
  cancel();
});

test("TestWeightedDoesntBlockIfTooBig: a request bigger than the size does not block the others", async () => {
  const sem = newWeighted(1);
  const [ctx, cancel] = withCancel(background());
  const big = sem.acquire(ctx, 2).then(() => null, (e: Error) => e);
  for (let i = 0; i < 3; i++) {
    await sem.acquire(background(), 1);
    sem.release(1);
  }
  cancel();
  assert.equal(await big, Canceled, "a too-big request fails only when its context is done");
});

test("FIFO: a large waiter at the head blocks smaller later ones (TestLargeAcquireDoesntStarve)", async () => {
  const sem = newWeighted(2);
  await sem.acquire(background(), 1);
  const order: string[] = [];
  go(async () => {
    await sem.acquire(background(), 2);
    order.push("big");
    sem.release(2);
  });
  await gosched();
  assert.equal(sem.tryAcquire(1), false, "tryAcquire must not overtake a waiter");
  assert.equal(await blocks(() => sem.acquire(background(), 1).then(() => order.push("small"))), true);
  sem.release(1);
  await gosched();
  await gosched();
  assert.deepEqual(order, ["big", "small"]);
});

test("TestAllocCancelDoesntStarve: a cancelled head waiter wakes those behind it", async () => {
  const sem = newWeighted(10);
  await sem.acquire(background(), 1); // 9 left
  const [ctx, cancel] = withCancel(background());
  const big = sem.acquire(ctx, 10).then(() => null, (e: Error) => e); // waits at the head
  const small = sem.acquire(background(), 1); // fits, but queued behind big
  assert.equal(await blocks(() => small), true, "small must wait behind the head");
  cancel();
  assert.equal(await big, Canceled);
  await small; // woken because the head left and it now fits
  sem.release(2);
  assert.ok(sem.tryAcquire(10));
});

test("TestWeightedAcquireCanceled: a waiter whose context is cancelled leaves; the count is unchanged", async () => {
  const sem = newWeighted(2);
  await sem.acquire(background(), 2);
  const [ctx, cancel] = withCancel(background());
  const p = sem.acquire(ctx, 1).then(() => null, (e: Error) => e);
  await gosched();
  assert.equal(registeredChildren(ctx), 1, "the waiter watches its context");
  cancel();
  assert.equal(await p, Canceled);
  sem.release(2);
  assert.ok(sem.tryAcquire(2), "the cancelled waiter took nothing");
  // Already-done context: fails at once even with weight free (x/sync ≥ v0.7).
  sem.release(2);
  await assert.rejects(sem.acquire(ctx, 1), (e) => e === Canceled);
  assert.ok(sem.tryAcquire(2));
});

test("a granted waiter stops watching its context", async () => {
  const sem = newWeighted(1);
  await sem.acquire(background(), 1);
  const [ctx, cancel] = withCancel(background());
  const p = sem.acquire(ctx, 1);
  await gosched();
  assert.equal(registeredChildren(ctx), 1);
  sem.release(1);
  assert.equal(registeredChildren(ctx), 0);
  await p;
  cancel();
  sem.release(1);
});

test("bad weights throw RangeError", () => {
  assert.throws(() => newWeighted(-1), RangeError);
  assert.throws(() => newWeighted(1.5), RangeError);
  assert.throws(() => newWeighted(1).tryAcquire(-1), RangeError);
});
