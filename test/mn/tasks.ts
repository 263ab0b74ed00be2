// Portable goroutines (task()) used by the test/mn suites. Worker threads
// import this module by its URL to find them, so it only declares: no test,
// no goroutine, no shared object at the top level (node --test also runs it
// as a test file, which must do nothing).
//
// A portable goroutine that throws would panic and end the test process, so
// these report what went wrong (on a channel, or as a count in shared
// memory) and the test asserts on it.

import { isMainThread, threadId } from "node:worker_threads";
import { after, type Chan, chan, defaultCase, go, type RecvChan, recv, RuntimeError, select, send, type SendChan, task } from "gort";
import { gosched, stack } from "gort/runtime";
import { Mutex, Once, RWMutex, WaitGroup } from "gort/sync";
import * as trace from "gort/trace";
import { fingerprint } from "./fingerprint.ts";

/** What an error says, for a report: "Name: message", noting whether it is a gort RuntimeError of this thread. */
export function errText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return `${err.name}: ${err.message}${err instanceof RuntimeError ? " (instanceof RuntimeError)" : ""}`;
}

// -- Dumps --

/** Blocks on c at once (in its first segment, so its wait reason is known). */
export const blockedRecv = task(import.meta, async function blockedRecv(c: RecvChan<number>) {
  await c.recv();
});

/** Blocks on a channel passed to it twice: its second copy is decoded while this thread already wraps it. */
export const blockedRecvPassedTwice = task(
  import.meta,
  async function blockedRecvPassedTwice(c: RecvChan<number>, again: RecvChan<number>) {
    if (c !== again) throw new Error("two copies of one shared channel are two wrappers on one thread");
    await c.recv();
  },
);

// -- Leaks --

/** Channels kept reachable on this worker (so a goroutine blocked on one is not leaked). */
const keptOnWorker: Chan<number>[] = [];

/** Starts a local goroutine blocked forever on a local channel that nothing else holds. */
function startLeaked(): void {
  const lost = chan<number>();
  go(async function leakedOnWorker() {
    await lost.recv();
  });
}

/** Starts a local goroutine blocked on a local channel this module keeps, and one blocked on a shared channel it keeps (no other thread holds that one). */
function startKept(): void {
  const kept = chan<number>();
  keptOnWorker.push(kept);
  go(async function keptOnWorkerRecv() {
    await kept.recv();
  });
  const keptShared = chan<number>(0, { shared: true });
  keptOnWorker.push(keptShared);
  go(async function keptSharedRecv() {
    await keptShared.recv();
  });
}

/**
 * Starts, on its worker, a goroutine leaked there and one that is not (each
 * in its own function: closures made in one function share its context,
 * which would keep the leaked one's channel reachable), then reports its thread.
 */
export const leakOnWorker = task(import.meta, async function leakOnWorker(started: SendChan<number>) {
  startLeaked();
  startKept();
  await started.send(threadId);
});

/** Waits on `wg` (in its first segment, so its wait reason is known). */
export const waitOnWaitGroup = task(import.meta, async function waitOnWaitGroup(wg: WaitGroup) {
  await wg.wait();
});

/** Locks `m` twice: the second lock waits forever. */
export const lockTwice = task(import.meta, async function lockTwice(m: Mutex) {
  await m.lock();
  await m.lock();
});

/** Selects on receiving from `a` or `b` (in its first segment, so its wait reason is known). */
export const selectTwo = task(import.meta, async function selectTwo(a: RecvChan<number>, b: RecvChan<number>) {
  await select([recv(a, () => 0), recv(b, () => 1)]);
});

/** Receives one value on `c` and sends it on `out`. */
export const recvThenReply = task(import.meta, async function recvThenReply(c: RecvChan<number>, out: SendChan<number>) {
  await out.send((await c.recv()) as number);
});

/** Sends this worker's runtime.stack(true). */
export const dumpFromWorker = task(import.meta, async function dumpFromWorker(out: SendChan<string>) {
  await out.send(stack(true));
});

/** Doubles what comes in on `inp` until it closes, then closes `out`; logs each value in the trace. */
export const traceEcho = task(import.meta, async function traceEcho(inp: RecvChan<number>, out: Chan<number>) {
  for (;;) {
    const [v, ok] = await inp.recvOk();
    if (!ok) break;
    trace.log("echo", String(v));
    await out.send((v as number) * 2);
  }
  out.close();
});

// -- Where goroutines run, and what arrives --

