// Port of Go's src/sync/mutex_test.go (Go 1.19): TestMutex (with
// HammerMutex), TestMutexMisuse (every misuse case, Mutex and RWMutex) and
// TestMutexFairness, written anew against gort/sync; plus gort's checks of
// the two modes of sync/mutex.go: barging and front re-queueing in normal
// mode, FIFO hand-off in starvation mode (time from the clock seam, no
// sleeping), and `using`.

import assert from "node:assert/strict";
import { test } from "node:test";
import { setClockForTesting } from "#internal/clock";
import { chan, go, RuntimeError } from "gort";
import { gosched } from "gort/runtime";
import { Mutex, RWMutex } from "gort/sync";

/** A clock the test moves by hand (ms). Restored after the test. */
function fakeClock(t: { after(fn: () => void): void }): { now: number } {
  const clock = { now: 1000 };
  setClockForTesting(() => clock.now);
  t.after(() => setClockForTesting(null));
  return clock;
}

/** Go's HammerMutex, with a check of mutual exclusion and a yield inside the critical section. */
async function hammerMutex(m: Mutex, loops: number, inside: { n: number }): Promise<void> {
  for (let i = 0; i < loops; i++) {
    if (i % 3 === 0) {
      if (m.tryLock()) {
        assert.equal(inside.n++, 0, "two holders at once (tryLock)");
        inside.n--;
        m.unlock();
      }
      continue;
    }
    await m.lock();
    assert.equal(inside.n++, 0, "two holders at once");
    if (i % 7 === 0) await gosched();
    else await null; // let other goroutines run while holding the lock
    inside.n--;
    m.unlock();
  }
}

test("TestMutex: tryLock fails on a locked mutex and succeeds on an unlocked one; 10 goroutines hammer it", async () => {
  const m = new Mutex();
  await m.lock();
  assert.equal(m.tryLock(), false, "tryLock succeeded with mutex locked");
  m.unlock();
  assert.equal(m.tryLock(), true, "tryLock failed with mutex unlocked");
  m.unlock();

  const c = chan<boolean>();
  const inside = { n: 0 };
  for (let i = 0; i < 10; i++) {
    go(async () => {
      await hammerMutex(m, 1000, inside);
      await c.send(true);
    });
  }
  for (let i = 0; i < 10; i++) await c.recv();
  assert.equal(m.tryLock(), true, "mutex left locked");
  m.unlock();
});

const misuse: ReadonlyArray<readonly [string, string, () => Promise<void>]> = [
  ["Mutex.Unlock", "sync: unlock of unlocked mutex", async () => new Mutex().unlock()],
  [
    "Mutex.Unlock2",
    "sync: unlock of unlocked mutex",
    async () => {
      const mu = new Mutex();
      await mu.lock();
      mu.unlock();
      mu.unlock();
    },
  ],
  ["RWMutex.Unlock", "sync: Unlock of unlocked RWMutex", async () => new RWMutex().unlock()],
  [
    "RWMutex.Unlock2",
    "sync: Unlock of unlocked RWMutex",
    async () => {
      const mu = new RWMutex();
      await mu.rLock();
      mu.unlock();
    },
  ],
  [
    "RWMutex.Unlock3",
    "sync: Unlock of unlocked RWMutex",
    async () => {
      const mu = new RWMutex();
      await mu.lock();
      mu.unlock();
      mu.unlock();
    },
  ],
  ["RWMutex.RUnlock", "sync: RUnlock of unlocked RWMutex", async () => new RWMutex().rUnlock()],
  [
    "RWMutex.RUnlock2",
    "sync: RUnlock of unlocked RWMutex",
    async () => {
      const mu = new RWMutex();
      await mu.lock();
      mu.rUnlock();
    },
  ],
  [
    "RWMutex.RUnlock3",
    "sync: RUnlock of unlocked RWMutex",
    async () => {
      const mu = new RWMutex();
      await mu.rLock();
      mu.rUnlock();
      mu.rUnlock();
    },
  ],
];

for (const [name, message, f] of misuse) {
  test(`TestMutexMisuse ${name}: throws RuntimeError "${message}"`, async () => {
    await assert.rejects(f, (err: unknown) => err instanceof RuntimeError && err.message === message);
  });
}

