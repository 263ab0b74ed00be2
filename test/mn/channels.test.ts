// Shared channels across threads under load: N producers × M consumers on
// one channel (unbuffered and buffered, portable goroutines and goroutines
// of the main thread on both sides, plain receives and select): every value
// is received exactly once and none is lost. close() releases every blocked
// receiver and sender on every thread; a send on a closed channel is a
// RuntimeError on every thread; channels travel inside values on other
// shared channels.
//
// The tasks are in tasks.ts (worker threads import that module to find them).

import assert from "node:assert/strict";
import { test } from "node:test";
import { type Chan, chan, go, type RecvChan, recv, RuntimeError, select, type SendChan } from "gort";
import { WaitGroup } from "gort/sync";
import {
  closedChanOps,
  consume,
  echo,
  errText,
  produce,
  recvReport,
  recvSeq,
  selectConsume,
  selectNothingReady,
  selectProduce,
  sendReport,
  sendSeq,
  squareClient,
  squareServer,
  streamOnNewChan,
} from "./tasks.ts";
import { settle, watchdog } from "./watchdog.ts";

watchdog();
const T = { timeout: 30_000 };

/** Checks that seen[v] is 1 for every v < n; names the first few that are not. */
function assertEachOnce(seen: Int32Array, n: number): void {
  const wrong: string[] = [];
  for (let v = 0; v < n; v++) {
    const c = Atomics.load(seen, v);
    if (c !== 1 && wrong.length < 10) wrong.push(`${v}×${c}`);
  }
  assert.deepEqual(wrong, [], "values not received exactly once (value×times)");
}

for (const cap of [0, 1, 64]) {
  test(`${cap === 0 ? "unbuffered" : `cap ${cap}`}: 6 portable producers + 1 local × 5 portable consumers + 1 local, every value received exactly once`, T, async () => {
    const P = 6;
    const C = 5;
    const PER = 3000;
    const total = (P + 1) * PER;
    const q = chan<number>(cap, { shared: true });
    const seen = new Int32Array(new SharedArrayBuffer(4 * total));
    const counts = chan<number>(C + 1, { shared: true });
    const producers = new WaitGroup({ shared: true });
    producers.add(P + 1);
    for (let c = 0; c < C; c++) go(consume, q, seen, counts);
    for (let p = 0; p < P; p++) go(produce, p * PER, PER, q, producers);
    // A producer and a consumer on the main thread too.
    go(async () => {
      for (let i = 0; i < PER; i++) await q.send(P * PER + i);
      producers.done();
    });
    go(async () => {
      let n = 0;
      for await (const v of q) {
        Atomics.add(seen, v, 1);
        n++;
      }
      await counts.send(n);
    });
    await producers.wait();
    q.close();
    let received = 0;
    for (let c = 0; c < C + 1; c++) received += (await counts.recv()) as number;
    assert.equal(received, total);
    assertEachOnce(seen, total);
  });
}

// One sender, one receiver, on different threads: a buffered channel is a
// FIFO queue (Go: values are received in the order sent). Both sides mostly
// wait in place here (chan.ts), so this also checks that a goroutine that
// waited unlocked looks at the channel afresh before it parks.
for (const cap of [1, 100]) {
  test(`cap ${cap}: a stream from a worker to main, and from main to a worker, arrives in order`, T, async () => {
    const n = 100_000;
    const up = chan<number>(cap, { shared: true });
    go(sendSeq, n, up);
    let inOrder = -1;
    let got = 0;
    for await (const v of up) {
      if (inOrder === -1 && v !== got) inOrder = got;
      got++;
    }
    assert.deepEqual([inOrder === -1 ? got : inOrder, got], [n, n], "worker → main: [values in order before the first out of order, values]");
    const down = chan<number>(cap, { shared: true });
    const report = chan<[number, number]>(1, { shared: true });
    go(recvSeq, down, report);
    for (let i = 0; i < n; i++) await down.send(i);
    down.close();
    assert.deepEqual(await report.recv(), [n, n], "main → worker: [values in order before the first out of order, values]");
  });
}

