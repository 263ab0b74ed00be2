// gort/sync/atomic: Go's typed atomics (Go 1.19's Int32, Uint32, Int64,
// Uint64, Bool; And/Or from Go 1.23). Their semantics in one thread (Go's
// wrapping arithmetic, the ranges of the Go types, the errors of bad
// arguments), then across threads: atomics travel by reference to portable
// goroutines and through shared channels, and N goroutines × K updates on
// GOMAXPROCS worker threads come to an exact total.

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { test } from "node:test";
import { chan, go } from "gort";
import { gomaxprocs } from "gort/runtime";
import { WaitGroup } from "gort/sync";
import { Bool, Int32, Int64, Uint32, Uint64 } from "gort/sync/atomic";
import { bounce, type Counters, hammer, make } from "../fixtures/atomic_tasks.ts";

// Two worker threads even on a one-CPU machine, so that the hammers overlap.
gomaxprocs(Math.max(2, gomaxprocs()));

const MAX_INT32 = 2 ** 31 - 1;
const MIN_INT32 = -(2 ** 31);
const MAX_UINT32 = 2 ** 32 - 1;
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

test("Int32: load, store, swap, compareAndSwap, add, sub, and, or", () => {
  const x = new Int32();
  assert.equal(x.load(), 0);
  const y = new Int32(-7);
  assert.equal(y.load(), -7);
  x.store(42);
  assert.equal(x.load(), 42);
  assert.equal(x.swap(43), 42);
  assert.equal(x.compareAndSwap(42, 1), false);
  assert.equal(x.load(), 43);
  assert.equal(x.compareAndSwap(43, 1), true);
  assert.equal(x.load(), 1);
  assert.equal(x.add(9), 10);
  assert.equal(x.add(-3), 7);
  assert.equal(x.sub(10), -3);
  x.store(0b1100);
  assert.equal(x.and(0b1010), 0b1100); // And and Or return the old value (Go 1.23)
  assert.equal(x.load(), 0b1000);
  assert.equal(x.or(0b0011), 0b1000);
  assert.equal(x.load(), 0b1011);
  assert.equal(inspect(x), "Int32(11)");
});

test("Int32 wraps around like Go's int32", () => {
  const x = new Int32(MAX_INT32);
  assert.equal(x.add(1), MIN_INT32);
  assert.equal(x.sub(1), MAX_INT32);
  assert.equal(x.add(MAX_INT32), -2);
  x.store(MIN_INT32);
  assert.equal(x.sub(MIN_INT32), 0); // -2^31 - (-2^31)
  x.store(-1);
  assert.equal(x.or(MIN_INT32), -1);
  assert.equal(x.and(MAX_INT32), -1);
  assert.equal(x.load(), MAX_INT32);
});

test("Int32 rejects what an int32 cannot hold: TypeError for non-integers, RangeError out of range", () => {
  const x = new Int32(5);
  for (const bad of [1.5, Number.NaN, "1", 1n, null, undefined, Infinity]) {
    assert.throws(() => x.add(bad as number), TypeError, `add(${String(bad)})`);
  }
  assert.throws(() => x.store(1.5), { name: "TypeError", message: "atomic: Int32.store: value must be an integer, received 1.5" });
  assert.throws(() => x.add(1n as unknown as number), { message: "atomic: Int32.add: delta must be an integer (a number, not a bigint), received 1n" });
  assert.throws(() => x.add(2 ** 31), {
    name: "RangeError",
    message: "atomic: Int32.add: delta must be an integer from -2147483648 to 2147483647, received 2147483648",
  });
  assert.throws(() => x.store(MIN_INT32 - 1), RangeError);
  assert.throws(() => x.swap(2 ** 40), RangeError);
  assert.throws(() => x.compareAndSwap(5, 2 ** 31), RangeError);
  assert.throws(() => x.compareAndSwap(2 ** 31, 0), RangeError);
  assert.throws(() => new Int32(2 ** 31), { name: "RangeError", message: /^atomic: Int32\.constructor: value must be/ });
  assert.throws(() => new Int32("0" as unknown as number), TypeError);
  assert.equal(x.load(), 5, "a rejected call changes nothing");
});

