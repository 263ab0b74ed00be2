// The local run queue and the global run queue in one thread: FIFO order,
// runnext, overflow of half the ring to the global queue, stealing half, the
// empty cases, and counters that wrap at 32 bits. Interleavings are checked
// by runq.model.test.ts, real threads by runq.threads.test.ts.

import assert from "node:assert/strict";
import { test } from "node:test";
import { FatalError } from "#internal/shm/fatal";
import { GlobRunq, initGlobRunq } from "#internal/shm/globrunq";
import { LOCAL_RUNQ_SIZE, RUNQ_HEAD, RUNQ_TAIL, runqWords } from "#internal/shm/layout";
import { unlock } from "#internal/shm/lock";
import { realAtomics } from "#internal/shm/atomics";
import { initRunq, LocalRunq, type RunqOverflow, StealRunq } from "#internal/shm/runq";

/** Overflow target that records what it is given (Tokio's Vec overflow). */
class ArrayOverflow implements RunqOverflow {
  readonly ids: number[] = [];
  batches = 0;
  putBatch(ids: Int32Array, n: number): void {
    this.batches++;
    for (let i = 0; i < n; i++) this.ids.push(ids[i] as number);
  }
}

/** `count` queues of `capacity` slots, one after the other in one shared buffer. */
function queues(count: number, capacity: number, overflow: RunqOverflow = new ArrayOverflow()) {
  const words = runqWords(capacity);
  const mem = new Int32Array(new SharedArrayBuffer(count * words * 4));
  const locals: LocalRunq[] = [];
  const steals: StealRunq[] = [];
  for (let i = 0; i < count; i++) {
    initRunq(mem, i * words, capacity);
    locals.push(new LocalRunq(mem, i * words, overflow));
    steals.push(new StealRunq(mem, i * words));
  }
  return { mem, words, locals, steals };
}

function one<T>(xs: readonly T[], i = 0): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
}

/** Gets until the queue is empty. */
function drain(q: LocalRunq): number[] {
  const out: number[] = [];
  for (let id = q.get(); id !== 0; id = q.get()) out.push(id);
  return out;
}

// -- Empty queues --

test("LocalRunq.get() on an empty queue returns 0", () => {
  const q = one(queues(1, 4).locals);
  assert.equal(q.get(), 0);
  assert.equal(q.inheritTime, false);
  assert.equal(q.isEmpty(), true);
  assert.equal(q.size(), 0);
});

test("LocalRunq.steal() from an empty queue takes nothing, with or without runnext", () => {
  const { locals, steals } = queues(2, 4);
  const thief = one(locals, 1);
  assert.equal(thief.steal(one(steals, 0), false), 0);
  assert.equal(thief.steal(one(steals, 0), true, 0), 0);
  assert.equal(thief.isEmpty(), true);
});

// -- FIFO and runnext --

test("LocalRunq.get() returns ids in the order put", () => {
  const q = one(queues(1, LOCAL_RUNQ_SIZE).locals);
  for (let id = 1; id <= LOCAL_RUNQ_SIZE; id++) q.put(id, false);
  assert.equal(q.size(), LOCAL_RUNQ_SIZE);
  const got = drain(q);
  assert.deepEqual(
    got,
    Array.from({ length: LOCAL_RUNQ_SIZE }, (_, i) => i + 1),
  );
});

test("LocalRunq.put(id, true) runs id next and inherits the time slice", () => {
  const q = one(queues(1, 4).locals);
  q.put(1, false);
  q.put(2, true);
  assert.equal(q.get(), 2);
  assert.equal(q.inheritTime, true);
  assert.equal(q.get(), 1);
  assert.equal(q.inheritTime, false);
});

test("LocalRunq.put(id, true) kicks the previous runnext to the tail", () => {
  const q = one(queues(1, 4).locals);
  q.put(1, true);
  q.put(2, true); // 1 goes to the tail
  q.put(3, false);
  q.put(4, true); // 2 goes to the tail
  assert.deepEqual(drain(q), [4, 1, 3, 2]);
});

test("StealRunq.isEmpty() sees a goroutine that is only in runnext", () => {
  const { locals, steals } = queues(1, 4);
  one(locals).put(7, true);
  assert.equal(one(steals).isEmpty(), false);
  assert.equal(one(steals).size(), 1);
});