export const whereAmI = task(import.meta, async function whereAmI(out: SendChan<[number, boolean]>) {
  await out.send([threadId, isMainThread]);
});

/** whereAmI, declared from a frozen function (task() cannot mark it: it is known by its registration alone). */
export const whereAmIFrozen = task(
  import.meta,
  Object.freeze(async function whereAmIFrozen(out: SendChan<[number, boolean]>) {
    await out.send([threadId, isMainThread]);
  }),
);

/**
 * On a worker: sets a Node timer of that thread that closes `done`, and
 * ends (no goroutine waits for the timer: only a turn of the worker's event
 * loop runs it).
 */
export const closeOnNodeTimer = task(import.meta, function closeOnNodeTimer(done: Chan<void>) {
  setTimeout(() => done.close(), 1);
});

/** Adds one to counter[0]: a stream of these keeps the workers' schedulers finding work. */
export const addOne = task(import.meta, async function addOne(counter: Int32Array) {
  Atomics.add(counter, 0, 1);
});

/** Sends the fingerprint of its other arguments, as this thread received them. */
export const fingerprintArgs = task(import.meta, async function fingerprintArgs(out: SendChan<string>, ...args: unknown[]) {
  await out.send(fingerprint(args));
});

/** Sends its other arguments back (through the channel's own copying). */
export const echo = task(import.meta, async function echo(out: SendChan<unknown[]>, ...args: unknown[]) {
  await out.send(args);
});

/** Reports, for each copied view it received: [byteOffset, byteLength, its buffer's byteLength]. */
export const viewLayout = task(import.meta, async function viewLayout(out: SendChan<number[][]>, ...views: ArrayBufferView[]) {
  await out.send(views.map((v) => [v.byteOffset, v.byteLength, v.buffer.byteLength]));
});

/** Changes the copies it received; sends their fingerprint afterwards. */
export const mutateCopies = task(
  import.meta,
  async function mutateCopies(out: SendChan<string>, o: { n: number; list: number[]; m: Map<string, number> }, bytes: Uint8Array) {
    o.n = -1;
    o.list.push(99);
    o.m.set("added", 1);
    bytes[0] = 255;
    await out.send(fingerprint([o, bytes]));
  },
);

/**
 * Reads and writes shared memory it received: reports what it read before
 * writing, writes its marks, then waits (Atomics.wait, up to 10 s) for the
 * main thread's answer in view[3] and reports that too.
 */
export const touchShared = task(
  import.meta,
  async function touchShared(
    out: SendChan<string>,
    view: Int32Array,
    sab: SharedArrayBuffer,
    dv: DataView,
    nested: { readonly deep: { readonly f: Float64Array } },
  ) {
    const before = `${Atomics.load(view, 0)},${new Int32Array(sab)[0]},${dv.getInt32(0, true)},${nested.deep.f[1]}`;
    Atomics.store(view, 1, 42); // view is over sab from byte 0
    new Uint8Array(sab)[8] = 7; // byte 8 = view[2]'s low byte
    dv.setFloat64(16, 2.5, true); // dv over sab: bytes 16..23 = nested.deep.f[0] (f is over sab from byte 16)
    await out.send(`before ${before}`);
    const r = Atomics.wait(view, 3, 0, 10_000);
    await out.send(`after ${r} ${Atomics.load(view, 3)}`);
  },
);

/** From a worker thread: what go(task, ...) says about arguments that cannot cross threads. */
export const badArgsFromWorker = task(import.meta, async function badArgsFromWorker(out: SendChan<string[]>) {
  const sink = chan<unknown[]>(1, { shared: true });
  const bad: unknown[] = [
    (x: number) => x, // a closure
    chan<number>(), // a local channel
    new WaitGroup(), // a local WaitGroup
    new Mutex(),
    new WeakMap(), // not cloneable
  ];
  const messages: string[] = [];
  for (const b of bad) {
    try {
      go(echo, sink, 1, b);
      messages.push("no error");
    } catch (err) {
      messages.push(errText(err));
    }
  }
  await out.send(messages);
});

// -- Fork-join --

/** fib(n) by forking two portable goroutines per call, each with a shared channel made on a worker. */
export const fib = task(import.meta, async function fib(n: number, out: SendChan<number>) {
  if (n < 2) {
    await out.send(n);
    return;
  }
  const c = chan<number>(2, { shared: true });
  go(fib, n - 1, c);
  go(fib, n - 2, c);
  await out.send(((await c.recv()) as number) + ((await c.recv()) as number));
});

