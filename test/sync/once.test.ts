// Port of Go's src/sync/once_test.go (TestOnce, TestOncePanic), written anew
// against gort/sync, plus gort's checks for async functions: callers that
// arrive while the function runs wait for it, and a rejection counts as done.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { gosched } from "gort/runtime";
import { Once } from "gort/sync";
import { blocks } from "../helpers/blocking.ts";

test("TestOnce: ten goroutines call do(); the function runs once and every caller sees its effect", async () => {
  let o = 0;
  const once = new Once();
  const c = chan<boolean>();
  for (let i = 0; i < 10; i++) {
    go(async () => {
      await once.do(() => {
        o++;
      });
      assert.equal(o, 1, "once failed inside run");
      await c.send(true);
    });
  }
  for (let i = 0; i < 10; i++) await c.recv();
  assert.equal(o, 1, "once failed outside run");
});

test("TestOncePanic: a throwing function counts as done; the caller gets the error, later calls do nothing", async () => {
  const once = new Once();
  await assert.rejects(
    once.do(() => {
      throw new Error("failed");
    }),
    /failed/,
  );
  await once.do(() => {
    assert.fail("Once.do called twice");
  });
});

test("(gort) a sync function runs before do() returns, as in Go", () => {
  const once = new Once();
  let ran = false;
  void once.do(() => {
    ran = true;
  });
  assert.equal(ran, true);
});

test("(gort) an async function: callers that arrive while it runs wait until it has completed", async () => {
  const once = new Once();
  const gate = chan<void>();
  let completed = false;
  const returned: boolean[] = [];
  const finished = chan<boolean>(3);
  for (let i = 0; i < 3; i++) {
    go(async () => {
      await once.do(async () => {
        await gate.recv();
        completed = true;
      });
      returned.push(completed);
      await finished.send(true);
    });
  }
  await gosched();
  await gosched();
  assert.deepEqual(returned, [], "a do() resolved before the function completed");
  gate.close();
  for (let i = 0; i < 3; i++) await finished.recv();
  assert.deepEqual(returned, [true, true, true]);
});

test("(gort) an async function that rejects counts as done; waiting callers resolve, the caller that ran it rejects", async () => {
  const once = new Once();
  const gate = chan<void>();
  const outcomes: string[] = [];
  const finished = chan<boolean>(2);
  for (const name of ["first", "second"]) {
    go(async () => {
      try {
        await once.do(async () => {
          await gate.recv();
          throw new Error(`boom from ${name}`);
        });
        outcomes.push(`${name} ok`);
      } catch (err) {
        outcomes.push(`${name} ${(err as Error).message}`);
      }
      await finished.send(true);
    });
  }
  await gosched();
  gate.close();
  await finished.recv();
  await finished.recv();
  assert.equal(outcomes.length, 2);
  const failed = outcomes.filter((o) => o.includes("boom"));
  assert.equal(failed.length, 1, `exactly one caller ran the function: ${outcomes.join(", ")}`);
  let called = false;
  await once.do(() => {
    called = true;
  });
  assert.equal(called, false);
});

test("(gort) do() from inside its own function never completes (Go: deadlock)", async () => {
  const once = new Once();
  assert.equal(await blocks(() => once.do(() => once.do(() => {}))), true);
});
