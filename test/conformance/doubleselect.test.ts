// Port of Go's test/chan/doubleselect.go: when a select with several ready
// send cases runs, exactly one case fires. A select that sent one value on two
// channels would show up as a duplicate at the end of the pipeline.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, go, type RecvChan, type SendChan, select, send } from "gort";

const ITERATIONS = 100_000; // Go's default

/** Sends 0..n-1, each on whichever of the four channels is ready first, then closes them all. */
async function sender(n: number, outs: readonly SendChan<number>[]): Promise<void> {
  try {
    for (let i = 0; i < n; i++) await select(outs.map((c) => send(c, i)));
  } finally {
    for (const c of outs) c.close();
  }
}

/** Forwards everything from `from` to `to`, then reports on `done`. */
async function mux(to: SendChan<number>, from: RecvChan<number>, done: SendChan<boolean>): Promise<void> {
  for await (const v of from) await to.send(v);
  await done.send(true);
}

test("exactly one case of a select fires: no value is sent twice through four racing channels", async () => {
  const ins = [chan<number>(), chan<number>(), chan<number>(), chan<number>()];
  const merged = chan<number>();
  const done = chan<boolean>();
  go(sender, ITERATIONS, ins);
  for (const c of ins) go(mux, merged, c, done);
  go(async () => {
    for (let i = 0; i < ins.length; i++) await done.recv();
    merged.close();
  });

  const seen = new Uint8Array(ITERATIONS);
  let duplicates = 0;
  let count = 0;
  for await (const v of merged) {
    if (seen[v] !== 0) duplicates++;
    seen[v] = 1;
    count++;
  }
  assert.equal(duplicates, 0, "values received twice");
  assert.equal(count, ITERATIONS, "every value arrives exactly once");
});