test("Uint32: unsigned values, wrapping modulo 2^32, sub for subtraction", () => {
  const x = new Uint32(MAX_UINT32);
  assert.equal(x.load(), MAX_UINT32);
  assert.equal(x.add(1), 0);
  assert.equal(x.sub(1), MAX_UINT32);
  assert.equal(x.add(MAX_UINT32), MAX_UINT32 - 1);
  x.store(0x8000_0000);
  assert.equal(x.load(), 2 ** 31, "no sign");
  assert.equal(x.swap(3), 2 ** 31);
  assert.equal(x.compareAndSwap(3, MAX_UINT32), true);
  assert.equal(x.load(), MAX_UINT32);
  assert.equal(x.and(0xff), MAX_UINT32);
  assert.equal(x.or(0xffff_ff00), 0xff);
  assert.equal(x.load(), MAX_UINT32);
  assert.throws(() => x.add(-1), {
    name: "RangeError",
    message: "atomic: Uint32.add: delta must be an integer from 0 to 4294967295, received -1 (use sub() to subtract)",
  });
  assert.throws(() => x.store(2 ** 32), RangeError);
  assert.throws(() => new Uint32(-1), RangeError);
  assert.throws(() => x.or(0.5), TypeError);
  assert.equal(inspect(new Uint32(7)), "Uint32(7)");
});

test("Int64: bigint values over the whole int64 range, wrapping like Go's int64", () => {
  const x = new Int64();
  assert.equal(x.load(), 0n);
  x.store(MAX_INT64);
  assert.equal(x.load(), MAX_INT64);
  assert.equal(x.add(1n), MIN_INT64);
  assert.equal(x.sub(1n), MAX_INT64);
  assert.equal(x.swap(-5n), MAX_INT64);
  assert.equal(x.compareAndSwap(5n, 0n), false);
  assert.equal(x.compareAndSwap(-5n, 2n ** 40n), true);
  assert.equal(x.add(2n ** 40n), 2n ** 41n, "beyond 2^53, exactly");
  x.store(-1n);
  assert.equal(x.and(0xffn), -1n);
  assert.equal(x.or(MIN_INT64), 0xffn);
  assert.equal(x.load(), MIN_INT64 | 0xffn);
  assert.equal(new Int64(MIN_INT64).sub(1n), MAX_INT64);
  assert.equal(inspect(new Int64(-3n)), "Int64(-3n)");
});

test("Int64 rejects numbers and values outside int64", () => {
  const x = new Int64(1n);
  assert.throws(() => x.add(1 as unknown as bigint), {
    name: "TypeError",
    message: "atomic: Int64.add: delta must be a bigint (write 1n), received 1",
  });
  assert.throws(() => x.store("1" as unknown as bigint), TypeError);
  assert.throws(() => new Int64(0 as unknown as bigint), TypeError);
  assert.throws(() => x.add(MAX_INT64 + 1n), {
    name: "RangeError",
    message: "atomic: Int64.add: delta must be a bigint from -9223372036854775808n to 9223372036854775807n, received 9223372036854775808n",
  });
  assert.throws(() => x.store(MIN_INT64 - 1n), RangeError);
  assert.throws(() => new Int64(2n ** 64n), RangeError);
  assert.equal(x.load(), 1n);
});

test("Uint64: bigint values from 0n to 2n**64n-1n, wrapping modulo 2^64", () => {
  const x = new Uint64();
  assert.equal(x.sub(1n), MAX_UINT64);
  assert.equal(x.load(), MAX_UINT64, "no sign");
  assert.equal(x.add(2n), 1n);
  assert.equal(x.swap(MAX_UINT64), 1n);
  assert.equal(x.compareAndSwap(MAX_UINT64, 2n ** 63n), true);
  assert.equal(x.load(), 2n ** 63n);
  assert.equal(x.or(1n), 2n ** 63n);
  assert.equal(x.and(1n), 2n ** 63n + 1n);
  assert.equal(x.load(), 1n);
  assert.throws(() => x.add(-1n), {
    name: "RangeError",
    message: "atomic: Uint64.add: delta must be a bigint from 0n to 18446744073709551615n, received -1n (use sub() to subtract)",
  });
  assert.throws(() => x.store(2n ** 64n), RangeError);
  assert.throws(() => new Uint64(-1n), RangeError);
  assert.throws(() => x.sub(1 as unknown as bigint), TypeError);
});

