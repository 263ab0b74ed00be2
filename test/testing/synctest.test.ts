// Virtual time (Go: testing/synctest): timers in a bubble fire in virtual
// time as soon as every goroutine is blocked; deadlocks in a bubble fail.

import assert from "node:assert/strict";
import { test } from "node:test";
import { after, afterFunc, chan, context, go, Hour, Millisecond, Minute, newTicker, newTimer, sleep } from "gort";
import { readMemStats } from "gort/runtime";
import { DeadlockError, synctest, wait } from "gort/testing";
import { now } from "#internal/clock";
import { records } from "#internal/g";

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
      if (records) assert.match(err.message, /goroutine \d+ \[/); // GORT_TRACK=off: no records, no dump
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

test("synctest: newTimer, reset, stop and afterFunc run on virtual time", async () => {
  await synctest(async () => {
    const t0 = now();
    const t = newTimer(Hour);
    assert.equal(t.reset(2 * Hour), true);
    await t.c.recv();
    assert.equal(now() - t0, 2 * Hour);
    const s = newTimer(Minute);
    assert.equal(s.stop(), true);
    const ran = chan<number>(1);
    afterFunc(30 * Minute, () => ran.trySend(now() - t0));
    assert.equal(await ran.recv(), 2 * Hour + 30 * Minute);
  });
});

test("synctest: a deadlock after the body returned names the blocked goroutines", async () => {
  await assert.rejects(
    synctest(() => {
      go(async function stuckForever() {
        await chan<void>().recv();
      });
    }),
    (err: unknown) => {
      assert.ok(err instanceof DeadlockError);
      assert.match(err.message, /deadlock: body returned but goroutines in the bubble remain blocked/);
      if (records) assert.match(err.dump, /goroutine \d+ \[chan receive\]:\nstuckForever/);
      return true;
    },
  );
});

test("synctest: an error in the body is rethrown without waiting for a goroutine that ticks forever", async () => {
  await assert.rejects(
    synctest(async () => {
      go(async () => {
        const ticker = newTicker(Minute);
        for (;;) await ticker.c.recv();
      });
      await sleep(Hour);
      throw new Error("boom");
    }),
    /boom/,
  );
});

test("synctest: timers still pending when the bubble ends are dropped", async () => {
  const before = readMemStats().timers;
  let fired = false;
  await synctest(() => {
    afterFunc(Hour, () => {
      fired = true;
    });
    newTicker(Minute); // never stopped
  });
  assert.equal(fired, false);
  assert.equal(readMemStats().timers, before);
});

test("synctest: bubbles cannot run concurrently; wait() outside a bubble throws", async () => {
  const release = chan<void>();
  const first = synctest(async () => {
    await release.recv();
  });
  await assert.rejects(synctest(() => {}), /synctest: bubbles cannot be nested or run concurrently/);
  await release.send();
  await first;
  await assert.rejects(wait(), /outside a bubble/);
});

test("synctest: a ticker made before the bubble stays on real time", async () => {
  const ticker = newTicker(Millisecond);
  const realStart = performance.now();
  await synctest(async () => {
    // Keep the bubble busy for a few real milliseconds, so the real ticker fires during it.
    while (performance.now() - realStart < 5) await sleep(Minute);
  });
  // Captured by the bubble, it would never tick again (and this would hang).
  await ticker.c.recv();
  await ticker.c.recv();
  ticker.stop();
  assert.ok(now() <= performance.now(), "now() is real again");
});
