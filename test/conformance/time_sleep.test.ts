// Ports of the portable tests of Go's time/sleep_test.go (Go 1.19), with the
// timer rules of Go 1.23 (a timer's channel has len and cap 0, no value from
// before a stop() or reset() is ever received, stop() reports true while the
// value has not been received). Written anew against gort's API; see
// INDEX-runtime.md for the mapping.
//
// Timing: no test asserts an upper bound on elapsed time. Lower bounds ("at
// least d elapsed") are Go's guarantee and are asserted. Where Go sleeps to
// see that something did NOT happen, these tests wait on a timer that Go's
// ordering guarantees expires after it would have happened (a timer started
// later with a longer delay fires later).

import { setClockForTesting } from "#internal/clock";
import assert from "node:assert/strict";
import { test } from "node:test";
import { runFixture } from "../helpers/fixture.ts";
import {
  after,
  afterFunc,
  chan,
  defaultCase,
  go,
  Hour,
  Minute,
  Millisecond,
  Nanosecond,
  newTicker,
  newTimer,
  type RecvChan,
  recv,
  Second,
  select,
  sleep,
  type Timer,
} from "gort";
import { gosched } from "gort/runtime";

/** Burns CPU for `ms` milliseconds (moves the event loop's clock off a millisecond boundary). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

test("TestSleep: sleep(d) pauses for at least d, whatever other goroutines do", async () => {
  const delay = 10 * Millisecond;
  const woke = chan<void>(1);
  // Go interrupts the process with a signal half-way; here another goroutine
  // wakes up half-way and keeps the scheduler busy.
  go(async () => {
    await sleep(delay / 2);
    for (let i = 0; i < 100; i++) await gosched();
    await woke.send();
  });
  const start = performance.now();
  await sleep(delay);
  const elapsed = performance.now() - start;
  assert.ok(elapsed >= delay, `sleep(${delay}) slept for only ${elapsed} ms`);
  await woke.recv();
});

// Node's setTimeout measures from its loop clock, truncated to whole
// milliseconds, so it may call back up to 1 ms before the delay has passed
// by performance.now(). Go guarantees at least d; so must gort.
test("sleep, after, newTimer and afterFunc wait at least d (not the up to 1 ms less setTimeout may)", async () => {
  const d = 3;
  for (let i = 0; i < 20; i++) {
    busy((i % 10) / 10); // start each wait at a different fraction of a millisecond
    let start = performance.now();
    await sleep(d);
    let elapsed = performance.now() - start;
    assert.ok(elapsed >= d, `sleep(${d}) returned after ${elapsed.toFixed(3)} ms`);

    busy((i % 10) / 10);
    start = performance.now();
    await after(d).recv();
    elapsed = performance.now() - start;
    assert.ok(elapsed >= d, `after(${d}) fired after ${elapsed.toFixed(3)} ms`);

    busy((i % 10) / 10);
    start = performance.now();
    await newTimer(d).c.recv();
    elapsed = performance.now() - start;
    assert.ok(elapsed >= d, `newTimer(${d}) fired after ${elapsed.toFixed(3)} ms`);

    busy((i % 10) / 10);
    const ran = chan<number>(1);
    start = performance.now();
    afterFunc(d, () => ran.trySend(performance.now()));
    elapsed = ((await ran.recv()) as number) - start;
    assert.ok(elapsed >= d, `afterFunc(${d}) ran after ${elapsed.toFixed(3)} ms`);
  }
});

test("TestAfterFunc: each afterFunc runs in its own goroutine", async () => {
  let i = 10;
  const c = chan<boolean>();
  const release = chan<void>();
  let blocked = 0;
  const f = async (): Promise<void> => {
    i--;
    if (i >= 0) {
      afterFunc(0, f);
      // Go sleeps a second here: the next afterFunc must not wait for this
      // goroutine. Here it blocks until the test ends.
      blocked++;
      await release.recv();
    } else {
      await c.send(true);
    }
  };
  afterFunc(0, f);
  assert.equal(await c.recv(), true);
  assert.equal(blocked, 10);
  release.close();
});

test("TestAfterStress: a 1 ms ticker keeps ticking while a goroutine sleeps 1 ns in a loop", async () => {
  let stop = false;
  const stopped = chan<void>(1);
  go(async () => {
    while (!stop) await sleep(Nanosecond);
    await stopped.send();
  });
  const ticker = newTicker(1);
  for (let i = 0; i < 50; i++) await ticker.c.recv();
  ticker.stop();
  stop = true;
  await stopped.recv();
});

test("TestAfter: after(d) delivers the time, at least d later", async () => {
  const delay = 10 * Millisecond;
  const startDate = Date.now();
  const start = performance.now();
  const end = await after(delay).recv();
  const elapsed = performance.now() - start;
  assert.ok(end instanceof Date, "after() delivers a Date");
  assert.ok(elapsed >= delay, `after(${delay}) slept for only ${elapsed} ms`);
  assert.ok(end.getTime() >= startDate + delay, `after(${delay}) expect >= ${startDate + delay}, got ${end.getTime()}`);
});

test("TestAfterTick: ten after(d) in a row take at least 10 d", async () => {
  const count = 10;
  const delta = 2 * Millisecond;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await after(delta).recv();
  const d = performance.now() - t0;
  // Go also checks an upper bound (30%); that is a timing threshold and is left out.
  assert.ok(d >= delta * count, `${count} ticks of ${delta} ms too fast: took ${d} ms`);
});

test("TestAfterStop: stopped timers and afterFuncs never fire", async () => {
  const unit = 2 * Millisecond; // Go: 50 ms
  afterFunc(2 * unit, () => {});
  const t0 = newTimer(unit);
  const c1 = chan<boolean>(1);
  const t1 = afterFunc(3 * unit, () => c1.trySend(true));
  const c2 = after(4 * unit);
  assert.equal(t0.stop(), true, "failed to stop event 0");
  assert.equal(t1.stop(), true, "failed to stop event 1");
  await c2.recv(); // expires after both stopped timers would have
  const r = await select([recv(t0.c, () => "event 0"), recv(c1, () => "event 1"), defaultCase(() => "none")]);
  assert.equal(r, "none", `${r} was not stopped`);
  assert.equal(t1.stop(), false, "Stop returned true twice");
  assert.equal(t0.stop(), false, "Stop returned true twice");
});

/**
 * One try of TestAfterQueuing with slots `delta` apart: an error message, or
 * null if the timers arrived in order and none early.
 */
