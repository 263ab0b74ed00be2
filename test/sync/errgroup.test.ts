// gort/sync/errgroup: x/sync/errgroup's documented behaviour (and its
// errgroup_test.go: TestZeroGroup, TestWithContext, TestGoLimit, TestTryGo,
// TestCancelCause), written anew.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan } from "gort";
import { background, Canceled, cause } from "gort/context";
import { gosched } from "gort/runtime";
import { Group, withContext } from "gort/sync/errgroup";
import { blocks } from "../helpers/blocking.ts";

const err1 = new Error("errgroup_test: 1");
const err2 = new Error("errgroup_test: 2");

test("TestZeroGroup: wait returns the first error (returned or thrown)", async () => {
  const cases: (Error | null)[][] = [[], [null], [err1], [err1, null], [err1, null, err2]];
  for (const errs of cases) {
    const g = new Group();
    let firstErr: Error | null = null;
    for (const [i, err] of errs.entries()) {
      // Each goroutine runs in order: one per wait keeps the first error deterministic.
      await g.go(i % 2 === 0 ? () => err : async () => {
        if (err !== null) throw err;
      });
      const gErr = await g.wait();
      if (firstErr === null) firstErr = err;
      assert.equal(gErr, firstErr, `after ${JSON.stringify(errs.map(String))}[${i}]`);
    }
  }
});

test("TestWithContext: the first error cancels the context with it as cause; wait cancels too", async () => {
  for (const errs of [[], [null], [err1], [err1, null], [err1, null, err2]] as (Error | null)[][]) {
    const [g, ctx] = withContext(background());
    for (const err of errs) await g.go(() => err);
    const err = await g.wait();
    const want = errs.find((e) => e !== null) ?? null;
    assert.equal(err, want);
    assert.equal(ctx.err(), Canceled, "wait cancels the context");
    assert.equal(cause(ctx), want ?? Canceled);
  }
  // The context is cancelled as soon as a goroutine fails, before wait.
  const [g, ctx] = withContext(background());
  const release = chan<void>();
  await g.go(async () => {
    await release.recv();
  });
  await g.go(() => err1);
  await ctx.done()?.recv();
  assert.equal(cause(ctx), err1);
  release.close();
  assert.equal(await g.wait(), err1);
});

test("TestGoLimit: setLimit bounds the number of active goroutines", async () => {
  const limit = 10;
  const g = new Group();
  g.setLimit(limit);
  let active = 0;
  let max = 0;
  for (let i = 0; i < 100; i++) {
    await g.go(async () => {
      active++;
      max = Math.max(max, active);
      assert.ok(active <= limit, `${active} active > limit ${limit}`);
      await gosched();
      active--;
    });
  }
  assert.equal(await g.wait(), null);
  assert.equal(max, limit, "the limit was reached");
});

test("go blocks (wait reason chan send) while the limit is reached, and starts fn once a slot frees", async () => {
  const g = new Group();
  g.setLimit(1);
  const release = chan<void>();
  await g.go(() => release.recv().then(() => null));
  let started = false;
  assert.equal(
    await blocks(() =>
      g.go(() => {
        started = true;
      }),
    ),
    true,
  );
  assert.equal(started, false);
  release.close();
  assert.equal(await g.wait(), null);
  assert.equal(started, true);
});

test("TestTryGo: tryGo fails while the limit is reached", async () => {
  const g = new Group();
  const n = 42;
  g.setLimit(42);
  const ch = chan<void>();
  const fn = async (): Promise<null> => {
    await ch.send();
    return null;
  };
  for (let i = 0; i < n; i++) assert.equal(g.tryGo(fn), true, `tryGo ${i}`);
  assert.equal(g.tryGo(fn), false, "tryGo should fail while the group is full");
  assert.throws(() => g.setLimit(1), {
    message: "errgroup: modify limit while 42 goroutines in the group are still active",
  });
  for (let i = 0; i < n; i++) await ch.recv();
  assert.equal(await g.wait(), null);
  g.setLimit(1);
  assert.equal(g.tryGo(() => null), true);
  assert.equal(g.tryGo(() => null), false);
  assert.equal(await g.wait(), null);
  g.setLimit(-1);
  for (let i = 0; i < 5; i++) assert.equal(g.tryGo(() => null), true, "no limit");
  assert.equal(await g.wait(), null);
});

test("wait with several waiters, and on an empty group", async () => {
  const g = new Group();
  assert.equal(await g.wait(), null);
  const release = chan<void>();
  await g.go(async () => {
    await release.recv();
    return err2;
  });
  const a = g.wait();
  const b = g.wait();
  release.close();
  assert.deepEqual(await Promise.all([a, b]), [err2, err2]);
});

test("a thrown non-Error is wrapped, with the value as cause", async () => {
  const g = new Group();
  await g.go(() => {
    throw "boom";
  });
  const err = await g.wait();
  assert.ok(err instanceof Error);
  assert.equal((err as Error & { cause: unknown }).cause, "boom");
});
