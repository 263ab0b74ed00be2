// Micro-benchmark of the shared-memory run queues (not part of `npm run bench`):
//
//   npx tsc -b && node build/bench/micro/runq.js
//
// Prints ns per operation, the median of ROUNDS rounds after a warm-up:
//   - put+get:        owner put(id) then get(), FIFO (ns per operation, 2 per pair)
//   - put(next)+get:  through runnext (the readied-goroutine path)
//   - fill+drain:     256 puts then 256 gets
//   - overflow:       puts into a full queue, half moved to the global queue each time
//   - steal:          the owner fills its queue (256 puts), a thief steals it in halves
//                     (128, 64, …, 1) and runs each batch with get(); ns per id, all three included
//   - global batch:   GlobRunq putBatch/getBatch of 128 ids (lock, copy, unlock; ns per id)
//   - 2 threads:      the main thread puts and gets while a worker thread steals
//                     continuously (ns per id, and the share the thief took)

import { Worker } from "node:worker_threads";
import { GlobRunq, initGlobRunq } from "#internal/shm/globrunq";
import { globrunqWords, LOCAL_RUNQ_SIZE, runqWords } from "#internal/shm/layout";
import { initRunq, LocalRunq, type RunqOverflow, StealRunq } from "#internal/shm/runq";

const ROUNDS = 7;
const QW = runqWords(LOCAL_RUNQ_SIZE);

class CountOverflow implements RunqOverflow {
  n = 0;
  putBatch(_ids: Int32Array, n: number): void {
    this.n += n;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** Runs body(iterations) ROUNDS times after a warm-up; returns median ns per op, body returning the op count. */
function measure(body: () => number): number {
  body();
  body();
  const r: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = process.hrtime.bigint();
    const ops = body();
    r.push(Number(process.hrtime.bigint() - t0) / ops);
  }
  return median(r);
}

function queue(count: number): { mem: Int32Array; locals: LocalRunq[]; steals: StealRunq[]; overflow: CountOverflow } {
  const mem = new Int32Array(new SharedArrayBuffer(count * QW * 4));
  const overflow = new CountOverflow();
  const locals: LocalRunq[] = [];
  const steals: StealRunq[] = [];
  for (let i = 0; i < count; i++) {
    initRunq(mem, i * QW);
    locals.push(new LocalRunq(mem, i * QW, overflow));
    steals.push(new StealRunq(mem, i * QW));
  }
  return { mem, locals, steals, overflow };
}

let sink = 0;
const N = 2_000_000;
const rows: [string, string][] = [];
function row(name: string, ns: number, extra = ""): void {
  rows.push([name, `${ns.toFixed(1)} ns/op${extra}`]);
  console.log(`${name.padEnd(16)} ${ns.toFixed(1).padStart(7)} ns/op${extra}`);
}

{
  const q = queue(1).locals[0] as LocalRunq;
  row(
    "put+get",
    measure(() => {
      for (let i = 1; i <= N; i++) {
        q.put(i, false);
        sink += q.get();
      }
      return 2 * N;
    }),
  );
  row(
    "put(next)+get",
    measure(() => {
      for (let i = 1; i <= N; i++) {
        q.put(i, true);
        sink += q.get();
      }
      return 2 * N;
    }),
  );
  row(
    "fill+drain",
    measure(() => {
      for (let r = 0; r < N / LOCAL_RUNQ_SIZE; r++) {
        for (let i = 1; i <= LOCAL_RUNQ_SIZE; i++) q.put(i, false);
        for (let i = 1; i <= LOCAL_RUNQ_SIZE; i++) sink += q.get();
      }
      return 2 * N;
    }),
  );
}

{
  const { locals, overflow } = queue(1);
  const q = locals[0] as LocalRunq;
  for (let i = 1; i <= LOCAL_RUNQ_SIZE; i++) q.put(i, false);
  row(
    "overflow put",
    measure(() => {
      for (let i = 1; i <= N; i++) q.put(i, false);
      return N;
    }),
    ` (${overflow.n} ids moved)`,
  );
}

{
  const { locals, steals } = queue(2);
  const owner = locals[0] as LocalRunq;
  const thief = locals[1] as LocalRunq;
  const victim = steals[0] as StealRunq;
  let moved = 0;
  row(
    "steal",
    measure(() => {
      moved = 0;
      for (let r = 0; r < N / LOCAL_RUNQ_SIZE; r++) {
        for (let i = 1; i <= LOCAL_RUNQ_SIZE; i++) owner.put(i, false);
        // 128, 64, ..., 1 ids per steal; the thief's ring is emptied each time.
        for (let id = thief.steal(victim, false); id !== 0; id = thief.steal(victim, false)) {
          moved += 1 + thief.size();
          while (thief.get() !== 0) sink++;
        }
      }
      return moved;
    }),
    " per id (owner put + thief steal + thief get)",
  );
}

{
  const mem = new Int32Array(new SharedArrayBuffer(globrunqWords(1024) * 4));
  initGlobRunq(mem, 0, 1024);
  const g = new GlobRunq(mem, 0);
  const batch = Int32Array.from({ length: 128 }, (_, i) => i + 1);
  const out = new Int32Array(128);
  row(
    "global batch",
    measure(() => {
      for (let r = 0; r < N / 128; r++) {
        g.putBatch(batch, 128);
        sink += g.getBatch(out, 128);
      }
      return 2 * N;
    }),
    " per id (putBatch+getBatch of 128)",
  );
}

// -- Two threads: the owner on the main thread, a thief on a worker --
{
  const M = 4_000_000;
  const globCap = 1 << 23;
  const globBase = 2 * QW;
  const ctl = globBase + globrunqWords(globCap);
  const sab = new SharedArrayBuffer((ctl + 16) * 4);
  const mem = new Int32Array(sab);
  initRunq(mem, 0);
  initRunq(mem, QW);
  initGlobRunq(mem, globBase, globCap);
  const glob = new GlobRunq(mem, globBase);
  const owner = new LocalRunq(mem, 0, glob);
  const worker = new Worker(new URL("./runq_thief.js", import.meta.url), { workerData: { sab, qw: QW, ctl } });
  await new Promise<void>((resolve) => worker.once("message", () => resolve()));
  // The thief spins on CTL_GO before stealing.
  Atomics.store(mem, ctl, 1);
  const t0 = process.hrtime.bigint();
  let mine = 0;
  for (let i = 1; i <= M; i++) {
    owner.put(i, false);
    if ((i & 1) === 0 && owner.get() !== 0) mine++;
  }
  for (let id = owner.get(); id !== 0; id = owner.get()) mine++;
  const fromGlobal = new Int32Array(1024);
  for (let k = glob.getBatch(fromGlobal, 1024); k > 0; k = glob.getBatch(fromGlobal, 1024)) mine += k;
  Atomics.store(mem, ctl + 1, 1); // done
  const stolen = await new Promise<number>((resolve) => worker.once("message", resolve));
  const ns = Number(process.hrtime.bigint() - t0) / M;
  await worker.terminate();
  if (mine + stolen !== M) throw new Error(`lost ids: ${mine} + ${stolen} !== ${M}`);
  row("2 threads", ns, ` per id, put+get by owner with a thief stealing (${((100 * stolen) / M).toFixed(1)}% stolen)`);
}

if (sink === 42) console.log("");
