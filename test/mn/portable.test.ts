// Portable goroutines (task(import.meta, fn), go(task, ...args)): they run
// on worker threads; their arguments are copied by the structured-clone
// rules, shared objects and shared memory travel by reference; what cannot
// cross threads is a TypeError at the go call naming the argument; they can
// start other portable goroutines (fork-join); more arguments than a G has
// slots for still arrive.
//
// The tasks are in tasks.ts (worker threads import that module to find them).

import assert from "node:assert/strict";
import { test } from "node:test";
import { isMainThread, threadId } from "node:worker_threads";
import { chan, go } from "gort";
import { gomaxprocs, gosched } from "gort/runtime";
import { Mutex, Once, RWMutex, WaitGroup } from "gort/sync";
import { assertSameFingerprint, fingerprint } from "./fingerprint.ts";
import {
  addOne,
  badArgsFromWorker,
  closeOnNodeTimer,
  echo,
  fib,
  fingerprintArgs,
  mutateCopies,
  replyOnLast,
  touchShared,
  tree,
  viewLayout,
  whereAmI,
  whereAmIFrozen,
} from "./tasks.ts";
import { watchdog } from "./watchdog.ts";

watchdog();
const T = { timeout: 30_000 };

/**
 * Every kind of value the structured-clone algorithm copies, nested and
 * plain. What should arrive is what structuredClone() makes of them (an
 * object without a prototype, for one, arrives as a plain object).
 */
function everyKind(): unknown[] {
  const cyclic: Record<string, unknown> = { name: "cyclic" };
  cyclic["self"] = cyclic;
  const sharedPart = { tag: "twice" };
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const buf = new ArrayBuffer(4);
  new Uint8Array(buf).set([1, 2, 3, 4]);
  return [
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    1.5,
    -(2 ** 31),
    2 ** 31,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.EPSILON,
    123456789012345678901234567890n,
    true,
    false,
    null,
    undefined,
    "",
    "plain ascii",
    "héllo wörld — ünïcödé",
    "日本語のテキスト",
    "emoji 🎉👩‍👩‍👧 and a flag 🇫🇷",
    "nul\0inside, tab\t, newline\n",
    "x".repeat(100_000),
    { a: 1, b: { c: [1, "two", { d: null }] }, "key with spaces": -0, "ключ": NaN },
    [[1, [2, [3, [4, []]]]], { deep: { deeper: { deepest: "yes" } } }],
    sparse,
    new Map<unknown, unknown>([
      [1, "one"],
      ["two", 2],
      [{ k: 1 }, new Set([1, "a", -0])],
      [NaN, [new Map([["inner", new Date(0)]])]],
    ]),
    new Set<unknown>([3, 1, 2, "x", { y: 1 }, [1, 2]]),
    new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)),
    new Date(-1),
    new Date(NaN),
    /ab+c/giu,
    new Error("an error"),
    new RangeError("a range error"),
    new Uint8Array([0, 1, 255]),
    new Int8Array([-128, 0, 127]),
    new Uint8ClampedArray([0, 128, 255]),
    new Int16Array([-32768, 32767]),
    new Uint16Array([0, 65535]),
    new Int32Array([-(2 ** 31), 2 ** 31 - 1]),
    new Uint32Array([0, 2 ** 32 - 1]),
    new Float32Array([1.5, -0, NaN, Infinity]),
    new Float64Array([Math.PI, -0, NaN, -Infinity]),
    new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
    new BigUint64Array([0n, 2n ** 64n - 1n]),
    new Uint8Array(buf, 1, 2), // a view at an offset of a larger buffer
    new DataView(buf, 2),
    buf,
    cyclic,
    [sharedPart, sharedPart], // the same object twice stays one object
    Object.assign(Object.create(null) as object, { noProto: true }),
  ];
}

test("a portable goroutine runs on a worker thread, not the main one", T, async () => {
  assert.equal(threadId, 0, "the test runs on the main thread");
  const out = chan<[number, boolean]>(16, { shared: true });
  for (let i = 0; i < 16; i++) go(whereAmI, out);
  for (let i = 0; i < 16; i++) {
    const [tid, main] = (await out.recv()) as [number, boolean];
    assert.notEqual(tid, 0);
    assert.equal(main, false);
  }
});

test("arguments of every kind arrive intact (as the worker sees them)", T, async () => {
  const args = everyKind();
  const out = chan<string>(1, { shared: true });
  go(fingerprintArgs, out, ...args);
  assertSameFingerprint((await out.recv()) as string, fingerprint(structuredClone(args)));
});