test("Bool: load, store, swap, compareAndSwap", () => {
  const b = new Bool();
  assert.equal(b.load(), false);
  assert.equal(new Bool(true).load(), true);
  b.store(true);
  assert.equal(b.load(), true);
  assert.equal(b.swap(false), true);
  assert.equal(b.swap(false), false);
  assert.equal(b.compareAndSwap(true, true), false);
  assert.equal(b.compareAndSwap(false, true), true);
  assert.equal(b.load(), true);
  assert.equal(inspect(b), "Bool(true)");
  assert.throws(() => b.store(1 as unknown as boolean), { name: "TypeError", message: "atomic: Bool.store: value must be a boolean, received 1" });
  assert.throws(() => new Bool("true" as unknown as boolean), TypeError);
  assert.throws(() => b.compareAndSwap(0 as unknown as boolean, true), TypeError);
  assert.equal(b.load(), true);
});

test("each atomic is its own value; methods need an atomic as this", () => {
  const a = new Int32(1);
  const b = new Int32(1);
  a.add(1);
  assert.equal(b.load(), 1);
  const load = Int32.prototype.load;
  assert.throws(() => load.call({} as Int32), TypeError);
});

test("local goroutines share an atomic like any object", async () => {
  const n = new Int32();
  const wg = new WaitGroup();
  for (let i = 0; i < 100; i++) {
    wg.go(async () => {
      n.add(1);
      await Promise.resolve();
      n.add(1);
    });
  }
  await wg.wait();
  assert.equal(n.load(), 200);
});

test("an atomic sent on a shared channel arrives as the same object in the same thread", async () => {
  const ch = chan<Int32 | Int64[]>(2, { shared: true });
  const x = new Int32(3);
  const y = new Int64(4n);
  await ch.send(x);
  await ch.send([y, y]);
  assert.equal(await ch.recv(), x);
  const arr = (await ch.recv()) as Int64[];
  assert.equal(arr[0], y);
  assert.equal(arr[1], y);
});

test("cross-thread: a portable goroutine updates the atomic the main thread holds (through shared channels)", async () => {
  const to = chan<Int32>(0, { shared: true });
  const back = chan<Int32>(0, { shared: true });
  const x = new Int32(10);
  go(bounce, to, back, 5);
  await to.send(x);
  // The goroutine receives x on its thread, adds 5 and sends it back: the same object here.
  assert.equal(await back.recv(), x);
  assert.equal(x.load(), 15);
});

test("cross-thread: an atomic made on a worker thread reaches the main thread by reference", async () => {
  const to = chan<Int64>(1, { shared: true });
  go(make, 41n, to);
  const x = (await to.recv()) as Int64;
  assert.ok(x instanceof Int64);
  assert.equal(x.load(), 42n);
  assert.equal(x.add(8n), 50n);
});

test("cross-thread: N portable goroutines × K updates on every type come to an exact total", async () => {
  const N = 8;
  const K = 50_000;
  const start32 = MAX_INT32 - (N * K) / 2; // the total wraps past MaxInt32
  const c: Counters = {
    i32: new Int32(start32),
    u32: new Uint32(MAX_UINT32 - 10),
    i64: new Int64(MAX_INT64 - 1n),
    u64: new Uint64(),
    first: new Bool(),
    winners: new Int32(),
  };
  const wg = new WaitGroup({ shared: true });
  wg.add(N);
  for (let i = 0; i < N; i++) go(hammer, c, K, wg);
  await wg.wait();
  assert.equal(c.i32.load(), ((start32 + N * K) | 0));
  assert.equal(c.u32.load(), (MAX_UINT32 - 10 + N * K) % 2 ** 32);
  assert.equal(c.i64.load(), BigInt.asIntN(64, MAX_INT64 - 1n + 3n * BigInt(N * K)));
  assert.equal(c.u64.load(), 2n ** 64n - BigInt(N * K));
  assert.equal(c.first.load(), true);
  assert.equal(c.winners.load(), 1, "exactly one goroutine saw first === false");
});
