// Reference counts of shared objects (internal/mn/object.ts) in one thread:
// a handle decoded by a thread that already wraps the block gives the same
// wrapper back, and the copy's reference is owed by that wrapper rather
// than dropped at once; a wrapper owes at most a bounded number, so the
// 32-bit count cannot overflow however often a handle comes back.

import assert from "node:assert/strict";
import { test } from "node:test";
import { shared } from "#internal/mn/heap";
import { OBJ_REFS, SHARED_REF, type SharedObject } from "#internal/mn/object";
import { chan } from "gort";

function refs(obj: object): number {
  return shared().i32[((obj as SharedObject)[SHARED_REF] as number) + OBJ_REFS] as number;
}

test("a handle that comes back to a thread that wraps it gives the same wrapper, and its count stays bounded", () => {
  const carrier = chan<object>(1, { shared: true });
  const item = chan<number>(0, { shared: true });
  assert.equal(refs(item), 1, "the creating thread's wrapper");
  carrier.trySend(item);
  assert.equal(refs(item), 2, "plus the copy in the buffer");
  const back = carrier.tryRecv();
  assert.equal(back.ok && back.value, item, "the same wrapper");
  assert.equal(refs(item), 2, "the copy's reference is owed by the wrapper, not dropped yet");
  let most = 0;
  for (let i = 1; i < 200_000; i++) {
    assert.equal(carrier.trySend(item), true);
    const got = carrier.tryRecv();
    assert.ok(got.ok && got.value === item);
    most = Math.max(most, refs(item));
  }
  assert.ok(most <= 1 + 65_536, `the count reached ${most}`);
  assert.ok(refs(item) >= 1, "never below the wrapper's own");
});