test("each kind of argument arrives intact on its own (numbers inline, one per slot)", T, async () => {
  const args = everyKind();
  const out = chan<string>(args.length, { shared: true });
  for (const a of args) go(fingerprintArgs, out, a);
  const got = new Set<string>();
  for (let i = 0; i < args.length; i++) got.add((await out.recv()) as string);
  for (const a of args) {
    const want = fingerprint(structuredClone([a]));
    assert.ok(got.has(want), `${want.slice(0, 200)} arrived changed`); // (the message is cut: no long diff)
  }
});

test("values sent back on a shared channel arrive intact too", T, async () => {
  const args = everyKind();
  const out = chan<unknown[]>(1, { shared: true });
  go(echo, out, ...args);
  const back = (await out.recv()) as unknown[];
  assertSameFingerprint(fingerprint(back), fingerprint(structuredClone(args)));
  // -0 and NaN, exactly.
  assert.ok(Object.is(back[1], -0));
  assert.ok(Number.isNaN(back[2]));
});

test("strings with lone surrogates arrive intact (structured clone keeps them)", T, async () => {
  const strs = ["\ud800", "a\udc00b", "\udfff\ud800", "ok 🎉 then \ud83d alone"];
  const out = chan<string>(1, { shared: true });
  go(fingerprintArgs, out, ...strs);
  assert.equal(await out.recv(), fingerprint(strs));
  const back = chan<unknown[]>(1, { shared: true });
  go(echo, back, ...strs);
  assert.deepEqual(await back.recv(), strs);
});

test("a cyclic argument that holds a shared channel keeps its cycle and its channel", T, async () => {
  const ch = chan<number>(1, { shared: true });
  const o: Record<string, unknown> = { ch };
  o["self"] = o;
  const out = chan<string>(1, { shared: true });
  go(fingerprintArgs, out, o);
  // ch is a SharedChan on both sides: fingerprint shows its class and own keys ({}).
  assert.equal(await out.recv(), fingerprint([o]));
  const back = chan<unknown[]>(1, { shared: true });
  go(echo, back, o);
  const [o2] = (await back.recv()) as [Record<string, unknown>];
  assert.equal(o2["self"], o2, "the cycle is kept");
  assert.equal(o2["ch"], ch, "the channel comes back as the same wrapper");
});

test("a copied typed array owns its buffer, laid out as structured clone lays it out", T, async () => {
  const whole = new Float64Array(1000);
  const out = chan<number[][]>(1, { shared: true });
  go(viewLayout, out, new Uint8Array([1, 2, 3]), new Float64Array([1.5]), whole.subarray(10, 12), new DataView(new ArrayBuffer(8), 2));
  // structuredClone() (and postMessage) say what a copy is:
  const expected = [new Uint8Array([1, 2, 3]), new Float64Array([1.5]), whole.subarray(10, 12), new DataView(new ArrayBuffer(8), 2)]
    .map((v) => structuredClone(v))
    .map((v) => [v.byteOffset, v.byteLength, v.buffer.byteLength]);
  assert.deepEqual(expected, [
    [0, 3, 3],
    [0, 8, 8],
    [80, 16, 8000],
    [2, 6, 8],
  ]);
  assert.deepEqual(await out.recv(), expected);
});

test("views over shared memory sent again and again each arrive as they were at their go call", T, async () => {
  const sab = new SharedArrayBuffer(64);
  const a = new Int32Array(sab, 8, 4);
  const b = new Int32Array(sab, 16, 2);
  const growable = new SharedArrayBuffer(8, { maxByteLength: 64 });
  const tracking = new Int32Array(growable); // its length follows the buffer's
  const out = chan<number[][]>(8, { shared: true });
  go(viewLayout, out, a, a);
  go(viewLayout, out, b, a);
  go(viewLayout, out, tracking);
  growable.grow(32);
  go(viewLayout, out, tracking);
  go(viewLayout, out, tracking.subarray(1), tracking);
  // Each view's [byteOffset, byteLength] (the growable buffer's own length is read when it arrives).
  const got = new Set<string>();
  for (let i = 0; i < 5; i++) got.add(JSON.stringify(((await out.recv()) as number[][]).map((v) => v.slice(0, 2))));
  assert.deepEqual(
    got,
    new Set(
      [
        [[8, 16], [8, 16]],
        [[16, 8], [8, 16]],
        [[0, 8]],
        [[0, 32]],
        [[4, 28], [0, 32]],
      ].map((x) => JSON.stringify(x)),
    ),
  );
});

