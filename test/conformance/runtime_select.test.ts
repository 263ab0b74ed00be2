// Ports of the portable select tests of Go's runtime/chan_test.go (Go 1.19):
// TestSelfSelect, TestSelectStress, TestSelectFairness, TestPseudoRandomSend,
// TestMultiConsumer, TestSelectDuplicateChannel, and the behaviour left in
// TestSelectStackAdjust once its stack-shrinking part is taken away.
// Written anew against gort's API; see INDEX-runtime.md for the mapping.

import assert from "node:assert/strict";
import { test } from "node:test";
import { type Chan, chan, go, recv, select, send } from "gort";
import { gosched } from "gort/runtime";

/** Yields to the event loop until `cond()` holds (fails instead of hanging). */
async function until(cond: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return;
    await gosched();
  }
  assert.fail(`gave up waiting for ${what}`);
}

test("TestSelfSelect: a select sending and receiving on one channel never pairs with itself", async () => {
  for (const chanCap of [0, 10]) {
    const c = chan<number>(chanCap);
    const done = chan<number>(2); // each goroutine reports how many self-receives it saw
    for (let p = 0; p < 2; p++) {
      go(async () => {
        let selfReceives = 0;
        const check = (v: number | undefined): void => {
          if (chanCap === 0 && v === p) selfReceives++;
        };
        for (let i = 0; i < 1000; i++) {
          // Both case orders, as in Go.
          if (p === 0 || i % 2 === 0) {
            await select([send(c, p), recv(c, check)]);
          } else {
            await select([recv(c, check), send(c, p)]);
          }
        }
        await done.send(selfReceives);
      });
    }
    assert.equal(await done.recv(), 0, `cap ${chanCap}: self receive`);
    assert.equal(await done.recv(), 0, `cap ${chanCap}: self receive`);
  }
});

test("TestSelectStress: senders, receivers and selects on four channels do not deadlock", async () => {
  // Go: N = 1e5 (1e4 with -short).
  const N = 5000;
  const c: Chan<number>[] = [chan<number>(), chan<number>(), chan<number>(2), chan<number>(3)];
  const wg = chan<string>(10);
  for (let k = 0; k < 4; k++) {
    go(async () => {
      for (let i = 0; i < N; i++) await c[k]!.send(0);
      await wg.send(`sender ${k}`);
    });
    go(async () => {
      for (let i = 0; i < N; i++) await c[k]!.recv();
      await wg.send(`receiver ${k}`);
    });
  }
  go(async () => {
    const n = [0, 0, 0, 0];
    const c1: (Chan<number> | null)[] = [...c];
    const at = (k: number): Chan<number> | null => c1[k] ?? null;
    // One case per channel; a channel that has had its N values becomes nil (null).
    const sent = (k: number) => () => {
      if (++n[k]! === N) c1[k] = null;
    };
    for (let i = 0; i < 4 * N; i++) {
      await select([send(at(3), 0, sent(3)), send(at(2), 0, sent(2)), send(at(0), 0, sent(0)), send(at(1), 0, sent(1))]);
    }
    assert.deepEqual(n, [N, N, N, N]);
    await wg.send("select sender");
  });
  go(async () => {
    const n = [0, 0, 0, 0];
    const c1: (Chan<number> | null)[] = [...c];
    const at = (k: number): Chan<number> | null => c1[k] ?? null;
    const got = (k: number) => () => {
      if (++n[k]! === N) c1[k] = null;
    };
    for (let i = 0; i < 4 * N; i++) {
      await select([recv(at(0), got(0)), recv(at(1), got(1)), recv(at(2), got(2)), recv(at(3), got(3))]);
    }
    assert.deepEqual(n, [N, N, N, N]);
    await wg.send("select receiver");
  });
  const finished: string[] = [];
  for (let i = 0; i < 10; i++) finished.push((await wg.recv()) as string);
  assert.equal(finished.length, 10);
});

test("TestSelectFairness: a select chooses uniformly among ready cases", async () => {
  const trials = 10_000;
  const c1 = chan<number>(trials + 1);
  const c2 = chan<number>(trials + 1);
  for (let i = 0; i < trials + 1; i++) {
    await c1.send(1);
    await c2.send(2);
  }
  const c3 = chan<number>();
  const c4 = chan<number>();
  const out = chan<number>();
  const done = chan<void>();
  const exited = chan<void>(1);
  go(async () => {
    for (;;) {
      const b = await select([recv(c3), recv(c4), recv(c1), recv(c2)]);
      const stop = await select([send(out, b as number, () => false), recv(done, () => true)]);
      if (stop) break;
    }
    await exited.send();
  });
  let cnt1 = 0;
  let cnt2 = 0;
  for (let i = 0; i < trials; i++) {
    const b = await out.recv();
    if (b === 1) cnt1++;
    else if (b === 2) cnt2++;
    else assert.fail(`unexpected value ${b} on channel`);
  }
  // If the select is fair, cnt1 and cnt2 are about equal. With 10,000 trials,
  // the margin of error at a confidence level of six nines is
  // 4.891676 / (2 * sqrt(10000)) (Go's bound).
  const r = cnt1 / trials;
  const e = Math.abs(r - 0.5);
  assert.ok(e <= 4.891676 / (2 * Math.sqrt(trials)), `unfair select: in ${trials} trials, results were ${cnt1}, ${cnt2}`);
  done.close();
  await exited.recv();
});