test("(gort) after a misuse error the lock still works", async () => {
  const mu = new Mutex();
  assert.throws(() => mu.unlock(), RuntimeError);
  await mu.lock();
  assert.equal(mu.tryLock(), false);
  mu.unlock();
  assert.equal(mu.tryLock(), true);
  mu.unlock();

  const rw = new RWMutex();
  await rw.lock();
  assert.throws(() => rw.rUnlock(), RuntimeError);
  assert.equal(rw.tryRLock(), false, "still write-locked");
  rw.unlock();
  await rw.rLock();
  assert.throws(() => rw.unlock(), RuntimeError);
  assert.equal(rw.tryLock(), false, "still read-locked");
  rw.rUnlock();
  assert.equal(rw.tryLock(), true);
  rw.unlock();
});

/**
 * Go's TestMutexFairness: a goroutine that holds the mutex most of the time
 * (it "sleeps" 100 µs inside and re-locks at once) against one that wants it
 * 10 times. Time is the fake clock: each of the hog's rounds takes 0.1 ms.
 * Returns how many of its 10 lock/unlocks the other goroutine got within
 * `hogRounds` rounds of the hog.
 */
async function fairness(clock: { now: number } | null, hogRounds: number): Promise<number> {
  const mu = new Mutex();
  const stop = chan<boolean>();
  const hogDone = chan<boolean>();
  let got = 0;
  let hogRunning = true;
  go(async () => {
    for (let round = 0; ; round++) {
      await mu.lock();
      if (clock !== null) clock.now += 0.1;
      await gosched(); // the 100 µs spent holding the lock
      mu.unlock();
      const s = stop.tryRecv();
      if (s.ok || s.closed || round >= hogRounds) break;
    }
    hogRunning = false;
    await hogDone.send(true);
  });
  const done = chan<boolean>(1);
  go(async () => {
    for (let i = 0; i < 10; i++) {
      await gosched();
      await mu.lock();
      if (hogRunning) got++;
      mu.unlock();
    }
    await done.send(true);
  });
  // Go gives up after 10 s; here the hog gives up after hogRounds rounds.
  await done.recv();
  stop.close();
  await hogDone.recv();
  return got;
}

test("TestMutexFairness: a goroutine gets a mutex that another keeps re-locking (starvation mode)", async (t) => {
  const clock = fakeClock(t);
  // Each of its 10 waits starves after 1 ms (10 of the hog's rounds) and is then handed the mutex.
  assert.equal(await fairness(clock, 1000), 10);
});

test("(gort) normal mode: with no time passing, the re-locking goroutine always wins against the woken waiter", async () => {
  setClockForTesting(() => 0);
  try {
    // The same contest as TestMutexFairness, but no time passes: the waiter
    // never starves, and the hog, barging in each time, keeps the mutex for all its 200 rounds.
    assert.equal(await fairness(null, 200), 0);
  } finally {
    setClockForTesting(null);
  }
});

test("(gort) normal mode: a lock() before the woken waiter resumes takes the mutex; the waiter re-queues at the front", async () => {
  setClockForTesting(() => 0);
  try {
    const mu = new Mutex();
    const order: string[] = [];
    await mu.lock();
    const finished = chan<boolean>(2);
    for (const name of ["A", "B"]) {
      go(async () => {
        await mu.lock();
        order.push(name);
        mu.unlock();
        await finished.send(true);
      });
      await gosched(); // A queues before B
    }
    mu.unlock(); // wakes A
    assert.equal(mu.tryLock(), true, "a running goroutine barges in before the woken waiter resumes");
    await gosched(); // A resumes, finds the mutex locked, queues again — at the front
    mu.unlock(); // wakes A again, not B
    await finished.recv();
    await finished.recv();
    assert.deepEqual(order, ["A", "B"]);
  } finally {
    setClockForTesting(null);
  }
});