test("arguments are copied when go is called: later changes on either side are not seen by the other", T, async () => {
  const o = { n: 1, list: [1, 2], m: new Map([["k", 1]]) };
  const bytes = new Uint8Array([1, 2, 3]); // not shared: copied
  const before = fingerprint([o, bytes]);
  const out = chan<string>(1, { shared: true });
  go(mutateCopies, out, o, bytes);
  // Changed after go(): the goroutine has its copy already.
  o.n = 1000;
  o.list.push(1000);
  bytes[1] = 200;
  const seen = (await out.recv()) as string;
  assert.equal(
    seen,
    fingerprint([
      { n: -1, list: [1, 2, 99], m: new Map([["k", 1], ["added", 1]]) },
      new Uint8Array([255, 2, 3]),
    ]),
  );
  assert.notEqual(seen, before);
  // Its changes are not ours.
  assert.equal(fingerprint([o, bytes]), fingerprint([{ n: 1000, list: [1, 2, 1000], m: new Map([["k", 1]]) }, new Uint8Array([1, 200, 3])]));
});

test("a SharedArrayBuffer and views over one (also nested, at an offset, a DataView) are the same memory", T, async () => {
  const sab = new SharedArrayBuffer(32);
  const view = new Int32Array(sab, 0, 4);
  const dv = new DataView(sab);
  const f = new Float64Array(sab, 16, 2);
  view[0] = 5;
  f[1] = 3.25;
  const out = chan<string>(2, { shared: true });
  go(touchShared, out, view, sab, dv, { deep: { f } });
  assert.equal(await out.recv(), "before 5,5,5,3.25");
  // Its writes are in our memory.
  assert.equal(Atomics.load(view, 1), 42);
  assert.equal(Atomics.load(view, 2), 7);
  assert.equal(f[0], 2.5);
  // Our write reaches it while it runs.
  Atomics.store(view, 3, 9);
  Atomics.notify(view, 3);
  assert.match((await out.recv()) as string, /^after (ok|not-equal) 9$/);
});

test("a SharedArrayBuffer sent back on a shared channel is the same memory", T, async () => {
  const sab = new SharedArrayBuffer(8);
  const out = chan<unknown[]>(1, { shared: true });
  go(echo, out, sab, new Int32Array(sab, 4, 1));
  const [sab2, view2] = (await out.recv()) as [SharedArrayBuffer, Int32Array];
  assert.ok(sab2 instanceof SharedArrayBuffer);
  assert.ok(view2 instanceof Int32Array);
  assert.equal(view2.byteOffset, 4);
  new Int32Array(sab2)[0] = 11;
  view2[0] = 12;
  assert.deepEqual([...new Int32Array(sab)], [11, 12]);
});

test("go(task, ...) throws a TypeError naming the argument that cannot cross threads, and starts nothing", T, async () => {
  const out = chan<unknown[]>(1, { shared: true });
  const cases: [string, unknown[], RegExp][] = [
    ["a closure", [out, 1, (x: number) => x + 1], /^argument 3 of go\(echo\) is a function .*task\(import\.meta, fn\)/],
    ["an async closure", [out, async () => {}], /^argument 2 of go\(echo\) is a function/],
    ["a closure inside an object", [out, { f: () => 1 }], /^argument 2 of go\(echo\) contains a function/],
    ["a local channel", [out, chan<number>()], /^argument 2 of go\(echo\) is a channel local to its thread: make it with chan\(n, \{ shared: true \}\)/],
    ["a local buffered channel in an array", [out, 0, [chan<number>(3)]], /^argument 3 of go\(echo\) .*channel local to its thread/],
    ["a local WaitGroup", [out, new WaitGroup()], /^argument 2 of go\(echo\) is a WaitGroup local to its thread: make it with new WaitGroup\(\{ shared: true \}\)/],
    ["a local Mutex", [out, new Mutex()], /^argument 2 of go\(echo\) is a Mutex local to its thread: .*new Mutex\(\{ shared: true \}\)/],
    ["a local RWMutex", [out, new RWMutex()], /^argument 2 of go\(echo\) is a RWMutex local to its thread: .*new RWMutex\(\{ shared: true \}\)/],
    ["a local Once", [out, new Once()], /^argument 2 of go\(echo\) is a Once local to its thread: .*new Once\(\{ shared: true \}\)/],
    ["a symbol", [out, Symbol("s")], /^argument 2 of go\(echo\) is a symbol/],
    ["a WeakMap", [out, 1, 2, new WeakMap()], /^argument 4 of go\(echo\) cannot be sent to another thread: .*could not be cloned/],
    ["a Promise", [out, Promise.resolve(1)], /^argument 2 of go\(echo\) cannot be sent to another thread/],
  ];
  for (const [what, args, message] of cases) {
    assert.throws(() => go(echo, ...(args as [never])), { name: "TypeError", message }, what);
  }
  // None of those started: the next goroutine's value is the first to arrive.
  go(echo, out, "after");
  assert.deepEqual(await out.recv(), ["after"]);
  assert.equal(out.tryRecv().ok, false);
});

