// Producer and consumers on a buffered channel (seed article 002,
// "Channel-Based Synchronization"): one producer sends 0..9, 100 ms apart,
// and closes the channel; two consumers range over it; a second buffered
// channel tells main that both are done.
//
// Usage: gort run examples/prodcons/main.ts [delay-ms=100]

import { chan, go, Millisecond, type RecvChan, type SendChan, sleep } from "gort";

const delay = Number(process.argv[2] ?? 100) * Millisecond;

async function producer(ch: SendChan<number>): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await ch.send(i);
    await sleep(delay);
  }
  ch.close();
}

async function consumer(id: number, ch: RecvChan<number>, done: SendChan<boolean>): Promise<void> {
  for await (const val of ch) console.log(`Consumer ${id} received: ${val}`);
  await done.send(true);
}

export default async function main(): Promise<void> {
  const dataChannel = chan<number>(3); // Buffered channel
  const doneChannel = chan<boolean>(2);

  // Start producer
  go(producer, dataChannel);

  // Start multiple consumers
  go(consumer, 1, dataChannel, doneChannel);
  go(consumer, 2, dataChannel, doneChannel);

  // Wait for consumers to finish
  await doneChannel.recv();
  await doneChannel.recv();
}
