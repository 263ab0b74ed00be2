// Port of Go's src/sync/cond_test.go (Go 1.19): TestCondSignal,
// TestCondSignalGenerations, TestCondBroadcast, TestRace,
// TestCondSignalStealing, written anew against gort/sync; plus gort's
// checks of misuse and of a Cond over an RWMutex's read side.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go, RuntimeError } from "gort";
import { gosched } from "gort/runtime";
import { Cond, Mutex, RWMutex } from "gort/sync";

test("TestCondSignal: each signal() wakes exactly one waiter", async () => {
  const m = new Mutex();
  const c = new Cond(m);
  let n = 2;
  const running = chan<boolean>(n);
  const awake = chan<boolean>(n);
  for (let i = 0; i < n; i++) {
    go(async () => {
      await m.lock();
      await running.send(true);
      await c.wait();
      await awake.send(true);
      m.unlock();
    });
  }
  for (let i = 0; i < n; i++) await running.recv(); // wait for everyone to run
  while (n > 0) {
    await gosched();
    assert.equal(awake.tryRecv().ok, false, "goroutine not asleep");
    await m.lock();
    c.signal();
    m.unlock();
    await awake.recv(); // never completes if no goroutine wakes up
    await gosched();
    assert.equal(awake.tryRecv().ok, false, "too many goroutines awake");
    n--;
  }
  c.signal();
});

test("TestCondSignalGenerations: signal() wakes the goroutine that has waited longest", async () => {
  const m = new Mutex();
  const c = new Cond(m);
  const n = 100;
  const running = chan<boolean>(n);
  const awake = chan<number>(n);
  for (let i = 0; i < n; i++) {
    go(async (i: number) => {
      await m.lock();
      await running.send(true);
      await c.wait();
      await awake.send(i);
      m.unlock();
    }, i);
    if (i > 0) {
      const a = await awake.recv();
      assert.equal(a, i - 1, `wrong goroutine woke up: want ${i - 1}, got ${a}`);
    }
    await running.recv();
    await m.lock();
    c.signal();
    m.unlock();
  }
});

test("TestCondBroadcast: broadcast() wakes every waiter exactly once, 200 goroutines, 200 rounds", async () => {
  const m = new Mutex();
  const c = new Cond(m);
  const n = 200;
  const running = chan<number>(n);
  const awake = chan<number>(n);
  let exit = false;
  for (let i = 0; i < n; i++) {
    go(async (g: number) => {
      await m.lock();
      while (!exit) {
        await running.send(g);
        await c.wait();
        await awake.send(g);
      }
      m.unlock();
    }, i);
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) await running.recv(); // never completes unless all n are running
    if (i === n - 1) {
      await m.lock();
      exit = true;
      m.unlock();
    }
    assert.equal(awake.tryRecv().ok, false, "goroutine not asleep");
    await m.lock();
    c.broadcast();
    m.unlock();
    const seen = new Array<boolean>(n).fill(false);
    for (let k = 0; k < n; k++) {
      const g = (await awake.recv()) as number;
      assert.equal(seen[g], false, "goroutine woke up twice");
      seen[g] = true;
    }
  }
  await gosched();
  assert.equal(running.tryRecv().ok, false, "goroutine did not exit");
  c.broadcast();
});

test("TestRace: wait() releases and re-takes the lock around the wait (three goroutines hand x along)", async () => {
  let x = 0;
  const c = new Cond(new Mutex());
  const done = chan<boolean>();
  go(async () => {
    await c.l.lock();
    x = 1;
    await c.wait();
    assert.equal(x, 2, "want 2");
    x = 3;
    c.signal();
    c.l.unlock();
    await done.send(true);
  });
  go(async () => {
    await c.l.lock();
    for (;;) {
      if (x === 1) {
        x = 2;
        c.signal();
        break;
      }
      c.l.unlock();
      await gosched();
      await c.l.lock();
    }
    c.l.unlock();
    await done.send(true);
  });
  go(async () => {
    await c.l.lock();
    for (;;) {
      if (x === 2) {
        await c.wait();
        assert.equal(x, 3, "want 3");
        break;
      }
      if (x === 3) break;
      c.l.unlock();
      await gosched();
      await c.l.lock();
    }
    c.l.unlock();
    await done.send(true);
  });
  for (let i = 0; i < 3; i++) await done.recv();
});

test("TestCondSignalStealing: a new waiter racing with broadcast() cannot steal the first waiter's wake-up", async () => {
  for (let iters = 0; iters < 300; iters++) {
    const m = new Mutex();
    const cond = new Cond(m);
    const ch = chan<void>();
    go(async () => {
      await m.lock();
      await ch.send();
      await cond.wait();
      m.unlock();
      await ch.send();
    });
    await ch.recv();
    await m.lock(); // the waiter is inside wait(): it released the lock
    m.unlock();
    let done = false;
    go(() => cond.broadcast());
    go(async () => {
      await m.lock();
      while (!done) await cond.wait();
      m.unlock();
    });
    await ch.recv(); // never completes if the first waiter missed the broadcast
    await m.lock();
    done = true;
    m.unlock();
    cond.broadcast();
  }
});

test("(gort) wait() without holding the lock throws the Locker's error and does not eat a later signal", async () => {
  const m = new Mutex();
  const c = new Cond(m);
  assert.throws(() => c.wait(), (err: unknown) => err instanceof RuntimeError && err.message === "sync: unlock of unlocked mutex");
  const woke = chan<boolean>(1);
  go(async () => {
    await m.lock();
    await c.wait();
    m.unlock();
    await woke.send(true);
  });
  await gosched();
  c.signal();
  assert.equal(await woke.recv(), true);
});

test("(gort) a Cond over rLocker(): readers wait and re-take the read lock", async () => {
  const rw = new RWMutex();
  const c = new Cond(rw.rLocker());
  const woke = chan<boolean>(2);
  for (let i = 0; i < 2; i++) {
    go(async () => {
      await c.l.lock();
      await c.wait();
      assert.equal(rw.tryLock(), false, "the read lock is held again after wait()");
      c.l.unlock();
      await woke.send(true);
    });
  }
  await gosched();
  assert.equal(rw.tryLock(), true, "waiters released their read locks");
  c.broadcast();
  await gosched();
  assert.equal(woke.len(), 0, "woken readers wait for the writer");
  rw.unlock();
  await woke.recv();
  await woke.recv();
});

test("(gort) new Cond needs a Locker", () => {
  // @ts-expect-error not a Locker
  assert.throws(() => new Cond({}), TypeError);
});
