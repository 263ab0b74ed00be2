// Ports of Go's context tests (src/context/context_test.go, Go 1.19, and the
// Go 1.20–1.21 additions: cause, afterFunc, withoutCancel), written anew
// against gort/context. See README.md beside this file for the mapping.
//
// Timing: no test asserts an upper bound on elapsed time. Where Go waits for
// a deadline with a long safety timer, these tests wait on done() and let a
// test timeout catch a hang; deadlines that must not fire are an hour away.

import { setClockForTesting } from "#internal/clock";
import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, defaultCase, go, type RecvChan, recv, select } from "gort";
import {
  afterFunc,
  background,
  Canceled,
  CanceledError,
  type Context,
  cause,
  DeadlineExceeded,
  DeadlineExceededError,
  registeredChildren,
  todo,
  withCancel,
  withCancelCause,
  withDeadline,
  withDeadlineCause,
  withoutCancel,
  withTimeout,
  withTimeoutCause,
  withValue,
} from "gort/context";
import { gosched } from "gort/runtime";

const veryLong = 1000 * 3600 * 1000; // Go's veryLongDuration: 1000 hours
const short = 1; // Go's shortDuration: 1 ms

/** A Context that is not one of gort's types (Go: otherContext), delegating to another. */
class OtherContext implements Context {
  readonly inner: Context;
  constructor(inner: Context) {
    this.inner = inner;
  }
  deadline(): [Date, true] | [undefined, false] {
    return this.inner.deadline();
  }
  done(): RecvChan<void> | null {
    return this.inner.done();
  }
  err(): Error | null {
    return this.inner.err();
  }
  value(key: unknown): unknown {
    return this.inner.value(key);
  }
  get signal(): AbortSignal {
    return this.inner.signal;
  }
}

/** Whether a receive on ctx.done() would proceed now (Go: select { case <-ctx.Done(): default: }). */
function isDone(ctx: Context): boolean {
  const d = ctx.done();
  if (d === null) return false;
  const r = d.tryRecv();
  return !r.ok && r.closed;
}

async function selectDone(ctx: Context): Promise<boolean> {
  return select([recv(ctx.done(), () => true), defaultCase(() => false)]);
}

test("TestBackground, TestTODO: never done, nil done channel, names", async () => {
  for (const [c, name] of [
    [background(), "context.Background"],
    [todo(), "context.TODO"],
  ] as const) {
    assert.equal(c.done(), null);
    assert.equal(await selectDone(c), false);
    assert.equal(c.err(), null);
    assert.deepEqual(c.deadline(), [undefined, false]);
    assert.equal(c.signal.aborted, false);
    assert.equal(String(c), name);
    assert.equal(cause(c), null);
  }
});

test("TestWithCancel: cancel propagates synchronously, also through a foreign context", async () => {
  const [c1, cancel] = withCancel(background());
  assert.equal(String(c1), "context.Background.WithCancel");
  const o = new OtherContext(c1);
  const [c2] = withCancel(o);
  const contexts = [c1, o, c2];
  for (const c of contexts) {
    assert.notEqual(c.done(), null);
    assert.equal(c.err(), null);
    assert.equal(await selectDone(c), false);
  }
  cancel();
  for (const [i, c] of contexts.entries()) {
    assert.equal(await selectDone(c), true, `c[${i}] not done`);
    assert.equal(c.err(), Canceled, `c[${i}].err()`);
    assert.equal(c.signal.aborted, true);
    assert.equal(c.signal.reason, Canceled);
  }
});

test("TestParentFinishesChild: cancelling the parent finishes children and clears its registry", async () => {
  // parent -> cancelChild; parent -> valueChild -> timerChild
  const [parent, cancel] = withCancel(background());
  const [cancelChild, stop1] = withCancel(parent);
  const valueChild = withValue(parent, "key", "value");
  const [timerChild, stop2] = withTimeout(valueChild, veryLong);
  for (const c of [parent, cancelChild, valueChild, timerChild]) assert.equal(await selectDone(c), false);
  assert.equal(registeredChildren(parent), 2, "parent registers the two cancellable children");

  cancel();
  assert.equal(registeredChildren(parent), 0, "cancel did not clear the children");
  for (const [name, c] of Object.entries({ parent, cancelChild, valueChild, timerChild })) {
    assert.equal(isDone(c), true, `${name} not done`);
    assert.equal(c.err(), Canceled, `${name}.err()`);
  }
  // A child of a cancelled parent is cancelled at creation.
  const pre = withValue(parent, "key", "value");
  assert.equal(isDone(pre), true);
  assert.equal(pre.err(), Canceled);
  stop1();
  stop2();
});