/**
 * A tree of portable goroutines: each node counts itself in count[0] (and
 * its thread in count[1 + threadId], if there is room), starts `width`
 * children under the WaitGroup it was given, and the root's caller waits on it.
 */
export const tree = task(import.meta, function tree(depth: number, width: number, count: Int32Array, wg: WaitGroup) {
  Atomics.add(count, 0, 1);
  if (1 + threadId < count.length) Atomics.add(count, 1 + threadId, 1);
  if (depth > 0) {
    wg.add(width);
    for (let i = 0; i < width; i++) go(tree, depth - 1, width, count, wg);
  }
  wg.done();
});

/** Sends the fingerprint of all its arguments but the last on the last, a shared channel. */
export const replyOnLast = task(import.meta, async function replyOnLast(...args: unknown[]) {
  const out = args[args.length - 1] as SendChan<string>;
  await out.send(fingerprint(args.slice(0, -1)));
});

// -- Stress --

/** Increments slot i of a shared Int32Array (200k of these in spawn200k.test.ts). */
export const incSlot = task(import.meta, function incSlot(i: number, slots: Int32Array, wg: WaitGroup) {
  Atomics.add(slots, i, 1);
  wg.done();
});

/** Starts incSlot for slots lo..hi-1, from a worker thread; then marks wg done once for itself. */
export const spawnRange = task(import.meta, function spawnRange(lo: number, hi: number, slots: Int32Array, wg: WaitGroup) {
  for (let i = lo; i < hi; i++) go(incSlot, i, slots, wg);
  wg.done();
});

/** Sends base, base+1, …, base+n-1 on q. */
export const produce = task(import.meta, async function produce(base: number, n: number, q: SendChan<number>, wg: WaitGroup) {
  for (let i = 0; i < n; i++) await q.send(base + i);
  wg.done();
});

/** Sends 0…n-1 on q, then closes it. */
export const sendSeq = task(import.meta, async function sendSeq(n: number, q: Chan<number>) {
  for (let i = 0; i < n; i++) await q.send(i);
  q.close();
});

/** Receives until q is closed; reports on `report` how many values came in order 0, 1, 2… before the first that did not, and how many in all. */
export const recvSeq = task(import.meta, async function recvSeq(q: RecvChan<number>, report: SendChan<[number, number]>) {
  let inOrder = -1;
  let n = 0;
  for await (const v of q) {
    if (inOrder === -1 && v !== n) inOrder = n;
    n++;
  }
  await report.send([inOrder === -1 ? n : inOrder, n]);
});

/** Receives until q is closed, counting each value in seen[v]; reports how many it took. */
export const consume = task(import.meta, async function consume(q: RecvChan<number>, seen: Int32Array, counts: SendChan<number>) {
  let n = 0;
  for await (const v of q) {
    Atomics.add(seen, v, 1);
    n++;
  }
  await counts.send(n);
});

/** Receives from a and b with select until both are closed (a closed one becomes a nil case). */
export const selectConsume = task(
  import.meta,
  async function selectConsume(a: RecvChan<number>, b: RecvChan<number>, seen: Int32Array, counts: SendChan<number>) {
    let ca: RecvChan<number> | null = a;
    let cb: RecvChan<number> | null = b;
    let n = 0;
    while (ca !== null || cb !== null) {
      const [which, v, ok] = await select([
        recv(ca, (v, ok) => ["a", v, ok] as const),
        recv(cb, (v, ok) => ["b", v, ok] as const),
      ]);
      if (!ok) {
        if (which === "a") ca = null;
        else cb = null;
        continue;
      }
      Atomics.add(seen, v as number, 1);
      n++;
    }
    await counts.send(n);
  },
);

/** Sends base..base+n-1, each on whichever of a and b takes it first (select with two send cases). */
export const selectProduce = task(
  import.meta,
  async function selectProduce(base: number, n: number, a: SendChan<number>, b: SendChan<number>, wg: WaitGroup) {
    for (let i = 0; i < n; i++) await select([send(a, base + i), send(b, base + i)]);
    wg.done();
  },
);

/** On a worker: a select on an empty shared channel with a default case, then with a timer case. */
export const selectNothingReady = task(import.meta, async function selectNothingReady(c: RecvChan<number>, out: SendChan<string[]>) {
  const r1 = await select([recv(c, () => "received"), defaultCase(() => "default")]);
  const r2 = await select([recv(c, () => "received"), recv(after(1), () => "timer")]);
  await out.send([r1, r2]);
});