async function afterQueuing(delta: number): Promise<string | null> {
  const slots = [5, 3, 6, 6, 6, 1, 1, 2, 7, 9, 4, 8, 0];
  const result = chan<{ slot: number; t: Date }>(slots.length);
  const t0 = Date.now();
  for (const slot of slots) {
    go(
      async (slot: number, ac: RecvChan<Date>) => {
        await result.send({ slot, t: (await ac.recv()) as Date });
      },
      slot,
      after(slot * delta),
    );
  }
  const order: number[] = [];
  const times: Date[] = [];
  for (let i = 0; i < slots.length; i++) {
    const r = (await result.recv()) as { slot: number; t: Date };
    order.push(r.slot);
    times.push(r.t);
  }
  for (let i = 1; i < order.length; i++) {
    if (order[i]! < order[i - 1]!) return `after calls returned out of order: ${order}`;
  }
  // Go: dt within [target - delta/2, target + 10 delta]; only the lower bound is kept.
  for (let i = 0; i < times.length; i++) {
    const dt = times[i]!.getTime() - t0;
    const target = order[i]! * delta;
    if (dt < target - delta / 2) return `after(${target}) arrived at ${dt}, expected >= ${target - delta / 2}`;
  }
  return null;
}

test("TestAfterQueuing: after() timers fire in order of their delays", async (t) => {
  // Go tries 5 times, slots 20 + 50·i ms apart, since on a loaded machine
  // two goroutines woken by timers a slot apart may run in either order (a
  // goroutine started late finds its timer's value already buffered). Here
  // the first try is 3 ms apart (the suite stays fast), then Go's.
  const deltas = [3, 20, 70, 120, 170].map((ms) => ms * Millisecond);
  let err: string | null = "not run";
  for (const delta of deltas) {
    err = await afterQueuing(delta);
    if (err === null) break;
    t.diagnostic(`attempt with slots ${delta / Millisecond} ms apart failed: ${err}`);
  }
  assert.equal(err, null);
});

