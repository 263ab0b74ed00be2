// A worker pool with fan-in, in parallel on worker threads: the flagship
// `npm start` program.
//
// Go's classic shape (seed article 002, "worker pool" and "fan-out/fan-in"):
// a producer fans jobs out to a pool of W workers, their results fan in to
// one channel, a ticker reports progress, and a select with a deadline
// guards the whole run. The work is real and CPU-bound: each job counts the
// primes in a range of 10,000 integers (trial division) and finds the
// largest prime gap in it.
//
// Each job is a portable goroutine (task()) holding one of W worker tokens
// (Go's buffered-channel idiom for "at most W at once"): the jobs run on the
// GOMAXPROCS worker threads in parallel, and their results come back on a
// shared channel, so the main thread only starts jobs and collects results.
// The program runs the same pool twice, with GOMAXPROCS=1 and then with
// GOMAXPROCS threads, and prints both times: the speedup is what the M:N
// scheduler buys.
//
// Why a goroutine per job, not W goroutines ranging over a jobs channel: in
// gort a goroutine stays on the thread where it started. W workers that
// block on an empty jobs channel as soon as they start would all start, and
// stay, on the first thread that wakes up. A job that computes as soon as it
// starts keeps its thread busy, so the other threads take the next ones.
//
// Usage: gort run examples/workerpool/main.ts [workers=8] [jobs=200] [--trace FILE]
//        (npm start -- [workers] [jobs] [--trace FILE])

import { threadId } from "node:worker_threads";
import {
  after,
  chan,
  go,
  Millisecond,
  newTicker,
  recv,
  Second,
  select,
  type SendChan,
  sleep,
  task,
} from "gort";
import { gomaxprocs, numCPU, numGoroutine } from "gort/runtime";
import { Int32 } from "gort/sync/atomic";
import * as trace from "gort/trace";

interface Job {
  readonly id: number;
  readonly lo: number;
  readonly hi: number;
}
interface Result {
  readonly job: Job;
  readonly primes: number;
  readonly maxGap: number;
  readonly worker: number;
  /** The thread that did the job (node:worker_threads threadId). */
  readonly thread: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

function work(job: Job, worker: number): Result {
  let primes = 0;
  let last = -1;
  let maxGap = 0;
  for (let n = job.lo; n < job.hi; n++) {
    if (!isPrime(n)) continue;
    primes++;
    if (last >= 0 && n - last > maxGap) maxGap = n - last;
    last = n;
  }
  return { job, primes, maxGap, worker, thread: threadId };
}

/**
 * One job, as a portable goroutine: it runs on whichever of the GOMAXPROCS
 * worker threads takes it first, computes, sends its result, and gives its
 * worker token back. `busy` counts the jobs being computed right now (an
 * atomic that every thread updates).
 *
 * The computation is the goroutine's first run, before any await: a
 * goroutine that has started stays on its thread, so work that starts at
 * once is what the scheduler spreads over the threads (an idle thread steals
 * goroutines that have not started yet).
 */
export const countPrimes = task(
  import.meta,
  async (job: Job, worker: number, results: SendChan<Result>, tokens: SendChan<number>, busy: Int32): Promise<void> => {
    busy.add(1);
    const r = work(job, worker);
    busy.sub(1);
    await results.send(r);
    await tokens.send(worker); // after the result: once every token is back, every result is in
  },
);

const SPAN = 10_000;
const FROM = 1_000_000;

interface Run {
  readonly ms: number;
  readonly total: number;
  readonly best: Result | null;
  readonly perWorker: number[];
  readonly threads: Map<number, number>;
  readonly peakBusy: number;
  readonly peakGoroutines: number;
  readonly goroutines: number;
}

/** Runs the pool once: `workers` tokens, so at most that many jobs at once; `jobCount` jobs. */
async function runPool(workers: number, jobCount: number, progress: boolean): Promise<Run> {
  const started = performance.now();
  const results = chan<Result>(100, { shared: true });
  // The pool: W worker tokens in a buffered channel (Go's idiom for "at most
  // W at once"). Each job is a goroutine that holds a token while it runs.
  const tokens = chan<number>(workers, { shared: true });
  for (let w = 1; w <= workers; w++) tokens.trySend(w);
  const busy = new Int32();

  // The producer (a goroutine of the main thread): takes a free worker token,
  // starts the job's goroutine with it (fan-out); when every token is back,
  // every result has been sent, and it closes results.
  go(async () => {
    for (let i = 0; i < jobCount; i++) {
      const w = (await tokens.recv()) as number;
      go(countPrimes, { id: i, lo: FROM + i * SPAN, hi: FROM + (i + 1) * SPAN }, w, results, tokens, busy);
    }
    for (let w = 0; w < workers; w++) await tokens.recv();
    results.close();
  });

  // Fan in, with a progress ticker and an overall deadline.
  const ticker = newTicker(250 * Millisecond);
  const deadline = after(60 * Second);
  const perWorker = new Array<number>(workers).fill(0);
  const threads = new Map<number, number>();
  let total = 0;
  let done = 0;
  let best: Result | null = null;
  let peakBusy = 0;
  let peakGoroutines = numGoroutine();
  try {
    loop: for (;;) {
      const step = await select([
        recv(results, (r, ok) => (ok ? (r as Result) : "closed")),
        recv(ticker.c, () => "tick" as const),
        recv(deadline, () => "deadline" as const),
      ]);
      switch (step) {
        case "closed":
          break loop;
        case "tick":
          peakBusy = Math.max(peakBusy, busy.load());
          if (progress) console.log(`  progress: ${done}/${jobCount} jobs, ${busy.load()} computing right now`);
          continue;
        case "deadline":
          console.log("deadline exceeded");
          process.exit(1);
          break;
        default:
          done++;
          total += step.primes;
          perWorker[step.worker - 1] = (perWorker[step.worker - 1] ?? 0) + 1;
          threads.set(step.thread, (threads.get(step.thread) ?? 0) + 1);
          if (best === null || step.maxGap > best.maxGap) best = step;
          peakBusy = Math.max(peakBusy, busy.load());
          peakGoroutines = Math.max(peakGoroutines, numGoroutine());
      }
    }
  } finally {
    ticker.stop();
  }
  return { ms: performance.now() - started, total, best, perWorker, threads, peakBusy, peakGoroutines, goroutines: jobCount };
}

function parseArgs(argv: readonly string[]): { workers: number; jobs: number; trace: string | null } {
  const positional: string[] = [];
  let tracePath: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--trace") tracePath = argv[++i] ?? null;
    else if (a.startsWith("--trace=")) tracePath = a.slice("--trace=".length);
    else positional.push(a);
  }
  const workers = Number(positional[0] ?? 8);
  const jobs = Number(positional[1] ?? 200);
  if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(jobs) || jobs < 1) {
    console.error("usage: workerpool [workers=8] [jobs=200] [--trace FILE]");
    process.exit(2);
  }
  return { workers, jobs, trace: tracePath };
}

