// The fork-join model (seed article 000, "Fork Join Model in Go"): a parent
// goroutine forks children that run concurrently, and each joins back
// through a synchronisation primitive -- here first a WaitGroup, then a
// channel that also carries the children's results.
//
// Usage: gort run examples/forkjoin/main.ts [children=4] [n=1000]

import { chan, go, Millisecond, sleep, type SendChan } from "gort";
import { WaitGroup } from "gort/sync";

function speak(msg: string): void {
  console.log(msg);
}

// A child of the second fork: sums [lo, hi) and sends its part back.
async function sum(lo: number, hi: number, out: SendChan<number>): Promise<void> {
  let s = 0;
  for (let i = lo; i < hi; i++) s += i;
  await sleep((hi % 3) * Millisecond); // children finish in any order
  await out.send(s);
}

export default async function main(): Promise<void> {
  const children = Number(process.argv[2] ?? 4);
  const n = Number(process.argv[3] ?? 1000);

  // Fork: one goroutine per message. Join: wg.wait() returns when all are done.
  const wg = new WaitGroup();
  for (let i = 1; i <= children; i++) wg.go(speak, `child ${i}: Hello World`);
  await wg.wait();
  console.log(`joined ${children} children (WaitGroup)`);

  // Fork: split 0..n-1 into parts. Join: receive exactly one result per child.
  const parts = chan<number>();
  const step = Math.ceil(n / children);
  for (let i = 0; i < children; i++) go(sum, i * step, Math.min(n, (i + 1) * step), parts);
  let total = 0;
  for (let i = 0; i < children; i++) total += (await parts.recv()) as number;
  console.log(`joined ${children} children (channel): sum of 0..${n - 1} = ${total}`);
}