test("TestTimerStopStress: 100 afterFuncs stopped before their deadline never run", async () => {
  // Go: d = 1 s, the afterFunc at 2d. A woken goroutine may run only after
  // the event loop turns (gort's time slice), so a loaded machine needs the
  // margin between the stop and the deadline to be wide: the afterFunc is at 5d.
  const d = 10 * Millisecond;
  let fired = 0;
  const results = chan<boolean>(100);
  for (let i = 0; i < 100; i++) {
    go(async () => {
      const timer = afterFunc(5 * d, () => {
        fired++;
      });
      await sleep(d);
      await results.send(timer.stop());
    });
  }
  for (let i = 0; i < 100; i++) assert.equal(await results.recv(), true, "stop() of a pending afterFunc");
  await sleep(5 * d); // started after every stop(), so it ends after every 5d deadline
  assert.equal(fired, 0, `${fired} timers were not stopped`);
});

test("TestSleepZeroDeadlock: sleep(0) returns and leaves the goroutine runnable", async () => {
  const c = chan<boolean>();
  go(async () => {
    for (let i = 0; i < 100; i++) await gosched();
    await c.send(true);
  });
  for (let i = 0; i < 100; i++) {
    await sleep(0);
    const tmp = chan<boolean>(1);
    await tmp.send(true);
    assert.equal(await tmp.recv(), true);
  }
  assert.equal(await c.recv(), true);
});

test("TestReset: reset() postpones a pending timer; its result says whether it was pending", async () => {
  const d = 5 * Millisecond; // Go: 25 ms, retried with longer ones
  const t0 = newTimer(2 * d);
  await sleep(d);
  assert.equal(t0.reset(3 * d), true, "resetting unfired timer returned false");
  await sleep(2 * d); // ends before the reset deadline (3d after the reset)
  assert.equal(await select([recv(t0.c, () => "fired"), defaultCase(() => "pending")]), "pending", "timer fired early");
  await sleep(2 * d); // ends after it
  assert.equal(await select([recv(t0.c, () => "fired"), defaultCase(() => "pending")]), "fired", "reset timer did not fire");
  assert.equal(t0.reset(50 * Millisecond), false, "resetting expired timer returned true");
  assert.equal(t0.stop(), true, "stopping the re-armed timer");
});

test("TestOverflowSleep: huge delays do not fire, hugely negative ones fire at once", async () => {
  for (const big of [2 ** 63, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Infinity]) {
    const r = await select([recv(after(big), () => "big"), recv(after(2 * Millisecond), () => "short")]);
    assert.equal(r, "short", `after(${big}) fired`);
  }
  // sleep(big) is checked with mocked timers below (a pending sleep keeps the process alive).
  for (const neg of [-(2 ** 63), -Number.MAX_VALUE, -Infinity]) {
    const first = await Promise.race([
      sleep(neg).then(() => "sleep"),
      new Promise<string>((resolve) => setImmediate(() => resolve("setImmediate"))),
    ]);
    assert.equal(first, "sleep", `sleep(${neg}) did not return at once`);
    const r = await select([recv(after(neg), () => "neg"), recv(after(1 * Second), () => "1s")]);
    assert.equal(r, "neg", `after(${neg}) did not fire`);
  }
});