/** Blocks in a receive (after saying it is about to), then reports what the receive returned. */
export const recvReport = task(
  import.meta,
  async function recvReport(how: "recvOk" | "range" | "select", c: RecvChan<number>, ready: WaitGroup, out: SendChan<string>) {
    ready.done();
    if (how === "recvOk") {
      const [v, ok] = await c.recvOk();
      await out.send(`recvOk ${String(v)} ${ok} thread ${threadId}`);
    } else if (how === "range") {
      let n = 0;
      for await (const _ of c) n++;
      await out.send(`range ${n} thread ${threadId}`);
    } else {
      const r = await select([recv(c, (v, ok) => `select ${String(v)} ${ok}`)]);
      await out.send(`${r} thread ${threadId}`);
    }
  },
);

/** Blocks in a send (after saying it is about to), then reports how the send ended. */
export const sendReport = task(import.meta, async function sendReport(c: SendChan<number>, ready: WaitGroup, out: SendChan<string>) {
  ready.done();
  try {
    await c.send(1);
    await out.send("sent");
  } catch (err) {
    await out.send(errText(err));
  }
});

/** On a closed channel: what send, trySend and close say. */
export const closedChanOps = task(import.meta, async function closedChanOps(c: Chan<number>, out: SendChan<string[]>) {
  const said: string[] = [];
  for (const op of [() => c.send(1), () => c.trySend(1), () => c.close()]) {
    try {
      await op();
      said.push("no error");
    } catch (err) {
      said.push(errText(err));
    }
  }
  await out.send(said);
});

/** Squares requests; each carries the shared channel to reply on. */
export const squareServer = task(
  import.meta,
  async function squareServer(reqs: RecvChan<{ readonly x: number; readonly reply: SendChan<number> }>) {
    for await (const { x, reply } of reqs) await reply.send(x * x);
  },
);

/** A client of squareServer with a reply channel made on its own thread; sends the sum of squares of base..base+n-1. */
export const squareClient = task(
  import.meta,
  async function squareClient(
    reqs: SendChan<{ readonly x: number; readonly reply: SendChan<number> }>,
    base: number,
    n: number,
    out: SendChan<number>,
  ) {
    const reply = chan<number>(0, { shared: true });
    let sum = 0;
    for (let i = 0; i < n; i++) {
      await reqs.send({ x: base + i, reply });
      sum += (await reply.recv()) as number;
    }
    await out.send(sum);
  },
);

/** Makes a shared channel on a worker thread, hands it over on `back`, then streams 0..n-1 on it and closes it. */
export const streamOnNewChan = task(import.meta, async function streamOnNewChan(back: SendChan<RecvChan<number>>, n: number) {
  const c = chan<number>(4, { shared: true });
  await back.send(c);
  for (let i = 0; i < n; i++) await c.send(i);
  c.close();
});

// -- Go's tests --

/** Go's runtime/chan_test.go TestMultiConsumer: the values that make a worker yield. */
export const PN = [2, 3, 7, 11, 13, 17, 19, 23, 27, 31];

/** TestMultiConsumer's worker. */
export const multiWorker = task(
  import.meta,
  async function multiWorker(w: number, q: RecvChan<number>, r: SendChan<number>, wg: WaitGroup) {
    for await (const v of q) {
      // mess with the fifo-ish nature of range
      if (PN[w % PN.length] === v) await gosched();
      await r.send(v);
    }
    wg.done();
  },
);

/** TestMultiConsumer's feeder and closer. */
export const multiFeeder = task(
  import.meta,
  async function multiFeeder(niter: number, q: Chan<number>, r: Chan<number>, wg: WaitGroup) {
    for (let i = 0; i < niter; i++) await q.send(PN[i % PN.length] as number);
    q.close(); // no more work
    await wg.wait(); // workers done
    r.close(); // ... so I can finish
  },
);

/**
 * The critical section of the hammer tests: state[0] counts holders (must
 * be 1 inside), state[1] counts violations, state[2] is incremented with a
 * plain (non-atomic) read-modify-write that loses updates without mutual
 * exclusion; `hold` keeps the lock across a yield to the scheduler.
 */
async function critical(state: Int32Array, hold: boolean): Promise<void> {
  if (Atomics.add(state, 0, 1) !== 0) Atomics.add(state, 1, 1);
  const v = state[2] as number;
  if (hold) await gosched();
  state[2] = v + 1;
  Atomics.sub(state, 0, 1);
}

