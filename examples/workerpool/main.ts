// A worker pool with fan-in: the flagship `npm start` program.
//
// Go's classic shape (seed article 002, "worker pool" and "fan-out/fan-in"):
// a producer feeds jobs into a buffered channel, W workers range over it,
// their results fan in to one channel, a ticker reports progress, and a
// select with a deadline guards the whole run. The work is real: each job
// counts the primes in a range of 10,000 integers and finds the largest
// prime gap in it.
//
// Usage: node build/examples/workerpool/main.js [workers=8] [jobs=200]

import { after, chan, go, Millisecond, newTicker, recv, Second, select } from "gort";
import { numGoroutine } from "gort/runtime";

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
  return { job, primes, maxGap, worker };
}

const workers = Number(process.argv[2] ?? 8);
const jobCount = Number(process.argv[3] ?? 200);
const span = 10_000;

const started = performance.now();
const jobs = chan<Job>(100);
const results = chan<Result>(100);
let running = workers;

// Fan out: W workers range over the jobs channel.
for (let w = 1; w <= workers; w++) {
  go(async (id: number) => {
    for await (const job of jobs) await results.send(work(job, id));
    // The last worker out closes the results channel (what a WaitGroup does in Go).
    if (--running === 0) results.close();
  }, w);
}

// The producer.
go(async () => {
  for (let i = 0; i < jobCount; i++) await jobs.send({ id: i, lo: 1_000_000 + i * span, hi: 1_000_000 + (i + 1) * span });
  jobs.close();
});

// Fan in, with a progress ticker and an overall deadline.
const ticker = newTicker(50 * Millisecond);
const deadline = after(60 * Second);
const perWorker = new Map<number, number>();
let total = 0;
let done = 0;
let best: Result | null = null;
let peakGoroutines = numGoroutine();
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
      console.log(`  progress: ${done}/${jobCount} jobs, ${numGoroutine()} goroutines`);
      continue;
    case "deadline":
      console.log("deadline exceeded");
      process.exit(1);
      break;
    default:
      done++;
      total += step.primes;
      perWorker.set(step.worker, (perWorker.get(step.worker) ?? 0) + 1);
      if (best === null || step.maxGap > best.maxGap) best = step;
      peakGoroutines = Math.max(peakGoroutines, numGoroutine());
  }
}
ticker.stop();
const elapsed = performance.now() - started;

const lo = 1_000_000;
const hi = lo + jobCount * span;
console.log(`primes in [${lo.toLocaleString("en-US")}, ${hi.toLocaleString("en-US")}): ${total}`);
if (best !== null) console.log(`largest prime gap: ${best.maxGap} (in job ${best.job.id}, found by worker ${best.worker})`);
console.log(`jobs per worker: ${[...perWorker].sort((a, b) => a[0] - b[0]).map(([w, n]) => `w${w}=${n}`).join(" ")}`);
console.log("runtime:");
console.log(`  goroutines: ${workers + 1} started, peak ${peakGoroutines} alive, ${numGoroutine()} left at the end`);
console.log(`  channel sends: ${jobCount} jobs + ${jobCount} results, through buffers of 100`);
console.log(`  elapsed: ${elapsed.toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