/**
 * One try of the test below with the positive delay `later`: an error
 * message, or null if every d ≤ 0 timer fired first.
 */
async function nowBeforeLater(later: number): Promise<string | null> {
  for (const d of [0, -1, -Minute]) {
    const l = after(later);
    if ((await select([recv(l, () => "later"), recv(after(d), () => "now")])) !== "now") return `after(${d})`;

    const tl = newTimer(later);
    const t = newTimer(d);
    const r = await select([recv(tl.c, () => "later"), recv(t.c, () => "now")]);
    tl.stop();
    if (r !== "now") return `newTimer(${d})`;

    const ran = chan<string>(2);
    afterFunc(later, () => ran.trySend("later"));
    afterFunc(d, () => ran.trySend("now"));
    if ((await ran.recv()) !== "now") return `afterFunc(${d})`;
    await ran.recv();

    const sleeper = chan<string>(2);
    go(async () => {
      await sleep(later);
      await sleeper.send("later");
    });
    go(async () => {
      await sleep(d);
      await sleeper.send("now");
    });
    if ((await sleeper.recv()) !== "now") return `sleep(${d})`;
    await sleeper.recv();
  }
  return null;
}

test("zero and negative delays fire at once: before a timer started earlier with a positive delay", async (t) => {
  // On a loaded machine the process can stall past the positive delay
  // before the event loop runs either timer; then both are due together,
  // and which of two goroutines they start runs first is the scheduler's
  // choice (in Go too: the second goes to runnext). So, as Go's timing
  // tests do, a failed try is retried with a longer positive delay; a d ≤ 0
  // timer that waited would fail every try.
  let err: string | null = "not run";
  for (const later of [5, 50, 200].map((ms) => ms * Millisecond)) {
    err = await nowBeforeLater(later);
    if (err === null) break;
    t.diagnostic(`with the other timer ${later / Millisecond} ms away, ${err} did not fire first`);
  }
  assert.equal(err, null, `${err} did not fire before a timer with a positive delay`);
});

test("TestZeroTimer: newTimer(0) always delivers", async () => {
  // Go: a million iterations (skipped with -short). Node runs a 0 ms timer
  // after 1 ms, so 200 here.
  for (let i = 0; i < 200; i++) {
    const ti = newTimer(0);
    assert.ok((await ti.c.recv()) instanceof Date);
  }
});

test("TestTimerModifiedEarlier: a timer moved into the past fires", async () => {
  const past = -Date.now(); // Go: time.Until(time.Unix(0, 0))
  for (let i = 0; i < 100; i++) {
    const timer = newTimer(Hour);
    for (let j = 0; j < 10; j++) {
      if (!timer.stop()) await timer.c.recv();
      timer.reset(past);
    }
    // Go selects against a 10 s deadline; a lost timer here leaves nothing to
    // keep the event loop alive and the test fails as unresolved.
    assert.ok((await timer.c.recv()) instanceof Date);
  }
});