test("select across threads: consumers selecting over two shared channels take every value exactly once", T, async () => {
  const PER = 4000;
  const a = chan<number>(0, { shared: true });
  const b = chan<number>(8, { shared: true });
  const seen = new Int32Array(new SharedArrayBuffer(4 * 2 * PER));
  const counts = chan<number>(4, { shared: true });
  const wg = new WaitGroup({ shared: true });
  for (let c = 0; c < 4; c++) go(selectConsume, a, b, seen, counts);
  wg.add(4);
  go(produce, 0, PER / 2, a, wg);
  go(produce, PER / 2, PER / 2, a, wg);
  go(produce, PER, PER / 2, b, wg);
  go(produce, PER + PER / 2, PER / 2, b, wg);
  await wg.wait();
  a.close();
  b.close();
  let received = 0;
  for (let c = 0; c < 4; c++) received += (await counts.recv()) as number;
  assert.equal(received, 2 * PER);
  assertEachOnce(seen, 2 * PER);
});

test("select with two send cases across threads: every value goes out on exactly one of them", T, async () => {
  const PER = 2000;
  const P = 4;
  const a = chan<number>(0, { shared: true });
  const b = chan<number>(2, { shared: true });
  const seen = new Int32Array(new SharedArrayBuffer(4 * P * PER));
  const counts = chan<number>(2, { shared: true });
  const wg = new WaitGroup({ shared: true });
  wg.add(P);
  for (let p = 0; p < P; p++) go(selectProduce, p * PER, PER, a, b, wg);
  go(consume, a, seen, counts);
  go(consume, b, seen, counts);
  await wg.wait();
  a.close();
  b.close();
  const na = (await counts.recv()) as number;
  const nb = (await counts.recv()) as number;
  assert.equal(na + nb, P * PER);
  assertEachOnce(seen, P * PER);
});

test("select on the main thread over a local channel and a shared one fed from workers", T, async () => {
  const PER = 3000;
  const shared = chan<number>(4, { shared: true });
  const local = chan<number>(4);
  const wg = new WaitGroup({ shared: true });
  wg.add(2);
  go(produce, 0, PER, shared, wg);
  go(produce, PER, PER, shared, wg);
  go(async () => {
    for (let i = 0; i < PER; i++) await local.send(2 * PER + i);
    local.close();
  });
  go(async () => {
    await wg.wait();
    shared.close();
  });
  const seen = new Int32Array(3 * PER);
  let s: typeof shared | null = shared;
  let l: typeof local | null = local;
  while (s !== null || l !== null) {
    const [from, v, ok] = await select([recv(s, (v, ok) => ["s", v, ok] as const), recv(l, (v, ok) => ["l", v, ok] as const)]);
    if (!ok) {
      if (from === "s") s = null;
      else l = null;
      continue;
    }
    seen[v as number] = (seen[v as number] as number) + 1;
  }
  assertEachOnce(seen, 3 * PER);
});

test("select on a worker with nothing ready: the default case, then a timer case", T, async () => {
  const c = chan<number>(0, { shared: true });
  const out = chan<string[]>(1, { shared: true });
  go(selectNothingReady, c, out);
  assert.deepEqual(await out.recv(), ["default", "timer"]);
});

test("close wakes every blocked receiver, on every thread (recvOk, range, select)", T, async () => {
  for (const cap of [0, 3]) {
    const c = chan<number>(cap, { shared: true });
    const out = chan<string>(32, { shared: true });
    const ready = new WaitGroup({ shared: true });
    const hows = ["recvOk", "range", "select"] as const;
    const K = 4;
    ready.add(hows.length * K);
    for (const how of hows) for (let k = 0; k < K; k++) go(recvReport, how, c, ready, out);
    // And receivers on the main thread.
    const local: Promise<string>[] = [
      c.recvOk().then(([v, ok]) => `recvOk ${String(v)} ${ok} thread 0`),
      (async () => {
        let n = 0;
        for await (const _ of c) n++;
        return `range ${n} thread 0`;
      })(),
    ];
    await ready.wait();
    await settle(); // most of them are parked by now (if not, they find it closed: the same result)
    c.close();
    const got: string[] = [];
    for (let i = 0; i < hows.length * K; i++) got.push(((await out.recv()) as string).replace(/ thread \d+$/, ""));
    got.push(...(await Promise.all(local)).map((s) => s.replace(/ thread \d+$/, "")));
    got.sort();
    const want = [
      ...Array<string>(K + 1).fill("range 0"),
      ...Array<string>(K + 1).fill("recvOk undefined false"),
      ...Array<string>(K).fill("select undefined false"),
    ].sort();
    assert.deepEqual(got, want, `cap ${cap}`);
  }
});

