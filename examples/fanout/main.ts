// Fan-out/fan-in (seed article 002, "Fan-Out/Fan-In Pattern"): a producer
// sends 10..14, 100 ms apart; three workers range over the input and send
// the squares, each on its own channel (fan-out); fanIn merges them into one
// channel, closed once every worker channel is drained (fan-in).
//
// Usage: gort run examples/fanout/main.ts [delay-ms=100]

import { chan, go, Millisecond, type RecvChan, type SendChan, sleep } from "gort";
import { WaitGroup } from "gort/sync";

const delay = Number(process.argv[2] ?? 100) * Millisecond;

async function producer(id: number, ch: SendChan<number>): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await ch.send(id * 10 + i);
    await sleep(delay);
  }
}

function fanOut(input: RecvChan<number>, workerCount: number): RecvChan<number>[] {
  const channels: RecvChan<number>[] = [];
  for (let i = 0; i < workerCount; i++) {
    const ch = chan<number>();
    channels.push(ch);
    go(async (workerCh: SendChan<number>) => {
      // Process and forward
      for await (const val of input) await workerCh.send(val * val);
      workerCh.close();
    }, ch);
  }
  return channels;
}

function fanIn(...channels: RecvChan<number>[]): RecvChan<number> {
  const out = chan<number>();
  const wg = new WaitGroup();
  for (const ch of channels) {
    wg.go(async (c: RecvChan<number>) => {
      for await (const val of c) await out.send(val);
    }, ch);
  }
  go(async () => {
    await wg.wait();
    out.close();
  });
  return out;
}

export default async function main(): Promise<void> {
  const input = chan<number>();

  // Start producer
  go(async () => {
    await producer(1, input);
    input.close();
  });

  // Fan out to 3 workers
  const workers = fanOut(input, 3);

  // Fan in results
  const results = fanIn(...workers);

  // Collect results
  for await (const result of results) console.log(`Result: ${result}`);
}
