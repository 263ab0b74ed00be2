// Port of Go's test/chan/select7.go: a value sent by a plain send or by a
// select (one or two cases) reaches a receiver that is a plain receive or a
// select (one or two cases) and discards nothing it should not.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, go, type RecvChan, recv, type SendChan, select, send } from "gort";
import { gosched } from "gort/runtime";

type Receiver = (c: RecvChan<number>) => Promise<number | undefined>;

const receivers: Record<string, Receiver> = {
  "a receive": (c) => c.recv(),
  "a one-case select": (c) => select([recv(c)]),
  "a two-case select": (c) => select([recv(c), recv(chan<number>())]),
};

type Sender = (recvFn: Receiver) => Promise<number | undefined>;

/** Starts the receiver, lets it block, sends 1 with `sendOne`, and returns what the receiver got. */
async function handOff(recvFn: Receiver, sendOne: (c: SendChan<number>) => Promise<unknown>): Promise<number | undefined> {
  const c = chan<number>();
  const got = chan<number | undefined>(1);
  go(async () => {
    await got.send(await recvFn(c));
  });
  await gosched(); // the receiver has started and blocked (Go: runtime.Gosched)
  await sendOne(c);
  return got.recv();
}

const senders: Record<string, Sender> = {
  "a send": (r) => handOff(r, (c) => c.send(1)),
  "a one-case select": (r) => handOff(r, (c) => select([send(c, 1)])),
  "a two-case select": (r) =>
    handOff(r, async (c) => {
      const fired = await select([send(c, 1, () => "c"), send(chan<number>(), 1, () => "other")]);
      assert.equal(fired, "c");
    }),
};

for (const [sname, sendFn] of Object.entries(senders)) {
  for (const [rname, recvFn] of Object.entries(receivers)) {
    test(`a value sent by ${sname} reaches ${rname}`, async () => {
      assert.equal(await sendFn(recvFn), 1);
    });
  }
}
