// Ports of the portable tests of Go's time/tick_test.go (Go 1.19), with the
// ticker rules of Go 1.23 (the channel has len and cap 0; no tick from before
// a stop() or reset() is received after it). Written anew against gort's API;
// see INDEX-runtime.md for the mapping.
//
// Timing: only lower bounds on elapsed time ("at least n periods") are
// asserted. Where Go sleeps to see that no tick arrives, these tests sleep
// for longer than a period: a running ticker would have ticked by then.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runFixture } from "../helpers/fixture.ts";
import { Millisecond, newTicker, Second, sleep, Ticker, tick } from "gort";

const EMPTY = { ok: false, closed: false };

test("TestTicker: ticks come a period apart; reset() changes the period; stop() stops them", async () => {
  const count = 10;
  const delta = 2 * Millisecond; // Go: 20 ms, then 1 s if that was off
  const t0 = performance.now(); // before the ticker starts: ticks are due at start + k × delta
  const ticker = newTicker(delta);
  for (let i = 0; i < count / 2; i++) assert.ok((await ticker.c.recv()) instanceof Date);
  const t1 = performance.now();
  assert.ok(t1 - t0 >= (count / 2) * delta, `${count / 2} ticks of ${delta} ms took only ${t1 - t0} ms`);
  ticker.reset(delta * 2);
  for (let i = count / 2; i < count; i++) await ticker.c.recv();
  const t2 = performance.now();
  ticker.stop();
  // Go checks the total against 3 * delta * count/2 within ±30%; the upper side
  // is a timing threshold and is left out.
  assert.ok(t2 - t1 >= (count / 2) * 2 * delta, `${count / 2} ticks of ${2 * delta} ms took only ${t2 - t1} ms`);
  assert.ok(t2 - t0 >= 3 * delta * (count / 2));
  // The ticker is stopped: nothing arrives in two periods.
  await sleep(2 * delta);
  assert.deepEqual(ticker.c.tryRecv(), EMPTY, "Ticker did not shut down");
});

test("Go 1.23: stop() discards a tick nobody has received", async () => {
  const ticker = newTicker(1);
  await sleep(5); // at least one tick is waiting now
  assert.equal(ticker.c.len(), 0, "len of a ticker channel is 0");
  assert.equal(ticker.c.cap(), 0, "cap of a ticker channel is 0");
  ticker.stop();
  assert.deepEqual(ticker.c.tryRecv(), EMPTY, "stale tick after stop()");
  await sleep(5);
  assert.deepEqual(ticker.c.tryRecv(), EMPTY, "tick after stop()");
  ticker.stop(); // stopping twice is harmless
});

test("Go 1.23: reset() discards a waiting tick; the next one comes a new period after the reset", async () => {
  const ticker = newTicker(1);
  await sleep(5); // a tick is waiting
  const start = performance.now();
  ticker.reset(6);
  assert.deepEqual(ticker.c.tryRecv(), EMPTY, "stale tick after reset()");
  await ticker.c.recv();
  const elapsed = performance.now() - start;
  assert.ok(elapsed >= 6, `first tick ${elapsed} ms after reset(6)`);
  ticker.stop();
});

test("a slow receiver misses ticks: at most one waits", async () => {
  const ticker = newTicker(1);
  await sleep(10); // about ten periods, nobody receiving
  assert.ok((await ticker.c.recv()) instanceof Date);
  assert.deepEqual(ticker.c.tryRecv(), EMPTY, "ticks were queued for the slow receiver");
  ticker.stop();
});

test("reset() restarts a stopped ticker", async () => {
  const ticker = newTicker(Second);
  ticker.stop();
  ticker.reset(1);
  assert.ok((await ticker.c.recv()) instanceof Date);
  assert.ok((await ticker.c.recv()) instanceof Date);
  ticker.stop();
});

// Go: a Ticker made as a struct literal, never started, can be stopped. gort's
// closest is the Ticker constructor used directly rather than newTicker().
test("TestTickerStopWithDirectInitialization: stop() of a directly constructed Ticker", async () => {
  const tk = new Ticker(Second);
  tk.stop();
  tk.stop();
  assert.deepEqual(tk.c.tryRecv(), EMPTY);
});

test("TestTeardown: tickers torn down after one tick leave nothing behind", async () => {
  const delta = 2 * Millisecond; // Go: 20 ms with -short
  for (let i = 0; i < 3; i++) {
    const ticker = newTicker(delta);
    await ticker.c.recv();
    ticker.stop();
  }
});

test("TestTick: tick(d) delivers ticks; tick of a non-positive period throws (Go returns nil)", async () => {
  assert.throws(() => tick(-1), RangeError);
  assert.throws(() => tick(0), RangeError);
  const c = tick(1);
  assert.ok((await c.recv()) instanceof Date);
  assert.ok((await c.recv()) instanceof Date);
});

test("TestNewTickerLtZeroDuration: newTicker of a non-positive period throws RangeError", () => {
  for (const d of [-1, 0, -Second]) {
    assert.throws(
      () => newTicker(d),
      (err: unknown) => err instanceof RangeError && err.message === "non-positive interval for NewTicker",
      `newTicker(${d})`,
    );
  }
});

test("TestTickerResetLtZeroDuration: Ticker.reset of a non-positive period throws RangeError", () => {
  const tk = newTicker(Second);
  try {
    for (const d of [0, -1]) {
      assert.throws(
        () => tk.reset(d),
        (err: unknown) => err instanceof RangeError && err.message === "non-positive interval for Ticker.Reset",
        `reset(${d})`,
      );
    }
  } finally {
    tk.stop();
  }
});

const GORT = import.meta.resolve("gort");


test("a ticker keeps the process alive while a goroutine waits on it, and not after", () => {
  const r = runFixture(`
import { go, newTicker, tick } from ${JSON.stringify(GORT)};
const ticker = newTicker(5);
go(async () => {
  for (let i = 0; i < 3; i++) await ticker.c.recv();
  console.log("three ticks");
  // Not stopped: nobody waits on it any more, so it must not hold the process.
});
const t = tick(5);
go(async () => {
  await t.recv();
  console.log("one tick");
});
console.log("main done");
`);
  assert.equal(r.signal, null, `the process was killed (${r.signal}): a ticker kept it alive`);
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  const lines = r.stdout.split("\n");
  assert.equal(lines[0], "main done");
  assert.deepEqual(lines.slice(1).sort(), ["", "one tick", "three ticks"]);
});
