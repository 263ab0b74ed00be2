// Port of Go's test/chan/select8.go: selects of one, two and three cases, the
// default alone, and a default with ready cases each fire exactly one case
// and leave it early (Go: `break` inside a case; here: the body returns).

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, defaultCase, go, recv, select, send } from "gort";
import { gosched } from "gort/runtime";

test("one-, two- and three-case selects fire one case, and a body leaves its case early", async () => {
  const ch = chan<number>();
  go(async () => {
    for (;;) await ch.send(5);
  });
  const unreachable = (): never => {
    throw new Error("unreachable");
  };
  const leaveEarly = (result: string): string => {
    // Go's `break` in a case: the rest of the body is skipped.
    if (result.length > 0) return result;
    return unreachable();
  };

  assert.equal(await select([recv(ch, (v) => leaveEarly(`recv ${v}`))]), "recv 5", "one receive case");

  assert.equal(await select([defaultCase(() => leaveEarly("default"))]), "default", "default only");

  await gosched(); // the sender is blocked on ch again, so the receive case is ready
  assert.equal(
    await select([recv(ch, (v) => leaveEarly(`recv ${v}`)), defaultCase(() => leaveEarly("default"))]),
    "recv 5",
    "receive + default, receive ready",
  );

  await gosched();
  assert.equal(
    await select([
      recv(ch, (v) => leaveEarly(`recv ${v}`)),
      send(ch, 10, unreachable), // nobody receives on ch: never ready
      defaultCase(() => leaveEarly("default")),
    ]),
    "recv 5",
    "receive + send + default, receive ready",
  );
});
