// Ports of the portable tests of Go's runtime/chan_test.go (Go 1.19) that
// exercise plain channel operations: TestChan, TestNonblockRecvRace,
// TestNonblockSelectRace, TestNonblockSelectRace2, TestChanSendInterface.
// Written anew against gort's API; see INDEX-runtime.md for the mapping.
//
// Where Go sleeps "to let the other goroutine block", these tests yield with
// gosched() until the goroutine has reported that it started; gort runs on
// one thread, so a started goroutine that has not finished is parked.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, defaultCase, go, recv, select, send } from "gort";
import { gosched } from "gort/runtime";

/** Yields to the event loop until `cond()` holds (fails instead of hanging). */
async function until(cond: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return;
    await gosched();
  }
  assert.fail(`gave up waiting for ${what}`);
}

// Go: N = 200 capacities; the inner "P goroutines x L values" round uses L = 1000.
// All 200 capacities are kept; L is cut to keep the suite fast.
const N_CAPS = 200;
const P = 4;
const L = 250;

test("TestChan: capacities 0..199", async () => {
  for (let chanCap = 0; chanCap < N_CAPS; chanCap++) {
    const where = `chan[${chanCap}]`;
    {
      // A receive from an empty channel blocks.
      const c = chan<number>(chanCap);
      const done = chan<void>();
      let started = 0;
      let recv1 = false;
      let recv2 = false;
      go(async () => {
        started++;
        await c.recv();
        recv1 = true;
        await done.send();
      });
      go(async () => {
        started++;
        await c.recvOk();
        recv2 = true;
        await done.send();
      });
      await until(() => started === 2, "receivers to start");
      await gosched();
      assert.ok(!recv1 && !recv2, `${where}: receive from empty chan`);
      // A non-blocking receive does not block.
      const r1 = await select([recv(c, () => "recv"), defaultCase(() => "default")]);
      assert.equal(r1, "default", `${where}: receive from empty chan`);
      const r2 = await select([recv(c, (_v, ok) => `recv ok=${ok}`), defaultCase(() => "default")]);
      assert.equal(r2, "default", `${where}: receive from empty chan`);
      assert.deepEqual(c.tryRecv(), { ok: false, closed: false }, `${where}: tryRecv from empty chan`);
      await c.send(0);
      await c.send(0);
      await done.recv();
      await done.recv();
      assert.ok(recv1 && recv2, `${where}: both receivers got a value`);
    }

    {
      // A send to a full channel blocks.
      const c = chan<number>(chanCap);
      for (let i = 0; i < chanCap; i++) await c.send(i);
      let started = false;
      let sent = false;
      go(async () => {
        started = true;
        await c.send(-1);
        sent = true;
      });
      await until(() => started, "sender to start");
      await gosched();
      assert.ok(!sent, `${where}: send to full chan`);
      // A non-blocking send does not block.
      const r = await select([send(c, -2, () => "send"), defaultCase(() => "default")]);
      assert.equal(r, "default", `${where}: send to full chan`);
      assert.equal(c.trySend(-3), false, `${where}: trySend to full chan`);
      // Receiving makes room (or takes the value) and releases the sender.
      assert.equal(await c.recv(), chanCap === 0 ? -1 : 0, `${where}: first value`);
      await until(() => sent, "blocked sender to complete");
      // The blocked sender's value went in behind the buffered ones.
      for (let i = 1; i < chanCap; i++) assert.equal(await c.recv(), i, `${where}: FIFO`);
      if (chanCap > 0) assert.equal(await c.recv(), -1, `${where}: blocked sender's value last`);
      assert.equal(c.len(), 0);
    }

    {
      // A closed channel delivers its buffered values, then the zero value.
      const c = chan<number>(chanCap);
      for (let i = 0; i < chanCap; i++) await c.send(i);
      c.close();
      for (let i = 0; i < chanCap; i++) {
        assert.equal(await c.recv(), i, `${where}: received from closed chan`);
      }
      assert.equal(await c.recv(), undefined, `${where}: zero value from closed chan`);
      assert.deepEqual(await c.recvOk(), [undefined, false], `${where}: v, ok from closed chan`);
      assert.deepEqual(c.tryRecv(), { ok: false, closed: true });
      const r = await select([recv(c, (v, ok) => ({ v, ok })), defaultCase(() => "default")]);
      assert.deepEqual(r, { v: undefined, ok: false }, `${where}: select on closed chan`);
    }

    {
      // close() unblocks a receive.
      const c = chan<number>(chanCap);
      const done = chan<boolean>();
      let started = false;
      go(async () => {
        started = true;
        const [v, ok] = await c.recvOk();
        await done.send(v === undefined && ok === false);
      });
      await until(() => started, "receiver to start");
      c.close();
      assert.equal(await done.recv(), true, `${where}: received non zero from closed chan`);
    }

    {
      // 100 integers arrive uncorrupted, in FIFO order.
      const c = chan<number>(chanCap);
      go(async () => {
        for (let i = 0; i < 100; i++) await c.send(i);
      });
      for (let i = 0; i < 100; i++) assert.equal(await c.recv(), i, `${where}: FIFO`);

      // Same, with v, ok receives.
      go(async () => {
        for (let i = 0; i < 100; i++) await c.send(i);
      });
      for (let i = 0; i < 100; i++) assert.deepEqual(await c.recvOk(), [i, true], `${where}: FIFO (recvOk)`);

      // P senders of L integers each, P receivers: every value arrives P times.
      for (let p = 0; p < P; p++) {
        go(async () => {
          for (let i = 0; i < L; i++) await c.send(i);
        });
      }
      const done = chan<Map<number, number>>();
      for (let p = 0; p < P; p++) {
        go(async () => {
          const got = new Map<number, number>();
          for (let i = 0; i < L; i++) {
            const v = (await c.recv()) as number;
            got.set(v, (got.get(v) ?? 0) + 1);
          }
          await done.send(got);
        });
      }
      const total = new Map<number, number>();
      for (let p = 0; p < P; p++) {
        for (const [k, v] of (await done.recv()) as Map<number, number>) total.set(k, (total.get(k) ?? 0) + v);
      }
      assert.equal(total.size, L, `${where}: distinct values received`);
      for (const [k, v] of total) assert.equal(v, P, `${where}: value ${k} received ${v} times`);
    }

    {
      // len and cap.
      const c = chan<number>(chanCap);
      assert.equal(c.len(), 0, `${where}: len`);
      assert.equal(c.cap(), chanCap, `${where}: cap`);
      for (let i = 0; i < chanCap; i++) await c.send(i);
      assert.equal(c.len(), chanCap, `${where}: len of full chan`);
      assert.equal(c.cap(), chanCap, `${where}: cap of full chan`);
    }
  }
});

