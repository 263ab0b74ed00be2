// Port of Go's test/chan/select.go: a select evaluates the operand of every
// case (nil channels included) once each time it runs, fires one ready case,
// and runs the default once no case is ready.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, defaultCase, type RecvChan, type SendChan, select, send } from "gort";

test("select evaluates every send operand once per run, fires one ready case per run, then takes the default", async () => {
  let evaluations = 0;
  let shift = 0;
  const nextValue = (): number => {
    evaluations++;
    return 1 << shift;
  };

  /** Sends on a and b without blocking, each at most once; returns how many sends happened. */
  async function sendEach(a: SendChan<number> | null, b: SendChan<number> | null): Promise<number> {
    let sent = 0;
    for (;;) {
      const fired = await select([
        send(a, nextValue(), () => "a" as const),
        send(b, nextValue(), () => "b" as const),
        defaultCase(() => "default" as const),
      ]);
      if (fired === "default") return sent;
      sent++;
      if (fired === "a") a = null;
      else b = null;
      shift++;
    }
  }

  const a = chan<number>(1);
  const b = chan<number>(1);
  assert.equal(await sendEach(a, b), 2, "one send on each channel");
  const fromA = (await (a as RecvChan<number>).recv()) as number;
  const fromB = (await (b as RecvChan<number>).recv()) as number;
  assert.equal(fromA | fromB, 3, "the two sends carried 1<<0 and 1<<1, one each");
  assert.notEqual(fromA, fromB);
  assert.equal(await sendEach(a, null), 1, "a nil channel's case never fires");
  // sendEach(a, b): 3 runs of the select; sendEach(a, null): 2 runs; 2 operands each.
  assert.equal(evaluations, 10, "operands evaluated");
});
