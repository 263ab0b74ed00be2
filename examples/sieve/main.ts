// Go's concurrent prime sieve (the program from Go's tour and test/chan/sieve1.go):
// a chain of filter goroutines, one per prime, connected by unbuffered channels.
//
// Usage: node build/examples/sieve/main.js [count=100]

import { chan, go, type RecvChan, type SendChan } from "gort";

async function generate(ch: SendChan<number>): Promise<void> {
  for (let i = 2; ; i++) await ch.send(i);
}

async function filter(input: RecvChan<number>, output: SendChan<number>, prime: number): Promise<void> {
  for (;;) {
    const i = (await input.recv()) as number;
    if (i % prime !== 0) await output.send(i);
  }
}

const count = Number(process.argv[2] ?? 100);
let ch = chan<number>();
go(generate, ch);
const primes: number[] = [];
for (let i = 0; i < count; i++) {
  const prime = (await ch.recv()) as number;
  primes.push(prime);
  const next = chan<number>();
  go(filter, ch, next, prime);
  ch = next;
}
console.log(primes.join(" "));
// The generator and the filters stay blocked, as in Go; the program ends here
// because nothing else is pending. (Goroutines never keep the process alive.)