test("TestAdjustTimers: timers moved earlier and later in random order all behave", async () => {
  const n = 100;
  const timers: (Timer | undefined)[] = new Array<Timer | undefined>(n);
  const states = new Array<number>(n).fill(0);
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  while (indices.length !== 0) {
    const ii = Math.floor(Math.random() * indices.length);
    const i = indices[ii]!;
    const timer = timers[i];
    const state = states[i]!;
    states[i]!++;
    const where = `timer ${i} state ${state}`;
    switch (state) {
      case 0:
        timers[i] = newTimer(0);
        break;
      case 1:
        await timer!.c.recv(); // the timer is now idle
        break;
      // Reset to long durations, which are cancelled.
      case 2:
        assert.equal(timer!.reset(1 * Minute), false, `${where}: shouldn't be active (1)`);
        break;
      case 4:
        assert.equal(timer!.reset(3 * Minute), false, `${where}: shouldn't be active (3)`);
        break;
      case 6:
        assert.equal(timer!.reset(2 * Minute), false, `${where}: shouldn't be active (2)`);
        break;
      // Stop a long-duration timer. Go 1.19 tolerates false and drains; with
      // Go 1.23 semantics a pending timer always reports true.
      case 3:
      case 5:
      case 7:
        assert.equal(timer!.stop(), true, `${where}: stop() of a pending timer`);
        break;
      // A short-duration timer, received without a long wait.
      case 8:
        assert.equal(timer!.reset(0), false, `${where}: reset() returned true`);
        break;
      case 9:
        assert.ok((await timer!.c.recv()) instanceof Date);
        break;
      // Done: swap with the tail and remove.
      case 10:
        indices[ii] = indices[indices.length - 1]!;
        indices.pop();
        break;
    }
  }
});

// Go 1.23 timer semantics (Go 1.19's sleep_test.go predates them).
test("Go 1.23: stop() of a fired, unreceived timer returns true and discards the value", async () => {
  const t = newTimer(1);
  assert.equal(t.c.len(), 0);
  assert.equal(t.c.cap(), 0);
  await sleep(5); // the timer has fired by now, and nobody received
  assert.equal(t.c.len(), 0, "len of a timer channel is 0 even with a value waiting");
  assert.equal(t.c.cap(), 0, "cap of a timer channel is 0");
  assert.equal(t.stop(), true, "the value was not received, so stop() stopped the timer");
  assert.deepEqual(t.c.tryRecv(), { ok: false, closed: false }, "stale value after stop()");
  await sleep(5);
  assert.deepEqual(t.c.tryRecv(), { ok: false, closed: false }, "value after stop()");
  assert.equal(t.stop(), false, "second stop()");
});

test("Go 1.23: reset() of a fired, unreceived timer returns true; only the new value arrives", async () => {
  const t = newTimer(1);
  await sleep(5); // fired, not received
  const before = Date.now();
  const start = performance.now();
  assert.equal(t.reset(4), true);
  assert.deepEqual(t.c.tryRecv(), { ok: false, closed: false }, "stale value after reset()");
  const v = (await t.c.recv()) as Date;
  const elapsed = performance.now() - start;
  assert.ok(elapsed >= 4, `the reset timer fired after ${elapsed} ms`);
  assert.ok(v.getTime() >= before + 4, "the value received is the new firing's time");
  assert.equal(t.stop(), false, "stop() after the value was received");
  assert.equal(t.reset(1), false, "reset() after the value was received");
  assert.ok((await t.c.recv()) instanceof Date, "the timer fires again after reset()");
});

test("Go 1.23: a goroutine blocked on a timer reset while it waits gets only the new firing", async () => {
  const t = newTimer(Hour);
  const got = chan<number>(1);
  go(async () => {
    await t.c.recv();
    await got.send(performance.now());
  });
  await gosched();
  const start = performance.now();
  assert.equal(t.reset(10), true);
  const at = (await got.recv()) as number;
  assert.ok(at - start >= 10, `received ${at - start} ms after reset(10)`);
});

test("Go 1.23: stop() and reset() of a stopped timer return false; reset re-arms it", async () => {
  const t = newTimer(Hour);
  assert.equal(t.stop(), true);
  assert.equal(t.stop(), false);
  assert.equal(t.reset(1), false);
  assert.ok((await t.c.recv()) instanceof Date);
  assert.deepEqual(after(Hour).tryRecv(), { ok: false, closed: false });
  assert.equal(after(Hour).len() + after(Hour).cap(), 0, "after() channels have len and cap 0");
});

