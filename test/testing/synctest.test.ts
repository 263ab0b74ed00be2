// Virtual time (Go: testing/synctest): timers in a bubble fire in virtual
// time as soon as every goroutine is blocked; deadlocks in a bubble fail.

import assert from "node:assert/strict";
import { test } from "node:test";
import { after, chan, context, go, Hour, Minute, newTicker, sleep } from "gort";
import { DeadlockError, synctest, wait } from "gort/testing";
import { now } from "#internal/clock";

test("synctest: sleep(1 hour) returns at once and virtual time moves by exactly an hour", async () => {
  const realStart = performance.now();
  await synctest(async () => {
    const t0 = now();
    await sleep(Hour);
    assert.equal(now() - t0, Hour);
  });
  // A broken clock would make the test hang (and the runner's timeout fail it); this bounds nothing.
  assert.ok(performance.now() >= realStart);
});

test("synctest: timers fire in the order of their virtual deadlines", async () => {
  await synctest(async () => {
    const order: string[] = [];
    const done = chan<void>(3);
    for (const [name, d] of [["c", 30 * Minute], ["a", 10 * Minute], ["b", 20 * Minute]] as const) {
      go(async () => {
        await after(d).recv();
        order.push(name);
        await done.send();
      });
    }
    for (let i = 0; i < 3; i++) await done.recv();
    assert.deepEqual(order, ["a", "b", "c"]);
  });
});

test("synctest: a ticker delivers one tick per period of virtual time", async () => {
  await synctest(async () => {
    const t0 = now();
    const ticker = newTicker(Minute);
    for (let i = 1; i <= 5; i++) {
      await ticker.c.recv();
      assert.equal(now() - t0, i * Minute);
    }
    ticker.stop();
  });
});

test("synctest: context.withTimeout expires in virtual time", async () => {
  await synctest(async () => {
    const [ctx, cancel] = context.withTimeout(context.background(), 5 * Minute);
    await sleep(5 * Minute - 1);
    assert.equal(ctx.err(), null);
    await sleep(1);
    assert.equal(ctx.err(), context.DeadlineExceeded);
    cancel();
  });
});

test("synctest: wait() returns once the other goroutines are blocked", async () => {
  await synctest(async () => {
    const c = chan<number>(1);
    const never = chan<void>();
    go(async () => {
      await c.send(42);
      await never.recv(); // blocks; released below so the bubble can end
    });
    await wait();
    assert.deepEqual(c.tryRecv(), { ok: true, value: 42 });
    never.close();
  });
});

test("synctest: a deadlock in the bubble fails with a dump", async () => {
  await assert.rejects(
    synctest(async () => {
      await chan<number>().recv();
    }),
    (err: unknown) => {
      assert.ok(err instanceof DeadlockError);
      assert.match(err.message, /deadlock: all goroutines in the bubble are blocked and no timer is pending/);
      assert.match(err.message, /goroutine \d+ \[/);
      return true;
    },
  );
});

test("synctest: bubbles do not nest; real time works again afterwards", async () => {
  await synctest(async () => {
    await assert.rejects(synctest(() => {}), /bubbles cannot be nested/);
  });
  const start = performance.now();
  await sleep(2);
  assert.ok(performance.now() - start >= 2);
});
