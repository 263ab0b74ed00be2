// `go speak("Hello World")` (seed article 000, "Process, Threads and
// Goroutines": "What Is a Goroutine?" and the first fork-join example).
// main starts one goroutine and sleeps long enough for it to run.
//
// Usage: gort run examples/speak/main.ts [wait-ms=1000]

import { go, Millisecond, sleep } from "gort";

function speak(msg: string): void {
  console.log(msg);
}

export default async function main(): Promise<void> {
  const wait = Number(process.argv[2] ?? 1000) * Millisecond; // Go: time.Sleep(1 * time.Second)
  go(speak, "Hello World");
  await sleep(wait);
}
