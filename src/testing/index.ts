/**
 * gort/testing: helpers for tests of concurrent code.
 *
 * - `leakCheck(body)` wraps a test body (node:test, or any runner that awaits
 *   a returned promise): after the body, it fails if goroutines started by
 *   the test are still alive once they have had time to finish, or if the
 *   garbage collector proves some were blocked forever (Go's goleak, plus
 *   Go 1.26's leak detection).
 * - `verifyNone()` checks the same at any point; `findLeaks()` returns only
 *   the goroutines proven leaked.
 *
 * @example
 * ```ts
 * import { test } from "node:test";
 * import { leakCheck } from "gort/testing";
 *
 * test("the worker pool stops its workers", leakCheck(async () => {
 *   const pool = startPool(4);
 *   await pool.close();
 * }));
 * ```
 * @module
 */
import { formatDump } from "../internal/dump.ts";
import { mainG } from "../internal/g.ts";
import {
  describeLeaks,
  formatLeaks,
  type LeakedGoroutine,
  otherThreadsGoroutines,
  type TrackLeaksOptions,
  takeLeaks,
  takeOtherThreadsLeaks,
  trackLeaks,
} from "../internal/leak.ts";
import { collectForProof, turn } from "../internal/leakproof.ts";
import { allGoroutines } from "../internal/sched.ts";

export type { LeakedGoroutine, TrackLeaksOptions };
export { DeadlockError, synctest, wait } from "./synctest.ts";
export { trackLeaks };

/**
 * Collects garbage and returns the goroutines it proved can never run again
 * (blocked on something nothing reachable can wake), found since tracking
 * began (`trackLeaks()`, which `leakCheck` calls) or since the last call.
 * Called on the main thread, it covers the worker threads' goroutines too
 * (each worker's collector proves its own; a goroutine blocked on a shared
 * channel or lock is not proven leaked, as another thread could still wake
 * it).
 */
export async function findLeaks(): Promise<LeakedGoroutine[]> {
  trackLeaks();
  await collectForProof();
  return [...takeLeaks(), ...takeOtherThreadsLeaks()];
}

export interface VerifyOptions {
  /** Goroutine ids that may remain (for example those alive before the test). */
  readonly ignore?: Iterable<number>;
  /** How long goroutines get to finish, in ms (default 2000). */
  readonly timeout?: number;
}

/** Thrown by verifyNone and leakCheck; the message has Go-style dumps. */
export class LeakError extends Error {
  override name = "LeakError";
  /** Goroutines still alive. */
  readonly remaining: readonly number[];
  /** Goroutines the garbage collector proved blocked forever. */
  readonly leaked: readonly LeakedGoroutine[];

  constructor(message: string, remaining: readonly number[], leaked: readonly LeakedGoroutine[]) {
    super(message);
    this.remaining = remaining;
    this.leaked = leaked;
  }
}

/**
 * Fails (throws LeakError) if goroutines other than main and `ignore` are
 * still alive after up to `timeout` ms of letting them finish, or if any
 * goroutine was proven leaked (Go: goleak.VerifyNone). Called on the main
 * thread, it looks at the worker threads' goroutines too.
 */
export async function verifyNone(options: VerifyOptions = {}): Promise<void> {
  const ignore = new Set(options.ignore ?? []);
  const deadline = performance.now() + (options.timeout ?? 2000);
  const leaked: LeakedGoroutine[] = [];
  for (;;) {
    for (const l of await findLeaks()) if (!ignore.has(l.id)) leaked.push(l);
    const left = allGoroutines().filter((g) => g !== mainG && !ignore.has(g.id));
    // Those of the worker threads too (portable goroutines and theirs).
    const leftElsewhere = otherThreadsGoroutines().filter((g) => !ignore.has(g.id));
    const nleft = left.length + leftElsewhere.length;
    if (nleft === 0 && leaked.length === 0) return;
    if (nleft === 0 || performance.now() >= deadline) {
      let message = "";
      if (leaked.length > 0) {
        message += `${describeLeaks(leaked)}:\n\n${formatLeaks(leaked)}\n`;
      }
      if (nleft > 0) {
        const dump = [...(left.length > 0 ? [formatDump(left)] : []), ...leftElsewhere.map((g) => g.entry)].join("\n");
        message += `found ${nleft} unexpected goroutine${nleft === 1 ? "" : "s"} still alive:\n\n${dump}\n`;
      }
      throw new LeakError(
        message.trimEnd(),
        [...left.map((g) => g.id), ...leftElsewhere.map((g) => g.id)],
        leaked,
      );
    }
    await turn();
  }
}

/**
 * Wraps a test body: goroutines alive before it are ignored; after it,
 * verifyNone() must pass. Arguments (node:test's context) are passed through.
 */
export function leakCheck<A extends unknown[]>(
  body: (...args: A) => unknown,
  options: Omit<VerifyOptions, "ignore"> = {},
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    trackLeaks();
    const before = [...allGoroutines().map((g) => g.id), ...otherThreadsGoroutines().map((g) => g.id)];
    await body(...args);
    await verifyNone({ ...options, ignore: before });
  };
}
