// Port of Go's test/chan/select6.go (Go issue 2075): a select that loses on a
// channel must leave that channel's queue of waiters intact, so receivers
// queued behind it, and receivers that come later, are still woken.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, go, recv, select } from "gort";
import { gosched } from "gort/runtime";

test("waiters queued around a select that fired elsewhere are all still woken (issue 2075)", async () => {
  const c1 = chan<boolean>();
  const c2 = chan<boolean>();
  const c3 = chan<boolean>();
  const woken: string[] = [];

  go(async () => {
    await c1.recv();
    woken.push("first receiver");
  });
  go(async () => {
    // Queued on c1 behind the first receiver, and on c2.
    const fired = await select([recv(c1, () => "c1"), recv(c2, () => "c2")]);
    woken.push(`select fired ${fired}`);
    await c3.send(true);
    await c1.recv(); // queues on c1 again without c1 having been drained
    woken.push("second receiver");
  });
  go(async () => {
    await c2.send(true);
  });

  await c3.recv();
  await c1.send(true);
  await c1.send(true); // never completes if the select corrupted c1's queue
  await gosched(); // let the woken receivers record themselves
  assert.deepEqual(woken.sort(), ["first receiver", "second receiver", "select fired c2"]);
});
