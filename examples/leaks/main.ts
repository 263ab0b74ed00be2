// Detecting goroutine leaks (seed article 002, "Detecting Goroutine Leaks"):
// leakyFunction starts a goroutine that receives on a channel nobody will
// ever send on or close; called 10 times, it leaks 10 goroutines, which
// NumGoroutine shows. gort can also prove the leak: findLeaks (gort/testing)
// asks the garbage collector which blocked goroutines nothing reachable can
// ever wake, and prints them in Go's format. The fixed version gives each
// goroutine a way out: a select with a timeout.
//
// Usage: gort run examples/leaks/main.ts [timeout-ms=1000]

import { after, chan, go, Millisecond, recv, select, sleep } from "gort";
import { numGoroutine } from "gort/runtime";
import { findLeaks, trackLeaks } from "gort/testing";

const timeout = Number(process.argv[2] ?? 1000) * Millisecond;

function leakyFunction(): void {
  const ch = chan<number>(); // Unbuffered channel
  go(async function leakyReceiver() {
    const val = await ch.recv(); // This will block forever
    console.log(`Received: ${val}`);
  });
  // Forgot to send to channel or close it
  // The goroutine will leak
}

async function detectLeak(): Promise<void> {
  const initial = numGoroutine();
  console.log(`Initial goroutines: ${initial}`);

  for (let i = 0; i < 10; i++) leakyFunction();

  await sleep(timeout);
  const final = numGoroutine();
  console.log(`Final goroutines: ${final}`);
  console.log(`Leaked goroutines: ${final - initial}`);

  // Go 1.26's leak detection: the collector proves which are blocked forever.
  const leaks = await findLeaks();
  console.log(`findLeaks: ${leaks.length} goroutines can never run again`);
  for (const l of leaks) {
    const reason = l.waitReason || "waiting";
    console.log(`  goroutine ${l.id} [${reason}, leaked]: ${l.function}, created by ${l.creator} in goroutine ${l.parentId}`);
  }
  console.log(`After collection: ${numGoroutine()} goroutines`);
}

function fixedFunction(): void {
  const ch = chan<number>(1); // Buffered channel
  go(async function fixedReceiver() {
    await select([
      recv(ch, (val) => console.log(`Received: ${val}`)),
      recv(after(timeout), () => console.log("Timeout - no leak")),
    ]);
  });
}

export default async function main(): Promise<void> {
  trackLeaks(); // watch the goroutines started from now on
  await detectLeak();

  // Show fixed version
  console.log("\n=== Fixed Version ===");
  const initial = numGoroutine();
  for (let i = 0; i < 10; i++) fixedFunction();
  await sleep(2 * timeout);
  const final = numGoroutine();
  console.log(`No leak: ${final} goroutines (started with ${initial})`);
  console.log(`findLeaks: ${(await findLeaks()).length} leaked`);
}
