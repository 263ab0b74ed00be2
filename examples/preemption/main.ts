// Three "infinite" loops under GOMAXPROCS=1 (seed article 002, "Preemption
// and Cooperation"), and what gort does instead of Go's signal-based
// preemption. JavaScript cannot interrupt a running function, so:
//
//   - mode "await" (the default): each loop awaits a gort operation per
//     iteration (Go's `select { case <-ctx.Done(): return; default: }`).
//     The operation never blocks, yet gort preempts the loops every 10 ms
//     time slice: the event loop turns, main's timer fires, main prints on
//     time. This is what Go 1.14+ shows.
//   - mode "block": each loop spins without any await. It holds the thread
//     until it ends, and main's 100 ms sleep lasts as long as all three
//     spins: what Go did before 1.14 (a tight loop could not be preempted).
//
// The loops are not infinite here: in "await" mode main cancels them after
// its ticks; in "block" mode each spins for a fixed time. The program always
// ends by itself.
//
// Usage: gort run examples/preemption/main.ts [await|block] [ticks=10] [tick-ms=100] [spin-ms=300]

import { context, defaultCase, go, Millisecond, recv, select, sleep } from "gort";
import { gomaxprocs, numGoroutine } from "gort/runtime";
import { WaitGroup } from "gort/sync";

const mode = process.argv[2] ?? "await";
const ticks = Number(process.argv[3] ?? 10);
const tick = Number(process.argv[4] ?? 100) * Millisecond;
const spin = Number(process.argv[5] ?? 300) * Millisecond;

// Preempted at gort operations: the select below is one per iteration.
async function cooperativeLoop(ctx: context.Context, id: number, iterations: number[]): Promise<void> {
  let i = 0;
  for (;;) {
    const done = await select([recv(ctx.done(), () => true), defaultCase(() => false)]);
    if (done) break;
    i++;
    if (i % 1_000_000 === 0) console.log(`Goroutine ${id}: iteration ${i}`);
  }
  iterations[id] = i;
}

// No await at all: nothing can take the thread away until it returns.
function busyLoop(id: number): void {
  const end = performance.now() + spin;
  let i = 0;
  while (performance.now() < end) i++;
  console.log(`Goroutine ${id}: spun ${spin} ms without an await (${i} iterations)`);
}

export default async function main(): Promise<void> {
  gomaxprocs(1); // Force all goroutines on one P (gort: they always are, for now)
  const [ctx, cancel] = context.withCancel(context.background());
  const iterations = [0, 0, 0];
  const wg = new WaitGroup();

  // Launch multiple loops
  for (let i = 0; i < 3; i++) {
    if (mode === "block") go(busyLoop, i);
    else wg.go(cooperativeLoop, ctx, i, iterations);
  }

  // Monitor that all goroutines get execution time
  let worstLate = 0;
  for (let i = 0; i < ticks; i++) {
    const start = performance.now();
    await sleep(tick);
    const late = performance.now() - start - tick;
    worstLate = Math.max(worstLate, late);
    console.log(`Main: ${(i + 1) * tick} ms elapsed (woke ${late.toFixed(0)} ms late), ${numGoroutine()} goroutines`);
  }

  cancel();
  await wg.wait();
  if (mode === "block") {
    console.log(`The loops held the thread: main woke up to ${worstLate.toFixed(0)} ms late (no preemption without await).`);
  } else {
    console.log(`Iterations: ${iterations.map((n, id) => `goroutine ${id}=${n}`).join(", ")}`);
    const late = worstLate.toFixed(0);
    console.log(`Every loop ran, and main woke on time (at most ${late} ms late): preempted every 10 ms time slice.`);
  }
}
