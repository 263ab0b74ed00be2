// Port of Go's src/sync/rwmutex_test.go (Go 1.19): TestParallelReaders,
// TestRWMutex (tryLock/tryRLock and HammerRWMutex), TestRLocker, written anew
// against gort/sync; plus gort's checks that a waiting writer blocks new
// readers (Go's readerCount/readerWait scheme) and `using` with RWMutex.
// The misuse cases of rwmutex are in mutex.test.ts, where Go has them.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { gosched } from "gort/runtime";
import { RWMutex } from "gort/sync";
import { blocks } from "../helpers/blocking.ts";

async function parallelReaders(numReaders: number): Promise<void> {
  const m = new RWMutex();
  const clocked = chan<boolean>();
  const cunlock = chan<boolean>();
  const cdone = chan<boolean>();
  for (let i = 0; i < numReaders; i++) {
    go(async () => {
      await m.rLock();
      await clocked.send(true);
      await cunlock.recv();
      m.rUnlock();
      await cdone.send(true);
    });
  }
  // Every reader holds the read lock at once (else this never completes).
  for (let i = 0; i < numReaders; i++) await clocked.recv();
  for (let i = 0; i < numReaders; i++) await cunlock.send(true);
  for (let i = 0; i < numReaders; i++) await cdone.recv();
}

test("TestParallelReaders: 1, 3 and 4 readers hold the read lock together", async () => {
  await parallelReaders(1);
  await parallelReaders(3);
  await parallelReaders(4);
});

/** Go's reader/writer: activity counts readers (+1) and writers (+10000) inside. */
async function reader(rwm: RWMutex, iterations: number, activity: { n: number }): Promise<void> {
  for (let i = 0; i < iterations; i++) {
    await rwm.rLock();
    const n = ++activity.n;
    assert.ok(n >= 1 && n < 10000, `wlock(${n})`);
    if (i % 5 === 0) await gosched();
    else await null;
    activity.n--;
    rwm.rUnlock();
  }
}

async function writer(rwm: RWMutex, iterations: number, activity: { n: number }): Promise<void> {
  for (let i = 0; i < iterations; i++) {
    await rwm.lock();
    activity.n += 10000;
    assert.equal(activity.n, 10000, `wlock(${activity.n})`);
    if (i % 5 === 0) await gosched();
    else await null;
    activity.n -= 10000;
    rwm.unlock();
  }
}

async function hammerRWMutex(numReaders: number, iterations: number): Promise<void> {
  const activity = { n: 0 };
  const rwm = new RWMutex();
  const cdone = chan<boolean>();
  const run = (f: typeof reader) => {
    go(async () => {
      await f(rwm, iterations, activity);
      await cdone.send(true);
    });
  };
  run(writer);
  let i = 0;
  for (; i < Math.floor(numReaders / 2); i++) run(reader);
  run(writer);
  for (; i < numReaders; i++) run(reader);
  for (let k = 0; k < 2 + numReaders; k++) await cdone.recv();
  assert.equal(activity.n, 0);
}

test("TestRWMutex: tryLock/tryRLock on write-locked, unlocked and read-locked; readers and writers hammer it", async () => {
  const m = new RWMutex();
  await m.lock();
  assert.equal(m.tryLock(), false, "TryLock succeeded with mutex locked");
  assert.equal(m.tryRLock(), false, "TryRLock succeeded with mutex locked");
  m.unlock();
  assert.equal(m.tryLock(), true, "TryLock failed with mutex unlocked");
  m.unlock();
  assert.equal(m.tryRLock(), true, "TryRLock failed with mutex unlocked");
  assert.equal(m.tryRLock(), true, "TryRLock failed with mutex rlocked");
  assert.equal(m.tryLock(), false, "TryLock succeeded with mutex rlocked");
  m.rUnlock();
  m.rUnlock();

  for (const readers of [1, 3, 10, 5]) await hammerRWMutex(readers, 200);
});