test("TestChildFinishesFirst: a cancelled child unregisters; the parent is not affected", async () => {
  const [cancelable, stop] = withCancel(background());
  for (const parent of [background(), cancelable]) {
    const [child, cancel] = withCancel(parent);
    assert.equal(await selectDone(parent), false);
    assert.equal(await selectDone(child), false);
    if (parent === cancelable) assert.equal(registeredChildren(parent), 1);
    cancel();
    assert.equal(registeredChildren(parent), 0, "child's cancel did not remove it from the parent");
    assert.equal(isDone(child), true);
    assert.equal(child.err(), Canceled);
    assert.equal(await selectDone(parent), false);
    assert.equal(parent.err(), null);
  }
  stop();
});

async function testDeadline(c: Context, name: string): Promise<void> {
  await (c.done() as RecvChan<void>).recv();
  assert.equal(c.err(), DeadlineExceeded, `${name}: err()`);
  assert.equal(cause(c), DeadlineExceeded, `${name}: cause()`);
}

test("TestDeadline: withDeadline expires (also past, now, under a foreign parent)", async () => {
  let [c] = withDeadline(background(), Date.now() + short);
  assert.ok(String(c).startsWith("context.Background.WithDeadline("), String(c));
  await testDeadline(c, "withDeadline");

  [c] = withDeadline(background(), new Date(Date.now() + short));
  await testDeadline(new OtherContext(c), "withDeadline+otherContext");

  [c] = withDeadline(background(), Date.now() + short);
  [c] = withDeadline(new OtherContext(c), Date.now() + veryLong);
  await testDeadline(c, "withDeadline+otherContext+withDeadline");

  [c] = withDeadline(background(), Date.now() - short);
  assert.equal(c.err(), DeadlineExceeded, "a deadline in the past is exceeded at once");
  await testDeadline(c, "withDeadline+inthepast");

  [c] = withDeadline(background(), new Date());
  await testDeadline(c, "withDeadline+now");
});

test("TestTimeout: withTimeout expires (also under a foreign parent)", async () => {
  let [c] = withTimeout(background(), short);
  assert.ok(String(c).startsWith("context.Background.WithDeadline("), String(c));
  await testDeadline(c, "withTimeout");
  [c] = withTimeout(background(), short);
  await testDeadline(new OtherContext(c), "withTimeout+otherContext");
  [c] = withTimeout(background(), short);
  [c] = withTimeout(new OtherContext(c), veryLong);
  await testDeadline(c, "withTimeout+otherContext+withTimeout");
});

test("withDeadline: the earlier of parent's and own deadline wins; deadline() reports it", () => {
  const at = Date.now() + veryLong;
  const [p, cancelP] = withDeadline(background(), at);
  assert.deepEqual(p.deadline(), [new Date(at), true]);
  const [c, cancelC] = withDeadline(p, at + 1000);
  assert.deepEqual(c.deadline(), [new Date(at), true], "a later deadline than the parent's is the parent's");
  const v = withValue(p, "k", 1);
  assert.deepEqual(v.deadline(), [new Date(at), true]);
  cancelC();
  cancelP();
  assert.throws(() => withDeadline(background(), Number.NaN), TypeError);
});

test("TestCanceledTimeout: cancelling a timeout context propagates synchronously", () => {
  const [c0, stop] = withTimeout(background(), 1000);
  const o = new OtherContext(c0);
  const [c, cancel] = withTimeout(o, veryLong);
  cancel();
  assert.equal(isDone(c), true);
  assert.equal(c.err(), Canceled);
  stop();
});

