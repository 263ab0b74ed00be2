// Port of Go's test/chan/select3.go: which channel operations block, which
// panic, and which proceed, for nil, closed, buffered and unbuffered channels,
// inside and outside select.
//
// Go decides "blocks" by racing the operation against a sleep. Here the
// runtime decides: the operation runs in a goroutine and the test lets the
// event loop turn a few times (helpers/blocking.ts); an operation that can
// proceed has finished by then, a parked one has not. A nil channel exists in
// gort only as a `null` select case, so Go's bare `nilch <- 7` and `<-nilch`
// are the one-case selects on null.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type Chan, chan, defaultCase, recv, select, send } from "gort";
import { blocks, turn } from "../helpers/blocking.ts";

const nilch: Chan<number> | null = null;

function closedChan(): Chan<number> {
  const ch = chan<number>();
  ch.close();
  return ch;
}

/** A case body that must not run. */
function unreachable(): never {
  throw new Error("control flow shouldn't reach here");
}

type Expect =
  | { readonly kind: "blocks" }
  | { readonly kind: "proceeds" }
  | { readonly kind: "panics"; readonly message: string };

const BLOCKS: Expect = { kind: "blocks" };
const PROCEEDS: Expect = { kind: "proceeds" };
const panics = (message: string): Expect => ({ kind: "panics", message });

interface Rule {
  readonly op: string;
  readonly expect: Expect;
  readonly run: () => unknown;
}

// The rule table. Rows marked "(gort)" are not in select3.go; they pin down the
// same rules for the API's non-blocking and close operations.
const rules: Rule[] = [
  // Sending or receiving on a nil channel blocks.
  { op: "send on a nil channel", expect: BLOCKS, run: () => select([send(nilch, 7)]) },
  { op: "receive on a nil channel", expect: BLOCKS, run: () => select([recv(nilch)]) },

  // A nil channel's case is never chosen.
  {
    op: "select: nil send case + default",
    expect: PROCEEDS,
    run: () => select([send(nilch, 7, unreachable), defaultCase()]),
  },
  {
    op: "select: nil receive case + default",
    expect: PROCEEDS,
    run: () => select([recv(nilch, unreachable), defaultCase()]),
  },

  // A buffered channel with free space takes a send at once.
  {
    op: "send on a buffered channel with free space",
    expect: PROCEEDS,
    run: () => chan<number>(1).send(7),
  },

  // A closed channel yields the zero value (undefined), ok = false, every time.
  {
    op: "receive from a closed channel, 10 times",
    expect: PROCEEDS,
    run: async () => {
      const closed = closedChan();
      for (let i = 0; i < 10; i++) {
        assert.equal(await closed.recv(), undefined, "zero value from a closed channel");
        assert.deepEqual(await closed.recvOk(), [undefined, false], "(zero, false) from a closed channel");
      }
    },
  },
  {
    op: "tryRecv on a closed channel (gort)",
    expect: PROCEEDS,
    run: () => assert.deepEqual(closedChan().tryRecv(), { ok: false, closed: true }),
  },

  // Sending to a closed channel panics; so does closing it again.
  { op: "send on a closed channel", expect: panics("send on closed channel"), run: () => closedChan().send(7) },
  { op: "trySend on a closed channel (gort)", expect: panics("send on closed channel"), run: () => closedChan().trySend(7) },
  { op: "close of a closed channel (gort)", expect: panics("close of closed channel"), run: () => closedChan().close() },

  // A receive with no sender blocks; so does a send with no receiver or no room.
  { op: "receive on an unbuffered channel with no sender", expect: BLOCKS, run: () => chan<number>().recv() },
  { op: "send on an unbuffered channel with no receiver (gort)", expect: BLOCKS, run: () => chan<number>().send(7) },
  {
    op: "send on a full buffered channel (gort)",
    expect: BLOCKS,
    run: async () => {
      const ch = chan<number>(1);
      await ch.send(1);
      await ch.send(2);
    },
  },

  // An empty select blocks forever.
  { op: "select with no cases", expect: BLOCKS, run: () => select([]) },

  // A select whose channels are all nil blocks.
  { op: "select: one nil receive case", expect: BLOCKS, run: () => select([recv(nilch, unreachable)]) },
  { op: "select: one nil send case", expect: BLOCKS, run: () => select([send(nilch, 7, unreachable)]) },
  {
    op: "select: nil receive and nil send cases",
    expect: BLOCKS,
    run: () => select([recv(nilch, unreachable), send(nilch, 7, unreachable)]),
  },

  // A select whose channels are not ready blocks.
  {
    op: "select: receive case on a channel with no sender",
    expect: BLOCKS,
    run: () => select([recv(chan<number>(), unreachable)]),
  },

  // A select with a default case does not block.
  { op: "select: default only", expect: PROCEEDS, run: () => select([defaultCase()]) },
  {
    op: "select: nil receive case + default (the default runs)",
    expect: PROCEEDS,
    run: async () => assert.equal(await select([recv(nilch, unreachable), defaultCase(() => "default")]), "default"),
  },
  {
    op: "select: nil send case + default (the default runs)",
    expect: PROCEEDS,
    run: async () => assert.equal(await select([send(nilch, 7, unreachable), defaultCase(() => "default")]), "default"),
  },

  // A select with a ready case takes it rather than the default.
  {
    op: "select: send case on a buffered channel with room, + default",
    expect: PROCEEDS,
    run: async () => {
      const ch = chan<number>(1);
      assert.equal(await select([send(ch, 7, () => "sent"), defaultCase(unreachable)]), "sent");
      assert.equal(ch.len(), 1);
    },
  },
  {
    op: "select: receive case on a buffered channel holding a value, + default",
    expect: PROCEEDS,
    run: async () => {
      const ch = chan<number>(1);
      await ch.send(7);
      assert.equal(await select([recv(ch, (v) => v), defaultCase(unreachable)]), 7);
    },
  },

  // A closed channel in a select behaves as the plain operation does.
  { op: "select: receive case on a closed channel, value discarded", expect: PROCEEDS, run: () => select([recv(closedChan())]) },
  {
    op: "select: receive case on a closed channel, value used",
    expect: PROCEEDS,
    run: async () => assert.equal(await select([recv(closedChan(), (v) => v)]), undefined),
  },
  {
    op: "select: receive case on a closed channel, value and ok used",
    expect: PROCEEDS,
    run: async () => assert.deepEqual(await select([recv(closedChan(), (v, ok) => [v, ok])]), [undefined, false]),
  },
  {
    op: "select: send case on a closed channel",
    expect: panics("send on closed channel"),
    run: () => select([send(closedChan(), 7)]),
  },

  // A select never pairs its own send case with its own receive case.
  {
    op: "select: send and receive cases on the same unbuffered channel",
    expect: BLOCKS,
    run: () => {
      const c = chan<number>();
      return select([send(c, 1), recv(c)]);
    },
  },
];

