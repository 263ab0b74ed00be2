// Port of Go's test/chan/fifo.go: channels deliver values in the order they
// were sent, buffered and unbuffered.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, go, type RecvChan, type SendChan } from "gort";
import { gosched } from "gort/runtime";

const N = 10;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test("FIFO order: a buffered channel gives back its values in the order sent", async () => {
  const ch = chan<number>(N);
  for (let i = 0; i < N; i++) await ch.send(i);
  const got: number[] = [];
  for (let i = 0; i < N; i++) got.push((await ch.recv()) as number);
  assert.deepEqual(got, range(N));
});

test("FIFO order: an unbuffered channel hands values, in order, to a daisy chain of receivers", async () => {
  const ch = chan<number>();
  const got: number[] = [];

  // Link i waits for its turn on `turnIn`, takes one value, then passes the turn on.
  async function link(values: RecvChan<number>, turnIn: RecvChan<number>, turnOut: SendChan<number>): Promise<void> {
    await turnIn.recv();
    got.push((await values.recv()) as number);
    await turnOut.send(1);
  }

  const start = chan<number>();
  let turnIn = start;
  for (let i = 0; i < N; i++) {
    const turnOut = chan<number>();
    go(link, ch, turnIn, turnOut);
    turnIn = turnOut;
  }
  await start.send(0);
  for (let i = 0; i < N; i++) await ch.send(i);
  await turnIn.recv();
  assert.deepEqual(got, range(N), "link i received value i");
});

test("FIFO order: receivers blocked on one channel are served in the order they blocked (gort)", async () => {
  const ch = chan<number>();
  const got: [receiver: number, value: number][] = [];
  const blocked: number[] = [];
  const done = chan<void>(N);
  for (let r = 0; r < N; r++) {
    go(async () => {
      blocked.push(r); // the receive below blocks at once: nothing has been sent
      got.push([r, (await ch.recv()) as number]);
      await done.send();
    });
  }
  await gosched(); // every receiver has started and blocked (go() does not promise in which order)
  assert.equal(blocked.length, N);
  for (let i = 0; i < N; i++) await ch.send(i);
  for (let i = 0; i < N; i++) await done.recv();
  // The i-th receiver to block gets the i-th value.
  assert.deepEqual(
    [...got].sort((a, b) => a[1] - b[1]),
    range(N).map((i) => [blocked[i], i]),
  );
});

test("FIFO order: senders blocked on one channel are served in the order they blocked (gort)", async () => {
  const ch = chan<number>();
  const blocked: number[] = [];
  for (let s = 0; s < N; s++) {
    go(() => {
      blocked.push(s); // the send below blocks at once: no receiver yet
      return ch.send(s);
    });
  }
  await gosched(); // every sender has started and blocked (go() does not promise in which order)
  assert.equal(blocked.length, N);
  const got: number[] = [];
  for (let i = 0; i < N; i++) got.push((await ch.recv()) as number);
  assert.deepEqual(got, blocked);
});
