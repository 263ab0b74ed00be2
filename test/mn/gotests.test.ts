// Go's own tests, ported to portable goroutines on worker threads and
// shared channels and sync objects (Go 1.19 sources):
//   runtime/chan_test.go   TestMultiConsumer
//   sync/mutex_test.go     TestMutex (HammerMutex), with the critical section checked
//   sync/rwmutex_test.go   TestParallelReaders, TestRWMutex (HammerRWMutex)
//   sync/waitgroup_test.go TestWaitGroup, TestWaitGroupMisuse, TestWaitGroupRace
//   sync/once_test.go      TestOnce, TestOncePanic
// Go's goroutines become portable goroutines (tasks.ts); where Go panics on
// a violation, the task counts it in shared memory and the test asserts.
// Go's `go f()` closures on the test's goroutine become goroutines of the
// main thread where the test mixes both.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, defaultCase, go, recv, select } from "gort";
import { gomaxprocs } from "gort/runtime";
import { Mutex, Once, RWMutex, WaitGroup } from "gort/sync";
import {
  hammerMutex,
  multiFeeder,
  multiWorker,
  onceRun,
  oncePanics,
  parallelReader,
  PN,
  rwReader,
  rwWriter,
  wgBarrier,
  wgMisuse,
  wgRaceInc,
  wgWaiter,
  whereAmI,
} from "./tasks.ts";
import { watchdog } from "./watchdog.ts";

watchdog();
const T = { timeout: 30_000 };

