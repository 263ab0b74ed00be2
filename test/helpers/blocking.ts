// Test helper: does an operation block? Answered by the scheduler, not by a clock.
//
// The operation runs in a new goroutine; the caller then lets the event loop
// turn a few times. Every goroutine that can run, every microtask, and every
// wake-up the runtime deferred to the next turn (a spent time slice) runs
// during those turns, so an operation that can proceed has finished by then.
// One that is still pending is parked: nothing in the program will wake it.

import { go } from "gort";

/** One turn of the event loop: queued goroutines, microtasks and deferred wake-ups run first. */
export function turn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Turns given to an operation before it counts as blocked (a deferred wake-up needs one). */
export const TURNS = 4;

/**
 * Starts `op` in a goroutine, lets the runtime run for `turns` turns of the
 * event loop, and returns true if `op` is still waiting. If `op` threw (a
 * panic), that error is thrown here.
 */
export async function blocks(op: () => unknown, turns = TURNS): Promise<boolean> {
  // Written by the goroutine; an object, so the checks below are not narrowed away.
  const outcome: { state: "waiting" | "returned" | "threw"; error: unknown } = { state: "waiting", error: undefined };
  go(async () => {
    try {
      await op();
      outcome.state = "returned";
    } catch (err) {
      outcome.error = err;
      outcome.state = "threw";
    }
  });
  for (let i = 0; i < turns; i++) await turn();
  if (outcome.state === "threw") throw outcome.error;
  return outcome.state === "waiting";
}