/** Go's sync/mutex_test.go HammerMutex, with the critical section checked. */
export const hammerMutex = task(
  import.meta,
  async function hammerMutex(m: Mutex, loops: number, state: Int32Array, cdone: SendChan<boolean>) {
    for (let i = 0; i < loops; i++) {
      if (i % 3 === 0) {
        if (m.tryLock()) {
          await critical(state, false);
          m.unlock();
        }
        continue;
      }
      await m.lock();
      await critical(state, i % 7 === 0);
      m.unlock();
    }
    await cdone.send(true);
  },
);

/**
 * Go's sync/rwmutex_test.go reader: activity counts active readers plus
 * 10000 per active writer; a violation is counted in activity[1] instead of
 * panicking.
 */
export const rwReader = task(
  import.meta,
  async function rwReader(rwm: RWMutex, iterations: number, activity: Int32Array, cdone: SendChan<boolean>) {
    for (let i = 0; i < iterations; i++) {
      await rwm.rLock();
      const n = Atomics.add(activity, 0, 1) + 1;
      if (n < 1 || n >= 10000) Atomics.add(activity, 1, 1);
      for (let j = 0; j < 100; j++);
      if (i % 10 === 0) await gosched(); // hold the read lock across a yield now and then
      Atomics.sub(activity, 0, 1);
      rwm.rUnlock();
    }
    await cdone.send(true);
  },
);

/** Go's sync/rwmutex_test.go writer. */
export const rwWriter = task(
  import.meta,
  async function rwWriter(rwm: RWMutex, iterations: number, activity: Int32Array, cdone: SendChan<boolean>) {
    for (let i = 0; i < iterations; i++) {
      await rwm.lock();
      const n = Atomics.add(activity, 0, 10000) + 10000;
      if (n !== 10000) Atomics.add(activity, 1, 1);
      for (let j = 0; j < 100; j++);
      if (i % 10 === 0) await gosched();
      Atomics.sub(activity, 0, 10000);
      rwm.unlock();
    }
    await cdone.send(true);
  },
);

/** Go's sync/rwmutex_test.go parallelReader. */
export const parallelReader = task(
  import.meta,
  async function parallelReader(m: RWMutex, clocked: SendChan<boolean>, cunlock: RecvChan<boolean>, cdone: SendChan<boolean>) {
    await m.rLock();
    await clocked.send(true);
    await cunlock.recv();
    m.rUnlock();
    await cdone.send(true);
  },
);

/** Go's sync/waitgroup_test.go testWaitGroup goroutine. */
export const wgBarrier = task(import.meta, async function wgBarrier(wg1: WaitGroup, wg2: WaitGroup, exited: SendChan<boolean>) {
  wg1.done();
  await wg2.wait();
  await exited.send(true);
});

/** Go's TestWaitGroupRace goroutine. */
export const wgRaceInc = task(import.meta, function wgRaceInc(n: Int32Array, wg: WaitGroup) {
  Atomics.add(n, 0, 1);
  wg.done();
});

/** Waits on a WaitGroup from a worker thread; reports the counter it saw afterwards. */
export const wgWaiter = task(import.meta, async function wgWaiter(wg: WaitGroup, n: Int32Array, out: SendChan<number>) {
  await wg.wait();
  await out.send(Atomics.load(n, 0));
});

/** Go's TestWaitGroupMisuse, on a worker thread, on a shared WaitGroup it was given. */
export const wgMisuse = task(import.meta, async function wgMisuse(wg: WaitGroup, out: SendChan<string>) {
  try {
    wg.add(1);
    wg.done();
    wg.done();
    await out.send("no error");
  } catch (err) {
    await out.send(errText(err));
  }
});

/**
 * Go's sync/once_test.go run: once.do(f) where f increments o[0] (yielding
 * before and after, so that other callers find it running); then reports o[0].
 */
export const onceRun = task(import.meta, async function onceRun(once: Once, o: Int32Array, c: SendChan<number>) {
  await once.do(async () => {
    await gosched();
    Atomics.add(o, 0, 1);
    await gosched();
  });
  await c.send(Atomics.load(o, 0));
});

/** once.do(f) with an f that throws (Go's TestOncePanic): reports what do() did. */
export const oncePanics = task(import.meta, async function oncePanics(once: Once, o: Int32Array, out: SendChan<string>) {
  try {
    await once.do(() => {
      Atomics.add(o, 0, 1);
      throw new Error("failed");
    });
    await out.send("no error");
  } catch (err) {
    await out.send(errText(err));
  }
});