function sharedInts(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

// -- runtime/chan_test.go --

test("TestMultiConsumer: 23 portable workers ranging over a shared channel, a portable feeder", T, async () => {
  const nwork = 23;
  // Go: 271828 values; cut so the test takes about a second on two cores.
  const niter = 27183;
  const q = chan<number>(nwork * 3, { shared: true });
  const r = chan<number>(nwork * 3, { shared: true });
  // workers
  const wg = new WaitGroup({ shared: true });
  for (let i = 0; i < nwork; i++) {
    wg.add(1);
    go(multiWorker, i, q, r, wg);
  }
  // feeder & closer
  let expect = 0;
  for (let i = 0; i < niter; i++) expect += PN[i % PN.length] as number;
  go(multiFeeder, niter, q, r, wg);
  // consume & check
  let n = 0;
  let s = 0;
  for await (const v of r) {
    n++;
    s += v;
  }
  assert.ok(n === niter && s === expect, `Expected sum ${expect} (got ${s}) from ${niter} iter (got ${n})`);
});

// -- sync/mutex_test.go --

test("TestMutex: TryLock on a shared Mutex, then 10 portable HammerMutex × 1000 (and 2 on the main thread)", T, async () => {
  const m = new Mutex({ shared: true });
  await m.lock();
  assert.equal(m.tryLock(), false, "TryLock succeeded with mutex locked");
  m.unlock();
  assert.equal(m.tryLock(), true, "TryLock failed with mutex unlocked");
  m.unlock();

  const state = sharedInts(3);
  const c = chan<boolean>(0, { shared: true });
  const loops = 1000;
  for (let i = 0; i < 10; i++) go(hammerMutex, m, loops, state, c);
  for (let i = 0; i < 2; i++) go(hammerMutex.bind(null), m, loops, state, c); // a plain function: a goroutine of this thread
  for (let i = 0; i < 12; i++) await c.recv();
  assert.equal(Atomics.load(state, 1), 0, "critical sections overlapped");
  assert.equal(Atomics.load(state, 0), 0);
  // Every lock() in the loops (2 of every 3 iterations) plus the successful TryLocks entered it once.
  const locks = 12 * (loops - Math.ceil(loops / 3));
  assert.ok(state[2] as number >= locks, `counter ${state[2]} < ${locks}: increments were lost`);
  assert.ok(state[2] as number <= 12 * loops);
  assert.equal(m.tryLock(), true, "the mutex is left unlocked");
  m.unlock();
});

// -- sync/rwmutex_test.go --

async function doTestParallelReaders(numReaders: number): Promise<void> {
  const m = new RWMutex({ shared: true });
  const clocked = chan<boolean>(0, { shared: true });
  const cunlock = chan<boolean>(0, { shared: true });
  const cdone = chan<boolean>(0, { shared: true });
  for (let i = 0; i < numReaders; i++) go(parallelReader, m, clocked, cunlock, cdone);
  // Wait for all parallel RLock()s to succeed.
  for (let i = 0; i < numReaders; i++) await clocked.recv();
  for (let i = 0; i < numReaders; i++) await cunlock.send(true);
  // Wait for the goroutines to finish.
  for (let i = 0; i < numReaders; i++) await cdone.recv();
  assert.equal(m.tryLock(), true);
  m.unlock();
}

test("TestParallelReaders: portable readers all hold a shared RLock at once", T, async () => {
  await doTestParallelReaders(1);
  await doTestParallelReaders(3);
  await doTestParallelReaders(4);
});

async function hammerRWMutex(numReaders: number, iterations: number): Promise<void> {
  // Number of active readers + 10000 * number of active writers; [1] counts violations.
  const activity = sharedInts(2);
  const rwm = new RWMutex({ shared: true });
  const cdone = chan<boolean>(0, { shared: true });
  go(rwWriter, rwm, iterations, activity, cdone);
  let i = 0;
  for (; i < numReaders / 2; i++) go(rwReader, rwm, iterations, activity, cdone);
  go(rwWriter, rwm, iterations, activity, cdone);
  for (; i < numReaders; i++) go(rwReader, rwm, iterations, activity, cdone);
  // Wait for the 2 writers and all readers to finish.
  for (let k = 0; k < 2 + numReaders; k++) await cdone.recv();
  assert.equal(Atomics.load(activity, 1), 0, `rwmutex violated (readers ${numReaders})`);
  assert.equal(Atomics.load(activity, 0), 0);
}

test("TestRWMutex: TryLock/TryRLock on a shared RWMutex, then HammerRWMutex with portable readers and writers", T, async (t) => {
  const m = new RWMutex({ shared: true });
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

  // Go: n = 1000 iterations for each of GOMAXPROCS 1, 4, 10; here 200, and
  // GOMAXPROCS changed at run time (the workers follow).
  const n = 200;
  const prev = gomaxprocs();
  t.after(() => gomaxprocs(prev));
  for (const procs of [1, 4, prev]) {
    gomaxprocs(procs);
    await hammerRWMutex(1, n);
    await hammerRWMutex(3, n);
    await hammerRWMutex(10, n);
  }
});

// -- sync/waitgroup_test.go --

async function testWaitGroup(wg1: WaitGroup, wg2: WaitGroup): Promise<void> {
  const n = 16;
  wg1.add(n);
  wg2.add(n);
  const exited = chan<boolean>(n, { shared: true });
  for (let i = 0; i !== n; i++) go(wgBarrier, wg1, wg2, exited);
  await wg1.wait();
  for (let i = 0; i !== n; i++) {
    const early = await select([recv(exited, () => true), defaultCase(() => false)]);
    assert.equal(early, false, "WaitGroup released group too soon");
    wg2.done();
  }
  for (let i = 0; i !== n; i++) await exited.recv(); // Will block if barrier fails to unlock someone.
}

test("TestWaitGroup: shared WaitGroups as a barrier for portable goroutines, 8 rounds on the same pair", T, async () => {
  const wg1 = new WaitGroup({ shared: true });
  const wg2 = new WaitGroup({ shared: true });
  // Run the same test a few times to ensure barrier is in a proper state.
  for (let i = 0; i !== 8; i++) await testWaitGroup(wg1, wg2);
});

test("TestWaitGroupMisuse: a negative counter is a RuntimeError on a worker thread and on the main thread", T, async () => {
  const wg = new WaitGroup({ shared: true });
  const out = chan<string>(1, { shared: true });
  go(wgMisuse, wg, out);
  assert.equal(await out.recv(), "RuntimeError: sync: negative WaitGroup counter (instanceof RuntimeError)");
  const wg2 = new WaitGroup({ shared: true });
  wg2.add(1);
  wg2.done();
  assert.throws(() => wg2.done(), { name: "RuntimeError", message: "sync: negative WaitGroup counter" });
});

test("TestWaitGroupRace: 1000 rounds of two portable goroutines and a fresh shared WaitGroup, no spurious wake-up", T, async () => {
  for (let i = 0; i < 1000; i++) {
    const wg = new WaitGroup({ shared: true });
    const n = sharedInts(1);
    wg.add(1);
    go(wgRaceInc, n, wg);
    wg.add(1);
    go(wgRaceInc, n, wg);
    await wg.wait();
    assert.equal(Atomics.load(n, 0), 2, "Spurious wakeup from Wait");
  }
});

test("WaitGroup waited on from several threads at once, released by a portable goroutine", T, async () => {
  const wg = new WaitGroup({ shared: true });
  const n = sharedInts(1);
  const out = chan<number>(8, { shared: true });
  wg.add(4);
  for (let i = 0; i < 6; i++) go(wgWaiter, wg, n, out);
  const mine = wg.wait().then(() => Atomics.load(n, 0));
  for (let i = 0; i < 4; i++) go(wgRaceInc, n, wg);
  for (let i = 0; i < 6; i++) assert.equal(await out.recv(), 4);
  assert.equal(await mine, 4);
});

test("wg.go(task, ...) on a shared WaitGroup starts a portable goroutine, as go(task, ...) does, and wait() returns once it ends", T, async () => {
  const wg = new WaitGroup({ shared: true });
  const out = chan<[number, boolean]>(4, { shared: true });
  for (let i = 0; i < 4; i++) wg.go(whereAmI, out);
  await wg.wait();
  assert.equal(out.len(), 4, "wait() returned before every goroutine had sent");
  for (let i = 0; i < 4; i++) {
    const [tid, main] = (await out.recv()) as [number, boolean];
    assert.equal(main, false, "ran on the main thread");
    assert.notEqual(tid, 0);
  }
});

test("wg.go(task, ...) needs a shared WaitGroup, and an argument that cannot travel leaves the counter as it was", T, async () => {
  const local = new WaitGroup();
  const out = chan<[number, boolean]>(1, { shared: true });
  assert.throws(() => local.go(whereAmI, out), /is a task .*new WaitGroup\(\{ shared: true \}\)/);
  const wg = new WaitGroup({ shared: true });
  assert.throws(() => wg.go(whereAmI, chan<[number, boolean]>(1) as unknown as typeof out), TypeError);
  await wg.wait(); // the counter is 0: returns at once
});

// -- sync/once_test.go --

test("TestOnce: 10 portable goroutines and 2 local ones share a Once; f runs once, and do() returns after it", T, async () => {
  for (let round = 0; round < 5; round++) {
    const o = sharedInts(1);
    const once = new Once({ shared: true });
    const c = chan<number>(0, { shared: true });
    const N = 10;
    for (let i = 0; i < N; i++) go(onceRun, once, o, c);
    for (let i = 0; i < 2; i++) go(onceRun.bind(null), once, o, c);
    for (let i = 0; i < N + 2; i++) assert.equal(await c.recv(), 1, "once failed inside run");
    assert.equal(Atomics.load(o, 0), 1, "once failed outside run");
  }
});

test("TestOncePanic: f throws in do() on a worker; the Once is done for every thread", T, async () => {
  const once = new Once({ shared: true });
  const o = sharedInts(1);
  const out = chan<string>(1, { shared: true });
  go(oncePanics, once, o, out);
  assert.equal(await out.recv(), "Error: failed");
  // Later calls, here and on workers, do not call f.
  go(oncePanics, once, o, out);
  assert.equal(await out.recv(), "no error");
  await once.do(() => {
    throw new Error("Once.Do called twice");
  });
  assert.equal(Atomics.load(o, 0), 1);
});