test("TestValues: lookup through chains, shadowing, foreign contexts", () => {
  const k1 = Symbol("k1");
  const k2 = { name: "k2" };
  const k3 = { name: "k3" }; // same shape as k2, different identity
  const check = (c: Context, nm: string, v1: unknown, v2: unknown, v3: unknown): void => {
    assert.equal(c.value(k1), v1, `${nm}.value(k1)`);
    assert.equal(c.value(k2), v2, `${nm}.value(k2)`);
    assert.equal(c.value(k3), v3, `${nm}.value(k3)`);
  };
  const c0 = background();
  check(c0, "c0", undefined, undefined, undefined);
  const c1 = withValue(background(), k1, "c1k1");
  check(c1, "c1", "c1k1", undefined, undefined);
  assert.equal(String(c1), 'context.Background.WithValue(Symbol(k1), c1k1)');
  const c2 = withValue(c1, k2, "c2k2");
  check(c2, "c2", "c1k1", "c2k2", undefined);
  const c3 = withValue(c2, k3, "c3k3");
  check(c3, "c3", "c1k1", "c2k2", "c3k3");
  const c4 = withValue(c3, k1, undefined);
  check(c4, "c4", undefined, "c2k2", "c3k3");
  const o0 = new OtherContext(background());
  check(o0, "o0", undefined, undefined, undefined);
  const o1 = new OtherContext(withValue(background(), k1, "c1k1"));
  check(o1, "o1", "c1k1", undefined, undefined);
  const o2 = withValue(o1, k2, "o2k2");
  check(o2, "o2", "c1k1", "o2k2", undefined);
  const o3 = new OtherContext(c4);
  check(o3, "o3", undefined, "c2k2", "c3k3");
  const o4 = withValue(o3, k3, undefined);
  check(o4, "o4", undefined, "c2k2", undefined);
  // Strings compare by value: a string key can collide, which is why symbols are advised.
  assert.equal(withValue(background(), "user", 1).value("user"), 1);
});

test("TestSimultaneousCancels: cancels of a 100-context tree from goroutines in random order", async () => {
  const [root, cancel] = withCancel(background());
  const m = new Map<Context, () => void>([[root, cancel]]);
  const q: Context[] = [root];
  while (q.length > 0 && m.size < 100) {
    const parent = q.shift() as Context;
    for (let i = 0; i < 4; i++) {
      const [ctx, c] = withCancel(parent);
      m.set(ctx, c);
      q.push(ctx);
    }
  }
  const cancels = [...m.values()].sort(() => Math.random() - 0.5);
  const finished = chan<void>(cancels.length);
  for (const c of cancels) {
    go(() => {
      c();
      finished.trySend();
    });
  }
  for (const ctx of [...m.keys()].sort(() => Math.random() - 0.5)) await (ctx.done() as RecvChan<void>).recv();
  for (let i = 0; i < cancels.length; i++) await finished.recv();
  for (const ctx of m.keys()) assert.equal(registeredChildren(ctx), 0);
});

test("TestInterlockedCancels: a goroutine cancels the child when the parent is done", async () => {
  const [parent, cancelParent] = withCancel(background());
  const [child, cancelChild] = withCancel(parent);
  go(async () => {
    await (parent.done() as RecvChan<void>).recv();
    cancelChild();
  });
  cancelParent();
  await (child.done() as RecvChan<void>).recv();
  assert.equal(child.err(), Canceled);
});

