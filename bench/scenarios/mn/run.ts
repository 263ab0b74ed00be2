// Entry point of the cross-thread (M:N) gort scenarios:
//   GOMAXPROCS=2 node --expose-gc build/bench/scenarios/mn/run.js <scenario> <n> <warm>
// Each scenario module declares its portable goroutines with task() at its
// top level (gort's worker threads import the same module by URL to find
// them) and exports `main(n, warm)`, the driver, which only this entry point
// calls, on the main thread. Prints one JSON figure line, like the other
// scenarios; a failure (including gort not exporting the M:N API yet) exits
// with status 1 and a last stderr line `gort M:N: <message>`.

import { isMainThread } from "node:worker_threads";
import type { Figure } from "../common.ts";
import { report } from "../common.ts";

interface Scenario {
  main(n: number, warm: number): Promise<Figure>;
}

const SCENARIOS: Readonly<Record<string, () => Promise<Scenario>>> = {
  dispatch: () => import("./dispatch.ts"),
  dispatchwg: () => import("./dispatchwg.ts"),
  roundtrip: () => import("./roundtrip.ts"),
  pingpong: () => import("./pingpong.ts"),
  stream: () => import("./stream.ts"),
  cpu: () => import("./cpu.ts"),
  skynet: () => import("./skynet.ts"),
};

function sizeArg(index: number): number {
  const raw = process.argv[index];
  const v = Number(raw);
  if (raw === undefined || !Number.isInteger(v) || v < 0) {
    throw new RangeError(`argument ${index - 2}: expected a non-negative integer, got ${String(raw)}`);
  }
  return v;
}

async function start(): Promise<void> {
  if (!isMainThread) throw new Error("run.js is the main thread's entry point; workers import the scenario modules");
  const name = process.argv[2] ?? "";
  const load = SCENARIOS[name];
  if (load === undefined) throw new Error(`unknown scenario "${name}" (one of ${Object.keys(SCENARIOS).join(", ")})`);
  const n = sizeArg(3);
  const warm = sizeArg(4);
  const scenario = await load();
  report(await scenario.main(n, warm));
}

start().then(
  () => process.exit(0),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${err instanceof Error ? (err.stack ?? message) : message}\ngort M:N: ${message.split("\n")[0]}\n`);
    process.exit(1);
  },
);