// Go runs the goroutine's non-blocking select in parallel with the main
// goroutine's close and receive. On one thread the interleaving is decided
// by where the main goroutine yields, so every interleaving is run.
test("TestNonblockRecvRace: a closed channel is always ready for a non-blocking receive", async () => {
  for (let i = 0; i < 300; i++) {
    for (const order of ["close-recv", "yield-close-recv", "close-yield-recv"] as const) {
      const c = chan<number>(1);
      await c.send(1);
      const res = chan<{ fired: string; v: number | undefined }>(1);
      go(async () => {
        const r = await select([
          recv(c, (v) => ({ fired: "recv", v })),
          defaultCase(() => ({ fired: "default", v: undefined })),
        ]);
        await res.send(r);
      });
      if (order === "yield-close-recv") await gosched();
      c.close();
      if (order === "close-yield-recv") await gosched();
      const mine = await c.recv();
      const theirs = (await res.recv()) as { fired: string; v: number | undefined };
      assert.equal(theirs.fired, "recv", `${order}: chan is not ready`);
      // Exactly one of the two receives got the buffered 1; the other saw the close.
      assert.deepEqual([mine, theirs.v].sort(), [1, undefined], `${order}: the value was received once`);
    }
  }
});

// Go: the select acts on the channels' state at one moment, so with c1 or
// c2 always ready it never takes the default case. The yields place the
// goroutine's select at each point of the main goroutine's sequence.
for (const variant of ["send", "close"] as const) {
  const name = variant === "send" ? "TestNonblockSelectRace" : "TestNonblockSelectRace2";
  test(`${name}: a non-blocking select with a ready channel never takes default`, async () => {
    const done = chan<boolean>(1);
    for (let i = 0; i < 400; i++) {
      const yields = i % 8;
      const c1 = chan<number>(1);
      const c2 = chan<number>(variant === "send" ? 1 : 0);
      assert.ok(c1.trySend(1));
      go(async () => {
        const ok = await select([recv(c1, () => true), recv(c2, () => true), defaultCase(() => false)]);
        await done.send(ok);
      });
      if (yields & 1) await gosched();
      if (variant === "send") assert.ok(c2.trySend(1));
      else c2.close();
      if (yields & 2) await gosched();
      await select([recv(c1), defaultCase()]);
      if (yields & 4) await gosched();
      assert.equal(await done.recv(), true, `iteration ${i}: no chan is ready`);
    }
  });
}

test("TestChanSendInterface: non-blocking sends of objects to a full channel", async () => {
  const m = { name: "mt" };
  const c = chan<object>(1);
  await c.send(m);
  assert.equal(await select([send(c, m, () => "sent"), defaultCase(() => "default")]), "default");
  assert.equal(
    await select([send(c, m, () => "sent m"), send(c, { name: "other" }, () => "sent other"), defaultCase(() => "default")]),
    "default",
  );
  assert.equal(c.len(), 1);
  assert.equal(await c.recv(), m, "the buffered value is the same object");
});
