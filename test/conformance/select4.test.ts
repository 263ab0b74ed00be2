// Port of Go's test/chan/select4.go: a select proceeds with the case whose
// value is ready, and the body (in Go, the assignment target) of a case that
// did not fire is not run.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, go, recv, select } from "gort";
import { gosched } from "gort/runtime";

test("select takes the case whose value is ready and runs no other case's body", async () => {
  const c = chan<number>(1);
  const c1 = chan<number>();
  await c.send(42);
  const bodies: string[] = [];
  const got = await select([
    recv(c1, (v) => {
      bodies.push("c1");
      return v;
    }),
    recv(c, (v) => {
      bodies.push("c");
      return v;
    }),
  ]);
  assert.equal(got, 42);
  assert.deepEqual(bodies, ["c"]);
  assert.equal(c.len(), 0, "the value was taken from c");
  assert.equal(c1.trySend(1), false, "no receiver was left waiting on c1");
});

test("select parked on two channels takes the one that becomes ready and leaves no waiter on the other (gort)", async () => {
  const c = chan<number>(1);
  const c1 = chan<number>();
  const bodies: string[] = [];
  go(async () => {
    await gosched(); // the select below has parked by now
    await c.send(42);
  });
  const got = await select([
    recv(c1, (v) => {
      bodies.push("c1");
      return v;
    }),
    recv(c, (v) => {
      bodies.push("c");
      return v;
    }),
  ]);
  assert.equal(got, 42);
  assert.deepEqual(bodies, ["c"]);
  assert.equal(c.len(), 0, "the value went to the select, not into the buffer");
  assert.equal(c1.trySend(1), false, "no receiver was left waiting on c1");
});
