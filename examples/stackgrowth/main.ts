// Stack growth by recursion (seed article 002, "Stack Management"): Go
// starts a goroutine with a 2 KB stack and grows it as deep as recursion
// needs (up to 1 GB), so depths of 100, 1,000 and 10,000 frames with a
// 1 KB array each all succeed.
//
// JavaScript has no growable per-goroutine stacks: gort's goroutines are
// async functions, which keep their frames on the heap while suspended but
// run on the thread's one fixed-size stack (about 1 MB by default; `node
// --stack-size`). Recursion beyond it throws a RangeError ("Maximum call
// stack size exceeded"), which this program catches and reports; Go would
// grow the stack instead.
//
// Usage: gort run examples/stackgrowth/main.ts [depth ...] (default: 100 1000 10000 1000000)

import { readMemStats } from "gort/runtime";

function recursiveFunction(depth: number, maxDepth: number): number {
  if (depth >= maxDepth) {
    const m = readMemStats();
    console.log(`Reached depth ${depth}: heap in use ~${Math.round(m.heapAlloc / 1024)} KB (the stack itself is not measured)`);
    return depth;
  }
  // A local array, as in Go (`var array [1024]byte`); a typed array lives on
  // the heap in JavaScript, only its reference is in the frame.
  const array = new Uint8Array(1024);
  return recursiveFunction(depth + 1, maxDepth) + (array[0] ?? 0);
}

// How deep a recursion gets before the RangeError.
function deepestFrame(): number {
  let deepest = 0;
  const probe = (depth: number): void => {
    deepest = depth;
    probe(depth + 1);
  };
  try {
    probe(0);
  } catch {
    // RangeError: Maximum call stack size exceeded
  }
  return deepest;
}

export default function main(): void {
  const args = process.argv.slice(2).map(Number);
  const depths = args.length > 0 ? args : [100, 1000, 10_000, 1_000_000];
  for (const depth of depths) {
    try {
      recursiveFunction(0, depth);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      console.log(`Depth ${depth}: RangeError: ${err.message} (a JavaScript stack does not grow)`);
    }
  }
  console.log(`The thread's stack holds about ${Math.round(deepestFrame() / 1000)}k frames of a small function.`);
}
