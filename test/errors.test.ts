// Bad input and Go's runtime panics turned into errors.
//
// gort's channel operations may throw synchronously (as Go panics at the
// statement); these tests await them inside an async function, so either a
// synchronous throw or a rejected promise is accepted where only the error
// matters, and a rejected promise is required where the operation was
// already waiting (a blocked sender, a blocked select).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  after,
  afterFunc,
  chan,
  defaultCase,
  go,
  newTicker,
  newTimer,
  RuntimeError,
  recv,
  select,
  send,
  sleep,
} from "gort";
import { gosched } from "gort/runtime";

/** An error check: class, name and exact message. */
function runtimeError(message: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof RuntimeError, `expected a RuntimeError, got ${String(err)}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, "RuntimeError");
    assert.equal(err.message, message);
    return true;
  };
}

/** Checks that `err` is a `cls` whose message names `op`. */
function namedError(cls: typeof TypeError | typeof RangeError, op: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof cls, `expected a ${cls.name}, got ${String(err)}`);
    assert.match((err as Error).message, new RegExp(`\\b${op}\\b`), `the message names ${op}`);
    return true;
  };
}

// biome-ignore lint: deliberately wrong arguments.
const bad = (v: unknown): any => v;

test("chan(capacity): a negative, fractional or non-number capacity is a RangeError naming chan", () => {
  for (const c of [-1, 1.5, "3", NaN, Infinity, -Infinity, null, {}, 1n]) {
    assert.throws(() => chan(bad(c)), namedError(RangeError, "chan"), `chan(${String(c)})`);
  }
  // Good capacities still work.
  assert.equal(chan().cap(), 0);
  assert.equal(chan(undefined).cap(), 0);
  assert.equal(chan(3).cap(), 3);
});

test("go(fn): a non-function is a TypeError naming go", () => {
  for (const f of [undefined, null, 1, "f", {}, Promise.resolve()]) {
    assert.throws(() => go(bad(f)), namedError(TypeError, "go"), `go(${String(f)})`);
  }
});

test("durations: a non-number or NaN is a TypeError naming the function", () => {
  assert.throws(() => sleep(bad("x")), namedError(TypeError, "sleep"));
  assert.throws(() => sleep(NaN), namedError(TypeError, "sleep"));
  assert.throws(() => after(NaN), namedError(TypeError, "after"));
  assert.throws(() => after(bad("5")), namedError(TypeError, "after"));
  assert.throws(() => newTimer(bad(undefined)), namedError(TypeError, "newTimer"));
  assert.throws(() => afterFunc(bad("x"), () => {}), namedError(TypeError, "afterFunc"));
  assert.throws(() => afterFunc(1, bad("not a function")), namedError(TypeError, "afterFunc"));
  const t = newTimer(1000);
  assert.throws(() => t.reset(NaN), TypeError);
  assert.equal(t.stop(), true, "a failed reset() leaves the timer as it was");
  assert.throws(() => newTicker(bad("x")), TypeError);
  const tk = newTicker(1000);
  assert.throws(() => tk.reset(NaN), TypeError);
  tk.stop();
});

test("select: malformed cases are TypeErrors", () => {
  assert.throws(() => select(bad("x")), namedError(TypeError, "select"));
  assert.throws(() => select(bad([1])), namedError(TypeError, "select"));
  assert.throws(() => select([defaultCase(), defaultCase()]), namedError(TypeError, "select"));
  assert.throws(() => recv(bad("ch")), namedError(TypeError, "recv"));
  assert.throws(() => recv(chan(), bad(1)), namedError(TypeError, "recv"));
  assert.throws(() => send(bad({}), 1), namedError(TypeError, "send"));
  assert.throws(() => send(chan(), 1, bad("f")), namedError(TypeError, "send"));
  assert.throws(() => defaultCase(bad(1)), namedError(TypeError, "defaultCase"));
});

test('send on a closed channel: RuntimeError("send on closed channel")', async () => {
  for (const cap of [0, 1]) {
    const ch = chan<number>(cap);
    ch.close();
    await assert.rejects(async () => {
      await ch.send(1);
    }, runtimeError("send on closed channel"));
    assert.throws(() => ch.trySend(1), runtimeError("send on closed channel"));
  }
});

test('close of a closed channel: RuntimeError("close of closed channel")', () => {
  const ch = chan<number>(2);
  ch.close();
  assert.throws(() => ch.close(), runtimeError("close of closed channel"));
});

test("a sender blocked when the channel closes: its promise rejects with send on closed channel", async () => {
  for (const cap of [0, 1]) {
    const ch = chan<number>(cap);
    for (let i = 0; i < cap; i++) await ch.send(i);
    const p = ch.send(99); // blocks: no receiver, buffer full
    let settled = false;
    p.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    await gosched();
    assert.equal(settled, false, "the send was blocked");
    ch.close();
    await assert.rejects(p, runtimeError("send on closed channel"));
    // The buffered values are still delivered; the blocked sender's is not.
    for (let i = 0; i < cap; i++) assert.equal(await ch.recv(), i);
    assert.deepEqual(await ch.recvOk(), [undefined, false]);
  }
});

test("a blocked sender in a goroutine: the error is the goroutine's to catch", async () => {
  const ch = chan<number>();
  const caught = chan<unknown>(1);
  go(async () => {
    try {
      await ch.send(1);
      await caught.send("no error");
    } catch (err) {
      await caught.send(err);
    }
  });
  await gosched();
  ch.close();
  const err = await caught.recv();
  assert.ok(runtimeError("send on closed channel")(err));
});

test("select: a send case on a closed channel, ready or blocked, is send on closed channel", async () => {
  // Chosen at once: the only ready case.
  const closed = chan<number>(1);
  closed.close();
  await assert.rejects(async () => {
    await select([send(closed, 1)]);
  }, runtimeError("send on closed channel"));
  // A select with a default case still panics: a closed channel's send case is ready.
  await assert.rejects(async () => {
    await select([send(closed, 1), defaultCase()]);
  }, runtimeError("send on closed channel"));

  // Blocked, then the channel closes: the select's promise rejects.
  const ch = chan<number>();
  const other = chan<number>();
  const p = select([send(ch, 1, () => "sent"), recv(other, () => "received")]);
  await gosched();
  ch.close();
  await assert.rejects(p, runtimeError("send on closed channel"));
  // The select's other case is gone: a send on `other` finds no receiver.
  assert.equal(other.trySend(1), false);
});

test("receives from a closed channel are not errors", async () => {
  const ch = chan<number>();
  ch.close();
  assert.equal(await ch.recv(), undefined);
  assert.deepEqual(await ch.recvOk(), [undefined, false]);
  assert.deepEqual(ch.tryRecv(), { ok: false, closed: true });
  assert.deepEqual(await select([recv(ch, (v, ok) => [v, ok])]), [undefined, false]);
  for await (const _ of ch) assert.fail("range over a closed channel ran its body");
});
