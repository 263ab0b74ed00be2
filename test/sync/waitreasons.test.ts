// gort: goroutines blocked in gort/sync show Go's wait reasons in their
// records (allGoroutines(), what goroutine dumps print), also when they park
// again after a wake-up (a Mutex waiter that lost the race, a Cond waiter
// re-locking, a writer that got the writers' mutex and now waits for
// readers). A goroutine's record is known in its first synchronous segment,
// so each goroutine here blocks before its first await.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { G } from "#internal/g";
import { allGoroutines } from "#internal/sched";
import { go } from "gort";
import { gosched } from "gort/runtime";
import { Cond, Mutex, Once, RWMutex, WaitGroup } from "gort/sync";

/** The function a goroutine record runs (a record may hold it weakly while leaks are tracked). */
function runs(r: G, fn: unknown): boolean {
  const f: unknown = r.fn;
  return (f instanceof WeakRef ? f.deref() : f) === fn;
}

function record(fn: (...args: never[]) => unknown): G {
  const g = allGoroutines().find((r) => runs(r, fn));
  assert.ok(g !== undefined, `no live goroutine runs ${fn.name}`);
  return g;
}

function assertWaiting(fn: (...args: never[]) => unknown, reason: string): void {
  const g = record(fn);
  assert.equal(g.status, "waiting", `${fn.name}: status`);
  assert.equal(g.waitReason, reason, `${fn.name}: wait reason`);
}

function assertGone(fn: (...args: never[]) => unknown): void {
  assert.equal(
    allGoroutines().some((r) => runs(r, fn)),
    false,
    `${fn.name} still exists`,
  );
}

test("(gort) Mutex.lock waits with reason sync.Mutex.Lock, also after re-queueing", async () => {
  const mu = new Mutex();
  await mu.lock();
  const lockerA = async (): Promise<void> => {
    await mu.lock();
    mu.unlock();
  };
  go(lockerA);
  await gosched();
  assertWaiting(lockerA, "sync.Mutex.Lock");
  mu.unlock(); // wakes it ...
  assert.equal(mu.tryLock(), true); // ... but main barges in
  await gosched(); // it resumes, finds the mutex locked and parks again
  assertWaiting(lockerA, "sync.Mutex.Lock");
  mu.unlock();
  await gosched();
  assertGone(lockerA);
});

test("(gort) RWMutex: writers wait with sync.RWMutex.Lock, readers with sync.RWMutex.RLock", async () => {
  const rw = new RWMutex();
  await rw.lock(); // main writes
  const writer2 = async (): Promise<void> => {
    await rw.lock();
    rw.unlock();
  };
  const reader = async (): Promise<void> => {
    await rw.rLock();
    rw.rUnlock();
  };
  go(writer2); // waits for the writers' mutex
  go(reader); // waits for the writer
  await gosched();
  assertWaiting(writer2, "sync.RWMutex.Lock");
  assertWaiting(reader, "sync.RWMutex.RLock");
  rw.unlock(); // lets the reader in and wakes writer2 ...
  assert.equal(rw.tryRLock(), true); // ... main reads too
  await gosched(); // writer2 has the writers' mutex, and waits for main's read lock
  assertWaiting(writer2, "sync.RWMutex.Lock");
  rw.rUnlock();
  await gosched();
  assertGone(writer2);
  assertGone(reader);
});

test("(gort) WaitGroup.wait waits with sync.WaitGroup.Wait", async () => {
  const wg = new WaitGroup();
  wg.add(1);
  const waiter = async (): Promise<void> => {
    await wg.wait();
  };
  go(waiter);
  await gosched();
  assertWaiting(waiter, "sync.WaitGroup.Wait");
  wg.done();
  await gosched();
  assertGone(waiter);
});

test("(gort) Cond.wait waits with sync.Cond.Wait, then re-locking with sync.Mutex.Lock", async () => {
  const mu = new Mutex();
  const c = new Cond(mu);
  const waiter = async (): Promise<void> => {
    assert.ok(mu.tryLock()); // no await before wait(): this goroutine's record is still known
    await c.wait();
    mu.unlock();
  };
  go(waiter);
  await gosched();
  assertWaiting(waiter, "sync.Cond.Wait");
  await mu.lock();
  c.signal();
  await gosched(); // woken, but main holds the mutex
  assertWaiting(waiter, "sync.Mutex.Lock");
  mu.unlock();
  await gosched();
  assertGone(waiter);
});

test("(gort) a Once caller waiting for the running function waits with sync.Mutex.Lock", async () => {
  const once = new Once();
  let release = (): void => {};
  const running = once.do(() => new Promise<void>((r) => (release = r)));
  const second = async (): Promise<void> => {
    await once.do(() => {});
  };
  go(second);
  await gosched();
  assertWaiting(second, "sync.Mutex.Lock");
  release();
  await running;
  await gosched();
  assertGone(second);
});