// Go runs both capacities in one test; here each is its own test. With cap 0
// the select blocks with both cases queued on c, so which one the receiver
// takes depends on the order the blocked select queued its cases (Go
// randomises it through its lock order); with cap n it is the ready-case choice.
for (const chanCap of [0, 100]) {
  test(`TestPseudoRandomSend (cap ${chanCap}): a select of two sends on one channel picks both`, async () => {
    const n = 100;
    const c = chan<number>(chanCap);
    const l: number[] = new Array<number>(n).fill(-1);
    const finished = chan<void>();
    go(async () => {
      for (let i = 0; i < n; i++) {
        await gosched();
        l[i] = (await c.recv()) as number;
      }
      await finished.send();
    });
    for (let i = 0; i < n; i++) {
      await select([send(c, 1), send(c, 0)]);
    }
    await finished.recv();
    let n0 = 0;
    let n1 = 0;
    for (const v of l) {
      assert.ok(v === 0 || v === 1, `unexpected value ${v}`);
      n0 += (v + 1) % 2;
      n1 += v;
    }
    assert.ok(n0 > n / 10 && n1 > n / 10, `want pseudorandom, got ${n0} zeros and ${n1} ones (chan cap ${chanCap})`);
  });
}

test("TestMultiConsumer: 23 workers ranging over a channel lose and duplicate nothing", async () => {
  const nwork = 23;
  const niter = 27_183; // Go: 271828; a tenth keeps the suite fast
  const pn = [2, 3, 7, 11, 13, 17, 19, 23, 27, 31];
  const q = chan<number>(nwork * 3);
  const r = chan<number>(nwork * 3);
  const workersDone = chan<void>(nwork);
  for (let i = 0; i < nwork; i++) {
    go(async (w: number) => {
      for await (const v of q) {
        // Mess with the FIFO-ish nature of range.
        if (pn[w % pn.length] === v) await gosched();
        await r.send(v);
      }
      await workersDone.send();
    }, i);
  }
  // Feeder and closer.
  let expect = 0;
  go(async () => {
    for (let i = 0; i < niter; i++) {
      const v = pn[i % pn.length]!;
      expect += v;
      await q.send(v);
    }
    q.close(); // no more work
    for (let i = 0; i < nwork; i++) await workersDone.recv(); // workers done
    r.close(); // ... so there can be no more results
  });
  // Consume and check.
  let n = 0;
  let s = 0;
  for await (const v of r) {
    n++;
    s += v;
  }
  assert.equal(n, niter, `saw ${n} of ${niter} iterations`);
  assert.equal(s, expect, `expected sum ${expect}, got ${s}`);
});

test("TestSelectDuplicateChannel: a select waiting twice on one channel leaves its queue intact", async () => {
  const c = chan<number>();
  const d = chan<number>();
  const e = chan<number>();
  let aQueued = false;
  let bQueued = false;
  let bGot: number | undefined;
  const bDone = chan<void>(1);
  // Goroutine A: two cases on c, one on d.
  go(async () => {
    aQueued = true;
    const fired = await select([recv(c, () => "c#1"), recv(c, () => "c#2"), recv(d, () => "d")]);
    assert.equal(fired, "d");
    await e.send(9);
  });
  await until(() => aQueued, "A to park on c"); // A is queued on c first
  // Goroutine B: a plain receive on c, queued behind A's two waiters.
  go(async () => {
    bQueued = true;
    bGot = await c.recv();
    await bDone.send();
  });
  await until(() => bQueued, "B to park on c");
  await d.send(7); // wakes A, which leaves c's queue; this used to corrupt c.recvq
  assert.equal(await e.recv(), 9); // A is done
  await c.send(8); // must wake B, not A again
  await bDone.recv();
  assert.equal(bGot, 8);
  assert.equal(c.trySend(0), false, "no receiver is left on c");
});

// TestSelectStackAdjust checks that receive slots survive stack shrinking,
// which has no JavaScript counterpart. What remains is the select itself:
// cases duplicated on one channel and nil (null) cases, woken by a close, fire
// a case of the closed channel and leave the other cases' values untouched.
test("TestSelectStackAdjust (behaviour without stacks): close wakes selects with duplicate and nil cases", async () => {
  const c = chan<{ val: number }>();
  const d = chan<{ val: number }>();
  const ready1 = chan<string>();
  const ready2 = chan<string>();
  let parked = 0;
  const f = async (ready: Chan<string>, dup: boolean): Promise<void> => {
    const val = { val: 42 };
    let cx = val;
    const c2 = dup ? c : null;
    const d2 = dup ? d : null;
    parked++;
    const fired = await select([
      recv(c, (v) => {
        cx = v as { val: number };
        return "c";
      }),
      recv(c2, () => "c2"),
      recv(d, (v, ok) => `d ${v} ${ok}`),
      recv(d2, (v, ok) => `d2 ${v} ${ok}`),
    ]);
    // cx still refers to val, and val is intact and writable through it.
    assert.equal(cx, val);
    assert.equal(val.val, 42);
    cx.val = 43;
    assert.equal(val.val, 43);
    await ready.send(fired);
  };
  go(f, ready1, false);
  go(f, ready2, true);
  await until(() => parked === 2, "both selects to park");
  d.close();
  assert.equal(await ready1.recv(), "d undefined false");
  assert.match((await ready2.recv()) as string, /^d2? undefined false$/);
});
