// Port of Go's test/chan/nonblock.go: non-blocking sends and receives (a
// select with a default case) on unbuffered and buffered channels, for
// several element types.
//
// Go retries with short sleeps until the partner goroutine is ready. Here a
// failed attempt yields to the scheduler (gosched) and tries again, a bounded
// number of times: the partner is ready after it has run once, not after some
// time has passed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type Chan, chan, defaultCase, go, recv, select, send } from "gort";
import { gosched } from "gort/runtime";

const MAX_TRIES = 100;

const NOT_READY = Symbol("not ready");
/** The default case's body: this attempt found the partner not ready. */
const notReady = (): typeof NOT_READY => NOT_READY;

/** Calls `attempt` until it returns something other than NOT_READY, yielding between tries. Returns the value and the failed tries. */
async function retry<T>(what: string, attempt: () => Promise<T | typeof NOT_READY>): Promise<[value: T, failedTries: number]> {
  for (let tries = 0; tries <= MAX_TRIES; tries++) {
    const r = await attempt();
    if (r !== NOT_READY) return [r, tries];
    await gosched();
  }
  assert.fail(`${what}: still not ready after ${MAX_TRIES} tries`);
}

interface Kind<T> {
  readonly name: string;
  /** What the test sends to the receiver goroutine. */
  readonly toReceiver: T;
  /** What the sender goroutine sends to the test. */
  readonly fromSender: T;
}

const kinds = [
  { name: "number (Go int32)", toReceiver: 123, fromSender: 234 } satisfies Kind<number>,
  { name: "bigint (Go int64)", toReceiver: 123456n, fromSender: 234567n } satisfies Kind<bigint>,
  { name: "boolean", toReceiver: true, fromSender: true } satisfies Kind<boolean>,
  { name: "string", toReceiver: "hello", fromSender: "hello again" } satisfies Kind<string>,
] as const;

async function exercise<T>(kind: Kind<T>, buffer: number): Promise<void> {
  const c: Chan<T> = chan<T>(buffer);
  const sync = chan<boolean>();

  // Nothing to receive yet: the default case runs.
  assert.equal(await select([recv(c, () => "received"), defaultCase(() => "default")]), "default", "receive on an empty channel");

  // A non-blocking send succeeds once the receiver goroutine waits (or at once into the buffer).
  let received: T | undefined;
  go(async () => {
    received = await c.recv();
    await sync.send(true);
  });
  const [, sendTries] = await retry("send to receiver", () =>
    select([send(c, kind.toReceiver, () => true), defaultCase(notReady)]),
  );
  if (buffer === 0) {
    assert.ok(sendTries >= 1, "an unbuffered send must not succeed before the receiver goroutine has run");
  } else {
    assert.equal(sendTries, 0, "a buffered send with room succeeds at once");
  }
  await sync.recv();
  assert.equal(received, kind.toReceiver, "value seen by the receiver");

  // A non-blocking receive succeeds once the sender goroutine has sent (or waits to send).
  go(async () => {
    await c.send(kind.fromSender);
    await sync.send(true);
  });
  if (buffer > 0) await sync.recv(); // the buffered send has completed
  const [value] = await retry("receive from sender", () =>
    select([recv(c, (v, ok) => (ok ? { v } : assert.fail("channel closed"))), defaultCase(notReady)]),
  );
  assert.equal(value.v, kind.fromSender, "value sent by the sender");
  if (buffer === 0) await sync.recv();
  assert.equal(c.len(), 0);
}

for (const buffer of [0, 1]) {
  for (const kind of kinds) {
    test(`non-blocking send and receive on ${buffer === 0 ? "an unbuffered" : "a buffered (cap 1)"} channel of ${kind.name}`, async () => {
      await exercise<unknown>(kind, buffer);
    });
  }
}

test("non-blocking trySend/tryRecv (gort's shorthands) follow the same rules", async () => {
  const c = chan<string>();
  assert.equal(c.trySend("x"), false, "no receiver waiting");
  assert.deepEqual(c.tryRecv(), { ok: false, closed: false }, "no sender waiting");
  let received: string | undefined;
  go(async () => {
    received = await c.recv();
  });
  await gosched();
  assert.equal(c.trySend("x"), true, "a receiver waits");
  go(async () => {
    await c.send("y");
  });
  await gosched();
  assert.deepEqual(c.tryRecv(), { ok: true, value: "y" }, "a sender waits");
  await gosched();
  assert.equal(received, "x");
});
