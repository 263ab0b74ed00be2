// Spawn + join: start n goroutines that each signal completion, then wait for
// all of them. Figure: ns per goroutine (spawn, run, signal, join), the median
// of TIMED_ROUNDS runs after the warm-up (see timedRounds).
//
// gort has no WaitGroup in its public API yet: each goroutine decrements a
// counter and the last one closes a `done` channel that main receives from.
// If a "gort/sync" entry point with a WaitGroup (add/done/wait) exists, it is
// used instead, and the figure says so (extra.variant).
// Go counterpart: bench/go/spawnjoin/main.go (sync.WaitGroup).

import { chan, go } from "gort";
import { gc, intArg, main, report } from "./common.ts";

/**
 * Timed runs per figure. One run of 100,000 takes ~30 ms, and the first
 * after the forced gc() mostly measures V8 at work: the collection frees
 * the warm-up's WaitGroup and closures, and with them the hidden classes
 * the optimised scheduler code was specialised for, so that code is thrown
 * away at the first goroutine ("weak objects", "insufficient type
 * feedback") and recompiled while the run goes on (2–3× the steady figure).
 * The median of several runs is the cost of spawn+join itself; the first
 * is reported too (extra).
 */
const TIMED_ROUNDS = 5;

/** Runs `run(n)` TIMED_ROUNDS times; returns the median and the first, in ms. */
async function timedRounds(run: () => Promise<number>): Promise<{ median: number; first: number }> {
  const ms: number[] = [];
  for (let r = 0; r < TIMED_ROUNDS; r++) ms.push(await run());
  const first = ms[0] as number;
  ms.sort((a, b) => a - b);
  return { median: ms[TIMED_ROUNDS >> 1] as number, first };
}

interface WaitGroupLike {
  add(delta: number): void;
  done(): void;
  wait(): Promise<void>;
}
type WaitGroupCtor = new () => WaitGroupLike;

/** The WaitGroup class of "gort/sync", if that entry point exists and looks like Go's. */
async function findWaitGroup(): Promise<WaitGroupCtor | null> {
  const spec = "gort/sync"; // a variable, so tsc does not require the module to exist
  try {
    const mod = (await import(spec)) as Record<string, unknown>;
    const ctor = mod["WaitGroup"];
    if (typeof ctor !== "function") return null;
    const probe = new (ctor as WaitGroupCtor)() as Partial<Record<keyof WaitGroupLike, unknown>>;
    if (typeof probe.add !== "function" || typeof probe.done !== "function" || typeof probe.wait !== "function") {
      return null;
    }
    return ctor as WaitGroupCtor;
  } catch {
    return null;
  }
}

/** Counter + close variant; `asyncBody` picks an async or a plain function as the goroutine. */
async function runCounter(n: number, asyncBody: boolean): Promise<number> {
  const done = chan<void>();
  let left = n;
  const body = asyncBody
    ? async (): Promise<void> => {
        if (--left === 0) done.close();
      }
    : (): void => {
        if (--left === 0) done.close();
      };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) go(body);
  await done.recv();
  return performance.now() - t0;
}

async function runWaitGroup(WaitGroup: WaitGroupCtor, n: number): Promise<number> {
  const wg = new WaitGroup();
  const t0 = performance.now();
  wg.add(n);
  for (let i = 0; i < n; i++) {
    go(async () => {
      wg.done();
    });
  }
  await wg.wait();
  return performance.now() - t0;
}

main(async () => {
  const n = intArg(0, 100_000);
  const warm = intArg(1, 100_000);
  if (n === 0) throw new RangeError("spawnjoin: n must be at least 1");
  const WaitGroup = await findWaitGroup();
  const run = (k: number): Promise<number> => (WaitGroup === null ? runCounter(k, true) : runWaitGroup(WaitGroup, k));
  if (warm > 0) await run(warm);
  gc();
  const { median: ms, first } = await timedRounds(() => run(n));
  // Side figure: the same with a plain (non-async) function as the goroutine body.
  await runCounter(warm, false);
  gc();
  const { median: syncMs } = await timedRounds(() => runCounter(n, false));
  report({
    value: (ms * 1e6) / n,
    unit: "ns/goroutine",
    n,
    extra: {
      variant: WaitGroup === null ? "async fn, counter + close(done)" : "async fn, gort/sync WaitGroup",
      "total ms": ms,
      "ns/goroutine in the first run after gc()": (first * 1e6) / n,
      "ns/goroutine with a non-async body": (syncMs * 1e6) / n,
    },
  });
});
