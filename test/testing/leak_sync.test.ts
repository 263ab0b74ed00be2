// Leak detection for goroutines blocked on gort/sync primitives: the
// WaitGroup, Mutex, RWMutex and Cond patterns of Go's goroutine-leak profile
// tests (src/runtime/testdata/testgoroutineleakprofile/), each reported, and
// a goroutine waiting on a primitive still reachable elsewhere not reported.

import assert from "node:assert/strict";
import { test } from "node:test";
import { go } from "gort";
import { gosched } from "gort/runtime";
import { Cond, Mutex, RWMutex, WaitGroup } from "gort/sync";
import { findLeaks, trackLeaks } from "gort/testing";

trackLeaks();

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await gosched();
}

async function leakedNames(): Promise<string[]> {
  return (await findLeaks()).map((l) => l.function).sort();
}

test("findLeaks() reports goroutines blocked forever on a WaitGroup, Mutex, RWMutex or Cond", async () => {
  (() => {
    // WaitGroup: one add too many; wait never returns.
    const wg = new WaitGroup();
    wg.add(2);
    go(async function oneDone() {
      wg.done();
    });
    go(async function waitGroupWait() {
      await wg.wait();
    });
    // Mutex: locked and never unlocked.
    const mu = new Mutex();
    void mu.lock();
    go(async function mutexLock() {
      await mu.lock();
    });
    // RWMutex: a reader never unlocks; the writer waits, and a later reader waits behind it.
    const rw = new RWMutex();
    void rw.rLock();
    go(async function rwWriter() {
      // Starts once this writer is waiting, so it queues behind it.
      go(async function rwReaderBehindWriter() {
        await rw.rLock();
      });
      await rw.lock();
    });
    // Cond: nobody ever signals.
    const cmu = new Mutex();
    const cond = new Cond(cmu);
    go(async function condWait() {
      await cmu.lock();
      await cond.wait();
    });
  })();
  await settle();
  assert.deepEqual(await leakedNames(), ["condWait", "mutexLock", "rwReaderBehindWriter", "rwWriter", "waitGroupWait"]);
});

test("findLeaks() reports a partial deadlock: two goroutines each holding the mutex the other waits for", async () => {
  (() => {
    const a = new Mutex();
    const b = new Mutex();
    const bothLocked = new WaitGroup();
    bothLocked.add(2);
    go(async function locksAThenB() {
      await a.lock();
      bothLocked.done();
      await bothLocked.wait();
      await b.lock();
    });
    go(async function locksBThenA() {
      await b.lock();
      bothLocked.done();
      await bothLocked.wait();
      await a.lock();
    });
  })();
  await settle();
  assert.deepEqual(await leakedNames(), ["locksAThenB", "locksBThenA"]);
});

const held: Mutex[] = [];

test("findLeaks() does not report a goroutine waiting on a mutex that is still reachable", async () => {
  const mu = new Mutex();
  held.push(mu); // module scope: someone may still unlock it
  await mu.lock();
  let got = false;
  go(async function waitsForHeldMutex() {
    await mu.lock();
    got = true;
    mu.unlock();
  });
  await settle();
  assert.deepEqual(await leakedNames(), []);
  mu.unlock();
  await settle();
  assert.equal(got, true);
});