/** A seeded PRNG (mulberry32), so a failing layout can be reproduced from its seed. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

async function testLayers(seed: number, testTimeout: boolean): Promise<void> {
  const r = rng(seed);
  const vals: object[] = [];
  const cancels: (() => void)[] = [];
  let numTimers = 0;
  let ctx = background();
  for (let i = 0; i < 30 || numTimers === 0 || cancels.length === 0 || vals.length === 0; i++) {
    switch (r(3)) {
      case 0: {
        const v = {};
        ctx = withValue(ctx, v, v);
        vals.push(v);
        break;
      }
      case 1: {
        const [c, cancel] = withCancel(ctx);
        ctx = c;
        cancels.push(cancel);
        break;
      }
      case 2: {
        const [c, cancel] = withTimeout(ctx, testTimeout ? short : veryLong);
        ctx = c;
        cancels.push(cancel);
        numTimers++;
        break;
      }
    }
  }
  const checkValues = (when: string): void => {
    for (const key of vals) assert.equal(ctx.value(key), key, `seed=${seed}: ${when}`);
  };
  if (!testTimeout) assert.equal(isDone(ctx), false, `seed=${seed}: ctx should not be cancelled yet`);
  assert.ok(String(ctx).startsWith("context.Background."), String(ctx));
  checkValues("before cancel");
  if (testTimeout) {
    await (ctx.done() as RecvChan<void>).recv();
    assert.equal(ctx.err(), DeadlineExceeded, `seed=${seed}`);
    checkValues("after timeout");
  } else {
    (cancels[r(cancels.length)] as () => void)();
    assert.equal(isDone(ctx), true, `seed=${seed}: ctx should be cancelled`);
    checkValues("after cancel");
  }
  for (const c of cancels) c();
}

test("TestLayersCancel: random layers of values, cancels and timeouts; cancel one layer", async () => {
  const seed = Date.now();
  for (let i = 0; i < 20; i++) await testLayers(seed + i, false);
});

test("TestLayersTimeout: random layers; the innermost context times out", async () => {
  const seed = Date.now();
  for (let i = 0; i < 5; i++) await testLayers(seed + i, true);
});

test("TestCancelRemoves: cancel unregisters withCancel and withTimeout children", () => {
  let [ctx] = withCancel(background());
  assert.equal(registeredChildren(ctx), 0);
  let [, cancel] = withCancel(ctx);
  assert.equal(registeredChildren(ctx), 1);
  cancel();
  assert.equal(registeredChildren(ctx), 0);
  [ctx] = withCancel(background());
  [, cancel] = withTimeout(ctx, 60 * 60 * 1000);
  assert.equal(registeredChildren(ctx), 1);
  cancel();
  assert.equal(registeredChildren(ctx), 0);
});

test("TestWithCancelCanceledParent: a child of a cancelled parent is done at once", () => {
  const [parent, pcancel] = withCancel(background());
  pcancel();
  const [c] = withCancel(parent);
  assert.equal(isDone(c), true);
  assert.equal(c.err(), Canceled);
  assert.equal(registeredChildren(parent), 0);
});

test("TestWithValueChecksKey, TestInvalidDerivedFail: nil key and nil parent throw", () => {
  assert.throws(() => withValue(background(), null, "bar"), { name: "TypeError", message: "nil key" });
  assert.throws(() => withValue(background(), undefined, "bar"), { message: "nil key" });
  const nilParent = { name: "TypeError", message: "cannot create context from nil parent" };
  const nil = null as unknown as Context;
  assert.throws(() => withCancel(nil), nilParent);
  assert.throws(() => withCancelCause(nil), nilParent);
  assert.throws(() => withDeadline(nil, Date.now() + short), nilParent);
  assert.throws(() => withTimeout(nil, short), nilParent);
  assert.throws(() => withValue(nil, "foo", "bar"), nilParent);
  assert.throws(() => withoutCancel(nil), nilParent);
  assert.throws(() => afterFunc(nil, () => {}), nilParent);
});

test("TestDeadlineExceededSupportsTimeout, error values", () => {
  assert.equal(DeadlineExceeded.timeout(), true);
  assert.equal(DeadlineExceeded.temporary(), true);
  assert.ok(DeadlineExceeded instanceof DeadlineExceededError);
  assert.ok(Canceled instanceof CanceledError);
  assert.equal(Canceled.message, "context canceled");
  assert.equal(DeadlineExceeded.message, "context deadline exceeded");
  assert.equal(Canceled.name, "AbortError");
  assert.equal(DeadlineExceeded.name, "TimeoutError");
});

test("TestCustomContextGoroutines (observable part): a foreign parent's cancel reaches the child", async () => {
  // Go counts the goroutines it starts for foreign parents; here we check the
  // behaviour: a child of a foreign context is cancelled when it is, also
  // when the foreign context has its own done channel (Go: myDoneCtx).
  const [base, cancelBase] = withCancel(background());
  const [child] = withCancel(new OtherContext(base));
  assert.equal(registeredChildren(base), 1, "a delegating context's CancelCtx is used directly (no goroutine)");
  const own = chan<void>();
  const foreign: Context = Object.assign(new OtherContext(base), { done: () => own });
  const [child2] = withCancel(foreign);
  cancelBase();
  assert.equal(child.err(), Canceled);
  own.close(); // the foreign context's own done channel
  await (child2.done() as RecvChan<void>).recv();
  assert.equal(child2.err(), Canceled);
});

test("TestCause: cause of cancel, cause, deadline and their combinations", async () => {
  const parentCause = new Error("parentCause");
  const childCause = new Error("childCause");
  const tooSlow = new Error("tooSlow");
  const finishedEarly = new Error("finishedEarly");
  const cases: { name: string; ctx: () => Context; err: Error | null; cause: unknown }[] = [
    { name: "Background", ctx: () => background(), err: null, cause: null },
    { name: "TODO", ctx: () => todo(), err: null, cause: null },
    {
      name: "WithCancel",
      ctx: () => {
        const [c, cancel] = withCancel(background());
        cancel();
        return c;
      },
      err: Canceled,
      cause: Canceled,
    },
    {
      name: "WithCancelCause",
      ctx: () => {
        const [c, cancel] = withCancelCause(background());
        cancel(parentCause);
        return c;
      },
      err: Canceled,
      cause: parentCause,
    },
    {
      name: "WithCancelCause nil",
      ctx: () => {
        const [c, cancel] = withCancelCause(background());
        cancel();
        return c;
      },
      err: Canceled,
      cause: Canceled,
    },
    {
      name: "WithCancelCause first cause wins",
      ctx: () => {
        const [c, cancel] = withCancelCause(background());
        cancel(parentCause);
        cancel(childCause);
        return c;
      },
      err: Canceled,
      cause: parentCause,
    },
    {
      name: "parent cause, child canceled",
      ctx: () => {
        const [p, pcancel] = withCancelCause(background());
        const [c, cancel] = withCancelCause(p);
        pcancel(parentCause);
        cancel(childCause);
        return c;
      },
      err: Canceled,
      cause: parentCause,
    },
    {
      name: "child cause only",
      ctx: () => {
        const [p] = withCancelCause(background());
        const [c, cancel] = withCancelCause(p);
        cancel(childCause);
        return c;
      },
      err: Canceled,
      cause: childCause,
    },
    {
      name: "WithValue over a cancelled parent",
      ctx: () => {
        const [p, cancel] = withCancelCause(background());
        const c = withValue(p, "k", "v");
        cancel(parentCause);
        return c;
      },
      err: Canceled,
      cause: parentCause,
    },
    {
      name: "WithTimeout under a cancelled parent",
      ctx: () => {
        const [p, cancel] = withCancelCause(background());
        cancel(parentCause);
        return withTimeout(p, veryLong)[0];
      },
      err: Canceled,
      cause: parentCause,
    },
    {
      name: "WithDeadlineCause in the past",
      ctx: () => withDeadlineCause(background(), Date.now() - 1, tooSlow)[0],
      err: DeadlineExceeded,
      cause: tooSlow,
    },
    {
      name: "WithDeadlineCause cancelled before the deadline",
      ctx: () => {
        const [c, cancel] = withDeadlineCause(background(), Date.now() + veryLong, tooSlow);
        cancel();
        return c;
      },
      err: Canceled,
      cause: Canceled,
    },
    {
      name: "WithTimeoutCause under a cancel-cause parent",
      ctx: () => {
        const [p, cancel] = withCancelCause(background());
        const [c] = withTimeoutCause(p, veryLong, tooSlow);
        cancel(finishedEarly);
        return c;
      },
      err: Canceled,
      cause: finishedEarly,
    },
    {
      name: "WithoutCancel",
      ctx: () => {
        const [p, cancel] = withCancelCause(background());
        cancel(parentCause);
        return withoutCancel(p);
      },
      err: null,
      cause: null,
    },
    {
      name: "foreign context over a cancelled one",
      ctx: () => {
        const [p, cancel] = withCancelCause(background());
        cancel(parentCause);
        return new OtherContext(p);
      },
      err: Canceled,
      cause: parentCause,
    },
  ];
  for (const tc of cases) {
    const ctx = tc.ctx();
    assert.equal(ctx.err(), tc.err, `${tc.name}: err()`);
    assert.equal(cause(ctx), tc.cause, `${tc.name}: cause()`);
  }
  // A cause given to a timeout is reported once it expires.
  const [c] = withTimeoutCause(background(), short, tooSlow);
  await (c.done() as RecvChan<void>).recv();
  assert.equal(c.err(), DeadlineExceeded);
  assert.equal(cause(c), tooSlow);
});

test("TestCauseRace: cause() and err() agree while goroutines cancel", async () => {
  const [ctx, cancel] = withCancelCause(background());
  const finished = chan<void>();
  go(async () => {
    for (let i = 0; i < 100; i++) {
      // err() non-null implies cause() non-null, at every point.
      if (ctx.err() !== null) assert.notEqual(cause(ctx), null);
      await gosched();
    }
    finished.close();
  });
  go(() => cancel(new Error("cancelled")));
  await finished.recv();
  assert.equal((cause(ctx) as Error).message, "cancelled");
});

test("TestAfterFuncCalledAfterCancel / NotCalledAfterStop / CalledAsynchronously / CalledImmediately", async () => {
  // Called after cancel, in its own goroutine (not synchronously inside cancel).
  let [ctx, cancel] = withCancel(background());
  const ran = chan<void>(1);
  let inCancel = false;
  afterFunc(ctx, () => {
    assert.equal(inCancel, false, "afterFunc ran synchronously inside cancel");
    ran.trySend();
  });
  inCancel = true;
  cancel();
  inCancel = false;
  await ran.recv();

  // Not called after stop; stop reports true once, then false.
  [ctx, cancel] = withCancel(background());
  let called = false;
  const stop = afterFunc(ctx, () => {
    called = true;
  });
  assert.equal(registeredChildren(ctx), 1);
  assert.equal(stop(), true);
  assert.equal(registeredChildren(ctx), 0, "stop unregisters");
  assert.equal(stop(), false);
  cancel();
  await gosched();
  assert.equal(called, false);

  // Called at once (in a goroutine) on an already-done context; stop then reports false.
  const [done, c2] = withCancel(background());
  c2();
  const stop2 = afterFunc(done, () => ran.trySend());
  await ran.recv();
  assert.equal(stop2(), false);

  // Stop after the function started returns false.
  [ctx, cancel] = withCancel(background());
  const stop3 = afterFunc(ctx, () => ran.trySend());
  cancel();
  assert.equal(stop3(), false);
  await ran.recv();

  // Under a foreign parent, and never for a context that is never cancelled.
  const [base, cancelBase] = withCancel(background());
  const own = chan<void>();
  afterFunc(Object.assign(new OtherContext(base), { done: () => own }), () => ran.trySend());
  own.close();
  await ran.recv();
  cancelBase();
  assert.equal(afterFunc(background(), () => ran.trySend())(), true);
});

test("TestWithoutCancel: values kept, cancellation and deadline dropped", () => {
  const key = Symbol("key");
  const [p, cancel] = withDeadline(withValue(background(), key, "v"), Date.now() + veryLong);
  const c = withoutCancel(p);
  cancel();
  assert.equal(p.err(), Canceled);
  assert.equal(c.err(), null);
  assert.equal(c.done(), null);
  assert.deepEqual(c.deadline(), [undefined, false]);
  assert.equal(c.value(key), "v");
  assert.equal(c.signal.aborted, false);
  assert.equal(cause(c), null);
  const [child, cancelChild] = withCancel(c);
  assert.equal(child.err(), null, "a child of withoutCancel is not cancelled by the original parent");
  cancelChild();
});

test("deadlines with mocked time: fire exactly at the deadline, not before", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
  setClockForTesting(() => Date.now());
  t.after(() => setClockForTesting(null));
  const [parent, cancelParent] = withTimeout(background(), 100);
  const [child] = withCancel(withValue(parent, "k", 1));
  const [late] = withDeadline(child, new Date(1_000_000 + 500));
  assert.deepEqual(late.deadline(), [new Date(1_000_100), true], "the parent's earlier deadline wins");
  t.mock.timers.tick(99);
  await gosched();
  assert.equal(parent.err(), null, "expired early");
  assert.equal(late.err(), null);
  t.mock.timers.tick(1);
  await gosched();
  assert.equal(parent.err(), DeadlineExceeded);
  assert.equal(child.err(), DeadlineExceeded, "a descendant gets the parent's error");
  assert.equal(late.err(), DeadlineExceeded);
  assert.equal(registeredChildren(parent), 0);
  cancelParent(); // after expiry: does nothing
  assert.equal(parent.err(), DeadlineExceeded);

  // Cancelling before the deadline clears the timer: advancing past it changes nothing.
  const [c, cancel] = withTimeout(background(), 50);
  cancel();
  t.mock.timers.tick(100);
  await gosched();
  assert.equal(c.err(), Canceled);
});
