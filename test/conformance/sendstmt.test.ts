// Port of Go's test/chan/sendstmt.go. Go checks how `<-cc <- 2` and
// `c <- false || true` parse; the behaviour behind them is: a send case's
// channel can be the result of a receive (a channel of channels), evaluated
// when the select runs, and the value sent is the whole expression.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type Chan, chan, defaultCase, select, send } from "gort";

test("a send case on a channel received from a channel of channels sends without blocking", async () => {
  const cc = chan<Chan<number>>(1);
  const c = chan<number>(1);
  await cc.send(c);
  const fired = await select([
    send((await cc.recv()) ?? null, 2, () => "sent"), // Go: case <-cc <- 2
    defaultCase(() => "default"),
  ]);
  assert.equal(fired, "sent", "the buffered channel had room");
  assert.equal(await c.recv(), 2);
});

test("a send sends the value of the whole expression", async () => {
  const c = chan<boolean>(1);
  const f = false as boolean;
  await c.send(f || true); // Go: c <- false || true
  assert.equal(await c.recv(), true);
});