test("(gort) starvation mode: after 1 ms of waiting the mutex is handed FIFO to the waiters, then returns to normal", async (t) => {
  const clock = fakeClock(t);
  const mu = new Mutex();
  const order: string[] = [];
  /** Whether tryLock() succeeded right after each goroutine's unlock (false: handed to the next waiter). */
  const tryAfter: Record<string, boolean> = {};
  const finished = chan<boolean>(5);
  const contender = async (name: string): Promise<void> => {
    await mu.lock();
    order.push(name);
    mu.unlock();
    const barged = mu.tryLock();
    tryAfter[name] = barged;
    if (barged) mu.unlock();
    await finished.send(true);
  };

  await mu.lock(); // main holds the mutex
  for (const name of ["A", "B", "C"]) {
    go(contender, name);
    await gosched();
  }
  clock.now += 2; // A, B and C have now waited 2 ms
  mu.unlock(); // wakes A (normal mode)
  assert.equal(mu.tryLock(), true, "main barges in"); // A resumes to find it locked...
  await gosched(); // ... has starved: sets starvation mode and re-queues at the front
  assert.equal(mu.tryLock(), false);
  mu.unlock(); // starvation mode: handed to A
  assert.equal(mu.tryLock(), false, "tryLock must not take a mutex being handed off");
  // New arrivals queue behind, no barging: N, then N2.
  go(async () => {
    const n = contender("N"); // parks in lock() before N2 starts
    go(contender, "N2");
    await n;
  });
  for (let i = 0; i < 5; i++) await finished.recv();
  assert.deepEqual(order, ["A", "B", "C", "N", "N2"]);
  // A, B, C starved: each unlock handed the mutex on. N waited < 1 ms: taking it ended starvation mode,
  // so after N's unlock (which woke N2) a tryLock could barge in again.
  assert.deepEqual(tryAfter, { A: false, B: false, C: false, N: true, N2: true });
  assert.equal(mu.tryLock(), true);
  mu.unlock();
});

test("(gort) the last waiter leaves starvation mode even if it starved", async (t) => {
  const clock = fakeClock(t);
  const mu = new Mutex();
  await mu.lock();
  const got = chan<string>(1);
  go(async () => {
    await mu.lock();
    await got.send("A");
  });
  await gosched();
  clock.now += 5;
  mu.unlock();
  assert.equal(mu.tryLock(), true); // barge
  await gosched(); // A starves, sets starvation mode
  mu.unlock(); // hand-off
  assert.equal(await got.recv(), "A");
  mu.unlock(); // A's lock, released by main: a Mutex is not tied to a goroutine
  // A was the last waiter: normal mode again, so the mutex is simply free.
  assert.equal(mu.tryLock(), true);
  mu.unlock();
});

test("(gort) using: `using _ = await mu.locked()` unlocks at the end of the scope, also on throw", async () => {
  assert.equal(typeof Symbol.dispose, "symbol", "Node.js provides Symbol.dispose");
  const mu = new Mutex();
  {
    using _ = await mu.locked();
    assert.equal(mu.tryLock(), false);
  }
  assert.equal(mu.tryLock(), true);
  mu.unlock();

  const fails = async (): Promise<void> => {
    using _guard = await mu.locked();
    throw new Error("inside");
  };
  await assert.rejects(fails, /inside/);
  assert.equal(mu.tryLock(), true, "unlocked after the throw");
  mu.unlock();

  // A contended locked(): the guard arrives once the lock is handed over.
  await mu.lock();
  let inside = false;
  const entered = chan<boolean>(1);
  go(async () => {
    using _ = await mu.locked();
    inside = true;
    await entered.send(true);
  });
  await gosched();
  await gosched();
  assert.equal(inside, false, "locked() resolved while the mutex was held");
  mu.unlock();
  await entered.recv();
  await gosched();
  assert.equal(mu.tryLock(), true, "the guard released the lock at the end of the goroutine's scope");
  mu.unlock();
});

test("(gort) a guard releases its lock once: unlock() then dispose does not unlock someone else's hold", async () => {
  const mu = new Mutex();
  const g = await mu.locked();
  assert.equal(g.held, true);
  g.unlock();
  assert.equal(g.held, false);
  await mu.lock(); // someone else's hold
  g[Symbol.dispose]();
  assert.equal(mu.tryLock(), false, "still held");
  mu.unlock();
});
