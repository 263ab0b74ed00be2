// Port of the behaviour Go 1.21's src/sync/oncefunc_test.go checks (the file
// is not in Go 1.19's tree): onceFunc, onceValue and onceValues call f once,
// and re-throw f's panic, the same value, on every call. Written anew against
// gort/sync.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { gosched } from "gort/runtime";
import { onceFunc, onceValue, onceValues } from "gort/sync";

test("TestOnceFunc: f is called once, however many times the function is", async () => {
  let calls = 0;
  const f = onceFunc(() => {
    calls++;
  });
  for (let i = 0; i < 5; i++) await f();
  assert.equal(calls, 1);
});

test("TestOnceValue: f is called once and every call gets its value", async () => {
  let calls = 0;
  const f = onceValue(() => {
    calls++;
    return calls;
  });
  for (let i = 0; i < 5; i++) assert.equal(await f(), 1);
  assert.equal(calls, 1);
});

test("TestOnceValues: f is called once and every call gets its pair", async () => {
  let calls = 0;
  const f = onceValues((): [number, number] => {
    calls++;
    return [calls, calls + 1];
  });
  for (let i = 0; i < 5; i++) assert.deepEqual(await f(), [1, 2]);
  assert.equal(calls, 1);
});

function expectSamePanic(calls: Array<Promise<unknown>>, want: unknown): Promise<void> {
  return Promise.all(
    calls.map((p) =>
      p.then(
        () => assert.fail("no panic"),
        (err: unknown) => assert.equal(err, want, "a different panic value"),
      ),
    ),
  ).then(() => undefined);
}

test("TestOnceFuncPanic / TestOnceValuePanic / TestOnceValuesPanic: every call re-panics with the same value", async () => {
  const boom = new Error("x");
  let calls = 0;
  const f = onceFunc(() => {
    calls++;
    throw boom;
  });
  await expectSamePanic([f(), f(), f()], boom);
  const v = onceValue((): number => {
    calls++;
    throw boom;
  });
  await expectSamePanic([v(), v()], boom);
  const vs = onceValues((): [number, string] => {
    calls++;
    throw boom;
  });
  await expectSamePanic([vs(), vs()], boom);
  assert.equal(calls, 3, "each f was called once");
});

test("TestOnceFuncPanicNil: a thrown undefined (Go: panic(nil)) is re-thrown on every call too", async () => {
  const f = onceFunc(() => {
    throw undefined;
  });
  await expectSamePanic([f(), f()], undefined);
});

test("TestOnceFuncPanicTraceback: the re-thrown error still carries f's stack", async () => {
  const f = onceFunc(function failingInit() {
    throw new Error("init failed");
  });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(f(), (err: unknown) => err instanceof Error && (err.stack ?? "").includes("failingInit"));
  }
});

test("(gort) async f: concurrent callers all wait for the one call and get its value", async () => {
  const gate = chan<void>();
  let calls = 0;
  const f = onceValue(async () => {
    calls++;
    await gate.recv();
    return "ready";
  });
  const got = chan<string>(3);
  for (let i = 0; i < 3; i++) {
    go(async () => {
      await got.send(await f());
    });
  }
  await gosched();
  assert.equal(got.len(), 0);
  gate.close();
  for (let i = 0; i < 3; i++) assert.equal(await got.recv(), "ready");
  assert.equal(calls, 1);
  // An async rejection is remembered the same way.
  const err = new Error("async fail");
  const g = onceFunc(async () => {
    await gosched();
    throw err;
  });
  await expectSamePanic([g(), g()], err);
  await expectSamePanic([g()], err);
});

test("(gort) onceValues gives each caller its own array", async () => {
  const f = onceValues((): [number, number] => [1, 2]);
  const a = await f();
  a[0] = 99;
  assert.deepEqual(await f(), [1, 2]);
});