test("afterFunc: stop() after the function ran is false; reset() runs it again", async () => {
  const ran = chan<number>(2);
  let n = 0;
  const t = afterFunc(1, () => ran.trySend(++n));
  assert.equal(await ran.recv(), 1);
  assert.equal(t.stop(), false, "stop() after the function started");
  assert.equal(t.reset(1), false, "reset() after the function started");
  assert.equal(await ran.recv(), 2);
  assert.deepEqual(t.c.tryRecv(), { ok: false, closed: false }, "an afterFunc timer's channel never delivers");
});

// Delays beyond 2^31-1 ms, which setTimeout turns into 1 ms, checked with
// node:test's fake setTimeout.
test("delays longer than 2^31-1 ms are honoured (mocked setTimeout)", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  setClockForTesting(() => Date.now());
  t.after(() => setClockForTesting(null));
  const big = 2 ** 31;
  const fired: string[] = [];
  const tm = newTimer(big);
  go(async () => {
    await tm.c.recv();
    fired.push("newTimer");
  });
  go(async () => {
    await sleep(big);
    fired.push("sleep");
  });
  go(async () => {
    await after(big + 5).recv();
    fired.push("after+5");
  });
  afterFunc(big, () => fired.push("afterFunc"));
  await gosched();

  t.mock.timers.tick(1); // raw setTimeout(fn, 2^31) would fire here
  await gosched();
  await gosched();
  assert.deepEqual(fired, [], "fired after 1 ms");

  t.mock.timers.tick(big - 2); // 1 ms short of 2^31
  await gosched();
  await gosched();
  assert.deepEqual(fired, [], "fired before 2^31 ms");

  t.mock.timers.tick(1); // exactly 2^31
  await gosched();
  await gosched();
  assert.deepEqual([...fired].sort(), ["afterFunc", "newTimer", "sleep"]);

  t.mock.timers.tick(4);
  await gosched();
  await gosched();
  assert.deepEqual(fired.slice(3), [], "after(2^31 + 5) fired early");
  t.mock.timers.tick(1);
  await gosched();
  await gosched();
  assert.deepEqual(fired.slice(3), ["after+5"]);
});

test("TestOverflowSleep (sleep part): sleep(2^63) does not return (mocked setTimeout)", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let returned = false;
  go(async () => {
    await sleep(2 ** 63);
    returned = true;
  });
  await gosched();
  for (let i = 0; i < 20; i++) {
    t.mock.timers.tick(2 ** 40); // about 35 years of mocked time per step
    await gosched();
  }
  assert.equal(returned, false, "big sleep returned");
});

// Keep-alive: a timer keeps the process alive only while a goroutine waits
// on it (Go: a program ends when main returns, pending timers or not).
const GORT = import.meta.resolve("gort");


test("timers and tickers nobody waits on do not keep the process alive", () => {
  const r = runFixture(`
import { after, chan, newTicker, newTimer, recv, select, tick, Minute, Second } from ${JSON.stringify(GORT)};
after(10 * Minute);
newTimer(10 * Minute);
newTicker(Second);
tick(Second);
// A timeout case that lost its select must not hold the process either.
const ready = chan(1);
ready.trySend("ready");
console.log(await select([recv(ready, (v) => v), recv(after(10 * Minute), () => "timeout")]));
console.log("main done");
`);
  assert.equal(r.signal, null, `the process was killed (${r.signal}): a timer kept it alive`);
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "ready\nmain done\n");
});

test("a pending after, sleep or afterFunc that a goroutine waits on keeps the process alive", () => {
  // One after the other, so that at each step the only thing pending is the
  // timer under test, and the order of the lines follows from causality.
  const r = runFixture(`
import { after, afterFunc, go, sleep } from ${JSON.stringify(GORT)};
go(async () => {
  const v = await after(20).recv();
  console.log("after fired", v instanceof Date);
  await sleep(10);
  console.log("sleep returned");
  afterFunc(10, () => console.log("afterFunc ran"));
});
console.log("main done");
`);
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "main done\nafter fired true\nsleep returned\nafterFunc ran\n");
});