test("go(task, ...) with more than 6 arguments names the exact argument that cannot cross threads", T, () => {
  const out = chan<unknown[]>(1, { shared: true });
  assert.throws(() => go(echo, out, 2, 3, 4, 5, 6, 7, 8, () => 9), { name: "TypeError", message: /^argument 9 of go\(echo\) is a function/ });
  assert.throws(() => go(echo, out, 2, 3, 4, 5, 6, 7, chan<number>()), {
    name: "TypeError",
    message: /^argument 8 of go\(echo\) is a channel local to its thread/,
  });
});

test("TypeErrors for what cannot cross threads are thrown on worker threads too", T, async () => {
  const out = chan<string[]>(1, { shared: true });
  go(badArgsFromWorker, out);
  const said = (await out.recv()) as string[];
  assert.equal(said.length, 5);
  assert.match(said[0] as string, /^TypeError: argument 3 of go\(echo\) is a function/);
  assert.match(said[1] as string, /^TypeError: argument 3 of go\(echo\) is a channel local to its thread/);
  assert.match(said[2] as string, /^TypeError: argument 3 of go\(echo\) is a WaitGroup local to its thread/);
  assert.match(said[3] as string, /^TypeError: argument 3 of go\(echo\) is a Mutex local to its thread/);
  assert.match(said[4] as string, /^TypeError: argument 3 of go\(echo\) cannot be sent to another thread/);
});

test("fork-join: fib by portable goroutines that start portable goroutines (shared channels made on workers)", T, async () => {
  const out = chan<number>(1, { shared: true });
  go(fib, 15, out); // 1973 goroutines
  assert.equal(await out.recv(), 610);
});

test("fork-join: a tree of portable goroutines under one shared WaitGroup", T, async () => {
  const depth = 6;
  const width = 4;
  const count = new Int32Array(new SharedArrayBuffer(4 * 64));
  const wg = new WaitGroup({ shared: true });
  wg.add(1);
  go(tree, depth, width, count, wg);
  await wg.wait();
  const nodes = (width ** (depth + 1) - 1) / (width - 1); // 5461
  assert.equal(Atomics.load(count, 0), nodes);
  // Every node ran somewhere other than the main thread (count[1] is thread 0's).
  let perThread = 0;
  for (let i = 2; i < count.length; i++) perThread += Atomics.load(count, i);
  assert.equal(Atomics.load(count, 1), 0);
  assert.equal(perThread, nodes);
});

test("more than 6 arguments arrive intact, in order, shared objects among them", T, async () => {
  for (const n of [5, 6, 7, 8, 12, 40]) {
    const args: unknown[] = [];
    for (let i = 0; i < n; i++) args.push(i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : { i, sq: [i * i] });
    const out = chan<string>(1, { shared: true });
    go(replyOnLast, ...args, out); // the channel is argument n + 1, past the slots when n ≥ 6
    assert.equal(await out.recv(), fingerprint(args), `${n} + 1 arguments`);
  }
});

test("a task declared from a frozen function is portable too", T, async () => {
  const out = chan<[number, boolean]>(1, { shared: true });
  go(whereAmIFrozen, out);
  const [tid, main] = (await out.recv()) as [number, boolean];
  assert.notEqual(tid, 0);
  assert.equal(main, false);
});

test("a function whose prototype is a task is not a task: it runs here, and may take a closure", T, async () => {
  const out = chan<[number, boolean]>(1, { shared: true });
  const heir = Object.setPrototypeOf(async (reply: () => Promise<void>) => {
    await reply();
  }, whereAmI) as (reply: () => Promise<void>) => Promise<void>;
  go(heir, () => out.send([threadId, isMainThread]));
  assert.deepEqual(await out.recv(), [0, true]);
});

test("a task can still be called directly, on the calling thread", T, async () => {
  const out = chan<[number, boolean]>(1, { shared: true });
  await whereAmI(out);
  assert.deepEqual(await out.recv(), [0, true]);
});

test("a worker's timers still fire while tiny goroutines keep arriving (it turns its event loop)", T, async () => {
  // Workers that keep finding work go idle and start the next goroutines
  // from the microtask queue, never longer than a time slice without a
  // turn of their event loop: the timers the workers set must fire while
  // main keeps sending work.
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const dones = Array.from({ length: gomaxprocs() }, () => chan<void>(0, { shared: true }));
  for (const done of dones) go(closeOnNodeTimer, done);
  let sent = 0;
  for (const done of dones) {
    for (;;) {
      const r = done.tryRecv();
      if (!r.ok && r.closed) break;
      for (let i = 0; i < 64; i++) go(addOne, counter);
      sent += 64;
      await gosched();
    }
  }
  while (Atomics.load(counter, 0) < sent) await gosched();
  assert.equal(Atomics.load(counter, 0), sent, "every goroutine ran once");
});