test("LocalRunq.put() rejects ids that are not positive int32s", () => {
  const q = one(queues(1, 4).locals);
  for (const bad of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
    assert.throws(() => q.put(bad, false), RangeError);
    assert.throws(() => q.put(bad, true), RangeError);
  }
  assert.equal(q.isEmpty(), true);
});

test("LocalRunq keeps FIFO order while head and tail wrap past 2^31 and 2^32", () => {
  for (const start of [0x7ffffffe, -2]) {
    const { mem, locals } = queues(1, 4);
    mem[RUNQ_HEAD] = start;
    mem[RUNQ_TAIL] = start;
    const q = one(locals);
    const got: number[] = [];
    let next = 1;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) q.put(next++, false);
      got.push(q.get(), q.get());
      q.put(next++, false);
      got.push(q.get(), q.get());
    }
    assert.equal(q.get(), 0);
    assert.deepEqual(
      got,
      Array.from({ length: 20 }, (_, i) => i + 1),
      `start ${start}`,
    );
  }
});

// -- Overflow --

test("LocalRunq.put() on a full queue moves the older half and the new id to the overflow target", () => {
  const overflow = new ArrayOverflow();
  const q = one(queues(1, 4, overflow).locals);
  for (let id = 1; id <= 4; id++) q.put(id, false);
  q.put(5, false);
  assert.deepEqual(overflow.ids, [1, 2, 5]);
  assert.equal(overflow.batches, 1);
  assert.deepEqual(drain(q), [3, 4]);
});

test("LocalRunq.put(id, true) on a full queue overflows the kicked runnext, keeping the new one next", () => {
  const overflow = new ArrayOverflow();
  const q = one(queues(1, 4, overflow).locals);
  q.put(10, true);
  for (let id = 1; id <= 4; id++) q.put(id, false);
  q.put(11, true); // 10 is kicked to the full ring: 1, 2 and 10 overflow
  assert.deepEqual(overflow.ids, [1, 2, 10]);
  assert.deepEqual(drain(q), [11, 3, 4]);
});

test("LocalRunq with 256 slots overflows 129 ids to the global queue in one batch", () => {
  const words = runqWords(LOCAL_RUNQ_SIZE);
  const mem = new Int32Array(new SharedArrayBuffer((words + 1024) * 4));
  initRunq(mem, 0);
  initGlobRunq(mem, words, 512);
  const glob = new GlobRunq(mem, words);
  const q = new LocalRunq(mem, 0, glob);
  for (let id = 1; id <= 257; id++) q.put(id, false);
  assert.equal(glob.size(), 129);
  assert.equal(q.size(), 128);
  const fromGlobal = new Int32Array(200);
  const n = glob.getBatch(fromGlobal, 200);
  assert.deepEqual(
    Array.from(fromGlobal.subarray(0, n)),
    [...Array.from({ length: 128 }, (_, i) => i + 1), 257],
  );
  assert.deepEqual(
    drain(q),
    Array.from({ length: 128 }, (_, i) => i + 129),
  );
});

test("LocalRunq.putBatch() fills the ring and overflows the rest", () => {
  const overflow = new ArrayOverflow();
  const q = one(queues(1, 4, overflow).locals);
  q.put(1, false);
  q.putBatch(Int32Array.of(2, 3, 4, 5, 6), 5);
  assert.deepEqual(overflow.ids, [5, 6]);
  assert.deepEqual(drain(q), [1, 2, 3, 4]);
});

// -- Stealing --

test("LocalRunq.steal() takes the older half, rounded up, and returns the newest of them", () => {
  const { locals, steals } = queues(2, 8);
  const owner = one(locals, 0);
  const thief = one(locals, 1);
  for (let id = 1; id <= 5; id++) owner.put(id, false);
  assert.equal(thief.steal(one(steals, 0), false), 3);
  assert.deepEqual(drain(thief), [1, 2]);
  assert.deepEqual(drain(owner), [4, 5]);
});

test("LocalRunq.steal() leaves runnext alone unless asked, and while the ring has ids", () => {
  const { locals, steals } = queues(2, 4);
  const owner = one(locals, 0);
  const thief = one(locals, 1);
  owner.put(9, true);
  assert.equal(thief.steal(one(steals, 0), false), 0);
  owner.put(1, false);
  assert.equal(thief.steal(one(steals, 0), true, 0), 1); // the ring is not empty: runnext stays
  assert.equal(thief.steal(one(steals, 0), true, 0), 9); // now it is: runnext is taken
  assert.equal(owner.isEmpty(), true);
  assert.equal(thief.isEmpty(), true);
});