for (const rule of rules) {
  const { expect } = rule;
  if (expect.kind === "panics") {
    test(`panics (${expect.message}): ${rule.op}`, async () => {
      await assert.rejects(
        async () => {
          await rule.run();
        },
        (err: unknown) => {
          assert.ok(err instanceof Error, "a thrown Error");
          assert.equal(err.name, "RuntimeError");
          assert.equal(err.message, expect.message);
          return true;
        },
      );
    });
  } else {
    test(`${expect.kind}: ${rule.op}`, async () => {
      // blocks() rethrows anything the operation threw: "proceeds" also means "does not panic".
      assert.equal(await blocks(rule.run), expect.kind === "blocks", `${rule.op} should ${expect.kind === "blocks" ? "block" : "proceed"}`);
    });
  }
}

test("the blocking check tells a parked operation from one that has been woken", async () => {
  const c = chan<number>();
  let received: number | undefined;
  const parked = blocks(async () => {
    received = await c.recv();
  });
  assert.equal(await parked, true, "a receive with no sender is parked");
  assert.equal(c.trySend(5), true, "the parked receiver takes the value");
  await turn();
  assert.equal(received, 5);
});

test("a select parked with send and receive cases on one channel pairs with another goroutine", async () => {
  const c = chan<number>();
  let fired: string | undefined;
  const parked = await blocks(async () => {
    fired = await select([send(c, 1, () => "send"), recv(c, () => "recv")]);
  });
  assert.equal(parked, true);
  assert.equal(await c.recv(), 1, "the select's send case delivers to a plain receiver");
  await turn();
  assert.equal(fired, "send");
  assert.equal(c.trySend(2), false, "the fired select left no receiver behind");
});