test("TestRLocker: rLocker() read-locks, and respects the write lock", async () => {
  const wl = new RWMutex();
  const rl = wl.rLocker();
  const wlocked = chan<boolean>(1);
  const rlocked = chan<boolean>(1);
  const n = 10;
  go(async () => {
    for (let i = 0; i < n; i++) {
      await rl.lock();
      await rl.lock();
      await rlocked.send(true);
      await wl.lock();
      await wlocked.send(true);
    }
  });
  for (let i = 0; i < n; i++) {
    await rlocked.recv();
    rl.unlock();
    await gosched(); // a writer that wrongly got in would have sent by now
    assert.equal(wlocked.tryRecv().ok, false, "RLocker() didn't read-lock it");
    rl.unlock();
    await wlocked.recv();
    await gosched();
    assert.equal(rlocked.tryRecv().ok, false, "RLocker() didn't respect the write lock");
    wl.unlock();
  }
});

test("(gort) a waiting writer blocks new readers; they get in after it", async () => {
  const rw = new RWMutex();
  const order: string[] = [];
  const finished = chan<boolean>(3);
  await rw.rLock(); // reader R1 (main)
  go(async () => {
    await rw.lock();
    order.push("W");
    rw.unlock();
    await finished.send(true);
  });
  await gosched(); // W waits for R1
  assert.equal(rw.tryRLock(), false, "a new reader must not pass a waiting writer");
  for (const name of ["R2", "R3"]) {
    go(async () => {
      await rw.rLock();
      order.push(name);
      rw.rUnlock();
      await finished.send(true);
    });
  }
  await gosched();
  assert.deepEqual(order, [], "readers got in past the waiting writer");
  rw.rUnlock(); // the last active reader lets W in
  for (let i = 0; i < 3; i++) await finished.recv();
  assert.equal(order[0], "W");
  assert.deepEqual(order.slice(1).sort(), ["R2", "R3"]);
});

test("(gort) unlock() lets in every reader that queued, and the next writer waits for all of them", async () => {
  const rw = new RWMutex();
  const log: string[] = [];
  await rw.lock(); // W1 (main)
  const release = chan<boolean>();
  const finished = chan<boolean>(3);
  for (const name of ["R1", "R2"]) {
    go(async () => {
      await rw.rLock();
      log.push(`${name} in`);
      await release.recv();
      log.push(`${name} out`);
      rw.rUnlock();
      await finished.send(true);
    });
  }
  await gosched();
  go(async () => {
    await rw.lock();
    log.push("W2 in");
    rw.unlock();
    await finished.send(true);
  });
  await gosched();
  rw.unlock();
  await gosched();
  assert.deepEqual(log.slice().sort(), ["R1 in", "R2 in"]);
  await release.send(true);
  await gosched();
  assert.equal(log.includes("W2 in"), false, "the writer got in with a reader still inside");
  await release.send(true);
  for (let i = 0; i < 3; i++) await finished.recv();
  assert.equal(log[log.length - 1], "W2 in");
});

test("(gort) recursive read locking deadlocks once a writer waits (Go's documented rule)", async () => {
  const rw = new RWMutex();
  await rw.rLock();
  go(async () => {
    await rw.lock();
    rw.unlock();
  });
  await gosched();
  assert.equal(await blocks(() => rw.rLock()), true);
  rw.rUnlock(); // the writer proceeds, then the blocked reader
  await gosched();
});

test("(gort) using with RWMutex: locked() and rLocked() release at the end of the scope", async () => {
  const rw = new RWMutex();
  {
    using _ = await rw.locked();
    assert.equal(rw.tryRLock(), false);
  }
  {
    using _a = await rw.rLocked();
    using _b = await rw.rLocked();
    assert.equal(rw.tryLock(), false);
  }
  assert.equal(rw.tryLock(), true);
  rw.unlock();
});