test("LocalRunq.steal() takes no more than the thief has room for", () => {
  const { locals, steals } = queues(2, 4);
  const owner = one(locals, 0);
  const thief = one(locals, 1);
  for (let id = 1; id <= 4; id++) owner.put(id, false);
  for (let id = 11; id <= 14; id++) thief.put(id, false);
  assert.equal(thief.steal(one(steals, 0), false), 0); // full: no room
  assert.equal(thief.get(), 11);
  assert.equal(thief.steal(one(steals, 0), false), 1); // room for one, which it runs now
  assert.equal(thief.get(), 12);
  thief.put(15, false);
  assert.equal(thief.steal(one(steals, 0), false), 2);
  assert.deepEqual(drain(thief), [13, 14, 15]);
  assert.deepEqual(drain(owner), [3, 4]);
});

test("LocalRunq.steal() from a queue whose ids were all stolen takes nothing", () => {
  const { locals, steals } = queues(3, 4);
  one(locals, 0).put(1, false);
  assert.equal(one(locals, 1).steal(one(steals, 0), false), 1);
  assert.equal(one(locals, 2).steal(one(steals, 0), false), 0);
  assert.equal(one(locals, 0).get(), 0);
});

test("LocalRunq.steal() from itself is a fatal error", () => {
  const { locals, steals } = queues(1, 4);
  assert.throws(() => one(locals).steal(one(steals), false), FatalError);
});

// -- Layout checks --

test("initRunq() rejects capacities that are not powers of two, and StealRunq an uninitialised queue", () => {
  const mem = new Int32Array(new SharedArrayBuffer(runqWords(8) * 4));
  for (const bad of [0, 1, 3, 6, 2.5]) assert.throws(() => initRunq(mem, 0, bad), RangeError);
  assert.throws(() => initRunq(mem, 0, 256), RangeError); // does not fit
  assert.throws(() => new StealRunq(mem, 0), FatalError);
});

// -- Global run queue --

test("GlobRunq.get() takes a 1/GOMAXPROCS share, runs the first and queues the rest locally", () => {
  const words = runqWords(8);
  const mem = new Int32Array(new SharedArrayBuffer((words + 64) * 4));
  initRunq(mem, 0, 8);
  initGlobRunq(mem, words, 32);
  const glob = new GlobRunq(mem, words);
  const q = new LocalRunq(mem, 0, glob);
  glob.putBatch(Int32Array.from({ length: 10 }, (_, i) => i + 1), 10);
  assert.equal(glob.get(q, 4), 1); // 10/4 + 1 = 3 taken
  assert.deepEqual(drain(q), [2, 3]);
  assert.equal(glob.get(q, 1), 4); // capped at half the local queue: 4
  assert.deepEqual(drain(q), [5, 6, 7]);
  assert.equal(glob.get(q, 1, 1), 8); // max 1 (the 61st-tick check)
  assert.equal(q.isEmpty(), true);
  glob.put(11);
  assert.equal(glob.size(), 3);
  assert.equal(glob.get(q, 1), 9);
  assert.deepEqual(drain(q), [10, 11]);
  assert.equal(glob.get(q, 1), 0);
});

test("GlobRunq.putBatch() beyond its capacity is a fatal error and leaves the lock free", () => {
  const mem = new Int32Array(new SharedArrayBuffer(64 * 4));
  initGlobRunq(mem, 0, 4);
  const glob = new GlobRunq(mem, 0);
  glob.putBatch(Int32Array.of(1, 2, 3), 3);
  assert.throws(() => glob.putBatch(Int32Array.of(4, 5), 2), FatalError);
  glob.put(4); // would hang if the lock had been left held
  const out = new Int32Array(8);
  assert.deepEqual(Array.from(out.subarray(0, glob.getBatch(out, 8))), [1, 2, 3, 4]);
});

test("unlock() of a free shared lock is a fatal error", () => {
  const mem = new Int32Array(new SharedArrayBuffer(4));
  assert.throws(() => unlock(realAtomics, mem, 0), FatalError);
  assert.equal(mem[0], 0);
});
