// Port of Go's test/chan/zerosize.go: channels of types that carry no
// information (Go: [0]byte, struct{}) can be made, unbuffered and buffered.
// In TypeScript: void, undefined, an empty tuple and an empty object type.
// As a receive returns undefined once a channel is closed, the ok flag is what
// tells a sent undefined from a closed channel; that is checked too.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type Chan, chan, go } from "gort";

function makeBoth<T>(): [Chan<T>, Chan<T>] {
  return [chan<T>(), chan<T>(1)];
}

test("channels of zero-size element types can be made unbuffered and buffered", () => {
  const pairs = [makeBoth<void>(), makeBoth<undefined>(), makeBoth<[]>(), makeBoth<Record<string, never>>()];
  for (const [unbuffered, buffered] of pairs) {
    assert.equal(unbuffered.cap(), 0);
    assert.equal(buffered.cap(), 1);
    assert.equal(unbuffered.len(), 0);
    assert.equal(buffered.len(), 0);
  }
});

test("a sent undefined is received with ok = true; a closed channel gives ok = false (gort)", async () => {
  const [unbuffered, buffered] = makeBoth<void>();
  await buffered.send();
  assert.equal(buffered.len(), 1, "a void value occupies a buffer slot");
  assert.deepEqual(buffered.tryRecv(), { ok: true, value: undefined });
  go(() => unbuffered.send());
  assert.deepEqual(await unbuffered.recvOk(), [undefined, true]);
  buffered.close();
  unbuffered.close();
  assert.deepEqual(await buffered.recvOk(), [undefined, false]);
  assert.deepEqual(await unbuffered.recvOk(), [undefined, false]);
  assert.deepEqual(buffered.tryRecv(), { ok: false, closed: true });
});

test("values of empty tuple and empty object types keep their identity through a channel (gort)", async () => {
  const tuples = chan<[]>(1);
  const objects = chan<Record<string, never>>(1);
  const t: [] = [];
  const o: Record<string, never> = {};
  await tuples.send(t);
  await objects.send(o);
  assert.equal(await tuples.recv(), t);
  assert.equal(await objects.recv(), o);
});
