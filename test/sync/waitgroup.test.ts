// Port of Go's src/sync/waitgroup_test.go (Go 1.19) and Go 1.25's
// TestWaitGroupGo, written anew against gort/sync, plus gort's own checks of
// misuse and WaitGroup.go.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go, RuntimeError } from "gort";
import { gosched } from "gort/runtime";
import { WaitGroup } from "gort/sync";
import { blocks } from "../helpers/blocking.ts";
import { catchPanics } from "../helpers/panics.ts";

async function barrierRound(wg1: WaitGroup, wg2: WaitGroup): Promise<void> {
  const n = 16;
  wg1.add(n);
  wg2.add(n);
  const exited = chan<boolean>(n);
  for (let i = 0; i < n; i++) {
    go(async () => {
      wg1.done();
      await wg2.wait();
      await exited.send(true);
    });
  }
  await wg1.wait();
  for (let i = 0; i < n; i++) {
    // Give any goroutine released too early the chance to report it.
    await gosched();
    assert.equal(exited.tryRecv().ok, false, "WaitGroup released group too soon");
    wg2.done();
  }
  for (let i = 0; i < n; i++) await exited.recv(); // never completes if the barrier fails to release someone
}

test("TestWaitGroup: a WaitGroup used as a barrier releases its waiters only at zero, eight rounds in a row", async () => {
  const wg1 = new WaitGroup();
  const wg2 = new WaitGroup();
  for (let i = 0; i < 8; i++) await barrierRound(wg1, wg2);
});

test("TestWaitGroupMisuse: done() below zero throws Go's message", () => {
  const wg = new WaitGroup();
  wg.add(1);
  wg.done();
  assert.throws(
    () => wg.done(),
    (err: unknown) => err instanceof RuntimeError && err.message === "sync: negative WaitGroup counter",
  );
});

test("TestWaitGroupRace: two goroutines counted in, wait() sees both done, 1000 times", async () => {
  for (let i = 0; i < 1000; i++) {
    const wg = new WaitGroup();
    let n = 0;
    wg.add(1);
    go(async () => {
      if (i % 2 === 0) await gosched(); // half the time, finish after the waiter parked
      n++;
      wg.done();
    });
    wg.add(1);
    go(() => {
      n++;
      wg.done();
    });
    await wg.wait();
    assert.equal(n, 2, "spurious wakeup from wait()");
  }
});

test("TestWaitGroupGo (Go 1.25): go(fn) counts fn in and out", async () => {
  const wg = new WaitGroup();
  let i = 0;
  wg.go(() => {
    i++;
  });
  await wg.wait();
  assert.equal(i, 1);
});

test("(gort) go(fn, ...args) passes the arguments and waits for async functions to finish", async () => {
  const wg = new WaitGroup();
  const got: number[] = [];
  const gate = chan<void>();
  for (let k = 0; k < 3; k++) {
    wg.go(
      async (a: number, b: number) => {
        await gate.recv();
        got.push(a * 10 + b);
      },
      k,
      k + 1,
    );
  }
  assert.equal(await blocks(() => wg.wait()), true, "wait() returned while goroutines still run");
  gate.close();
  await wg.wait();
  assert.deepEqual(
    got.sort((x, y) => x - y),
    [1, 12, 23],
  );
});

test("(gort) go(fn): a throwing fn is still a panic, and still counted out", async () => {
  const wg = new WaitGroup();
  const panics = await catchPanics(async () => {
    wg.go(() => {
      throw new Error("sync boom");
    });
    wg.go(async () => {
      await gosched();
      throw new Error("async boom");
    });
    await wg.wait();
    await gosched();
  });
  assert.deepEqual(panics.map((p) => (p.error as Error).message).sort(), ["async boom", "sync boom"]);
});

test("(gort) wait() on a zero counter does not block; with a positive counter it does", async () => {
  const wg = new WaitGroup();
  assert.equal(await blocks(() => wg.wait()), false);
  wg.add(1);
  assert.equal(await blocks(() => wg.wait()), true);
  wg.done(); // releases the blocked waiter
  await gosched();
});

test("(gort) a WaitGroup reused before a waiter resumed: that wait() throws Go's message", async () => {
  const wg = new WaitGroup();
  wg.add(1);
  const outcome = chan<unknown>(1);
  go(async () => {
    try {
      await wg.wait();
      await outcome.send("returned");
    } catch (err) {
      await outcome.send(err);
    }
  });
  await gosched(); // the waiter parks
  wg.done(); // readies the waiter ...
  wg.add(1); // ... and starts a new round before it resumed
  const err = await outcome.recv();
  assert.ok(err instanceof RuntimeError);
  assert.equal(err.message, "sync: WaitGroup is reused before previous Wait has returned");
  wg.done();
});

test("(gort) reusing a WaitGroup after its waiters resumed is fine", async () => {
  const wg = new WaitGroup();
  for (let round = 0; round < 3; round++) {
    wg.add(2);
    const finished = chan<boolean>(2);
    for (let k = 0; k < 2; k++) {
      go(async () => {
        await wg.wait();
        await finished.send(true);
      });
    }
    await gosched();
    wg.done();
    wg.done();
    await finished.recv();
    await finished.recv();
  }
});

test("(gort) a negative add leaves the counter as it was; a non-integer delta is a TypeError", async () => {
  const wg = new WaitGroup();
  wg.add(1);
  assert.throws(() => wg.add(-2), { name: "RuntimeError", message: "sync: negative WaitGroup counter" });
  wg.done();
  assert.equal(await blocks(() => wg.wait()), false);
  assert.throws(() => wg.add(1.5), TypeError);
  assert.throws(() => wg.add(Number.NaN), TypeError);
  // @ts-expect-error a string is not a delta
  assert.throws(() => wg.add("1"), TypeError);
  // @ts-expect-error go needs a function
  assert.throws(() => wg.go(42), TypeError);
});