const fmt = (n: number): string => n.toLocaleString("en-US");

/**
 * numGoroutine() once the last jobs' goroutines have returned: they sent
 * their tokens a moment ago, and a worker thread reports its goroutines to
 * numGoroutine() when it pauses. Waits at most a second.
 */
async function settledGoroutines(): Promise<number> {
  for (let waited = 0; numGoroutine() > 1 && waited < 1000; waited += 5) await sleep(5);
  return numGoroutine();
}

export default async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.trace !== null) trace.start(args.trace);
  const procs = gomaxprocs();
  const lo = FROM;
  const hi = lo + args.jobs * SPAN;
  console.log(
    `counting primes in [${fmt(lo)}, ${fmt(hi)}): ${args.jobs} jobs of ${fmt(SPAN)} integers, a pool of ${args.workers} workers, ` +
      `GOMAXPROCS ${procs} (${numCPU()} CPUs)`,
  );

  // Each timed run follows an untimed warm-up with the same GOMAXPROCS: it
  // starts the worker threads, has them load this module (a thread imports a
  // task's module when it takes its first goroutine of it; through tsx that
  // takes about half a second), and lets the JIT compile the prime test.
  const warmUp = (): Promise<Run> => runPool(4 * gomaxprocs(), 8 * gomaxprocs(), false);
  gomaxprocs(1);
  await warmUp();
  const one = await runPool(args.workers, args.jobs, false);
  console.log(`  1 thread:   ${one.ms.toFixed(0)} ms`);
  gomaxprocs(procs);
  await warmUp();
  const par = await runPool(args.workers, args.jobs, true);
  const threadWord = procs === 1 ? "thread: " : "threads:";
  console.log(`  ${procs} ${threadWord}  ${par.ms.toFixed(0)} ms  (speedup ×${(one.ms / par.ms).toFixed(2)})`);
  if (one.total !== par.total) throw new Error(`the runs disagree: ${one.total} and ${par.total} primes`);

  console.log(`primes in [${fmt(lo)}, ${fmt(hi)}): ${par.total}`);
  const best = par.best;
  if (best !== null) console.log(`largest prime gap: ${best.maxGap} (in job ${best.job.id}, found by worker ${best.worker})`);
  console.log(`jobs per worker: ${par.perWorker.map((n, i) => `w${i + 1}=${n}`).join(" ")}`);
  console.log("runtime:");
  console.log(
    `  goroutines: ${par.goroutines} portable (one per job, at most ${args.workers} at once) + the producer on the main thread per run; ` +
      `peak ${par.peakGoroutines} alive, ${await settledGoroutines()} left at the end`,
  );
  const perThread = [...par.threads].sort((a, b) => a[0] - b[0]);
  console.log(
    `  threads: ${perThread.length} worker thread(s) did the jobs (${perThread.map(([t, n]) => `thread ${t}: ${n}`).join(", ")}), ` +
      `up to ${par.peakBusy} computing at once; the main thread started jobs and collected results`,
  );
  console.log(`  channel sends: ${args.jobs} results and ${args.jobs} tokens per run, on shared channels`);
  console.log(`  heap of the main thread: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
  if (args.trace !== null) {
    await trace.stop();
    console.log(`  trace: ${args.trace} (open it in ui.perfetto.dev)`);
  } else if (trace.isEnabled()) {
    console.log("  trace: being written (gort run --trace)");
  }
}