test("close wakes every blocked sender on every thread with a RuntimeError; buffered values are still received", T, async () => {
  const c = chan<number>(1, { shared: true });
  await c.send(7); // full: every sender blocks
  const out = chan<string>(16, { shared: true });
  const ready = new WaitGroup({ shared: true });
  const K = 8;
  ready.add(K);
  for (let k = 0; k < K; k++) go(sendReport, c, ready, out);
  const localSend = c.send(8).then(
    () => "sent",
    (err: unknown) => errText(err),
  );
  await ready.wait();
  await settle();
  c.close();
  const said: string[] = [];
  for (let k = 0; k < K; k++) said.push((await out.recv()) as string);
  said.push(await localSend);
  assert.deepEqual(said, Array<string>(K + 1).fill("RuntimeError: send on closed channel (instanceof RuntimeError)"));
  assert.deepEqual(await c.recvOk(), [7, true]);
  assert.deepEqual(await c.recvOk(), [undefined, false]);
});

test("send, trySend and close on a closed shared channel throw RuntimeError, on a worker and on the main thread", T, async () => {
  const c = chan<number>(2, { shared: true });
  c.close();
  const out = chan<string[]>(1, { shared: true });
  go(closedChanOps, c, out);
  assert.deepEqual(await out.recv(), [
    "RuntimeError: send on closed channel (instanceof RuntimeError)",
    "RuntimeError: send on closed channel (instanceof RuntimeError)",
    "RuntimeError: close of closed channel (instanceof RuntimeError)",
  ]);
  assert.throws(() => c.send(1), (err: unknown) => err instanceof RuntimeError && err.message === "send on closed channel");
  assert.throws(() => c.trySend(1), (err: unknown) => err instanceof RuntimeError && err.message === "send on closed channel");
  assert.throws(() => c.close(), (err: unknown) => err instanceof RuntimeError && err.message === "close of closed channel");
});

test("shared channels travel through shared channels: request/reply with reply channels made on workers", T, async () => {
  const reqs = chan<{ readonly x: number; readonly reply: SendChan<number> }>(4, { shared: true });
  for (let s = 0; s < 3; s++) go(squareServer, reqs);
  const sums = chan<number>(8, { shared: true });
  const N = 200;
  for (let k = 0; k < 6; k++) go(squareClient, reqs, k * N, N, sums);
  // The main thread is a client too.
  const reply = chan<number>(0, { shared: true });
  let mine = 0;
  for (let i = 0; i < N; i++) {
    await reqs.send({ x: 6 * N + i, reply });
    mine += (await reply.recv()) as number;
  }
  let total = mine;
  for (let k = 0; k < 6; k++) total += (await sums.recv()) as number;
  reqs.close();
  const n = 7 * N;
  assert.equal(total, ((n - 1) * n * (2 * n - 1)) / 6); // Σ i², i < n
});

test("a channel made on a worker and sent to the main thread carries values back", T, async () => {
  const back = chan<RecvChan<number>>(1, { shared: true });
  go(streamOnNewChan, back, 1000);
  const c = (await back.recv()) as RecvChan<number>;
  let n = 0;
  let sum = 0;
  for await (const v of c) {
    assert.equal(v, n);
    n++;
    sum += v;
  }
  assert.equal(n, 1000);
  assert.equal(sum, 499500);
});

test("a shared channel that comes back to the thread that made it is the same wrapper", T, async () => {
  const c = chan<number>(1, { shared: true });
  const out = chan<unknown[]>(1, { shared: true });
  go(echo, out, c, { nested: [c] });
  const [c2, o] = (await out.recv()) as [Chan<number>, { nested: Chan<number>[] }];
  assert.equal(c2, c);
  assert.equal(o.nested[0], c);
});
