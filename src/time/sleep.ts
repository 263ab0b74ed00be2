// time.Sleep.

import { checkDuration } from "../errors.ts";
import { WaitReason } from "../internal/g.ts";
import { nonBlocking, park, parked, ready } from "../internal/sched.ts";
import { SudogKind } from "../internal/sudog.ts";
import { TimerHandle } from "../internal/timer.ts";
import type { Duration } from "./duration.ts";

/**
 * Pauses the calling goroutine for at least `d` milliseconds (Go: time.Sleep).
 * A zero or negative duration returns at once. The pending sleep keeps the
 * process alive.
 *
 * **Blocking:** wait reason `"sleep"`.
 * @throws TypeError if `d` is not a number.
 */
export function sleep(d: Duration): Promise<void> {
  checkDuration("sleep", d);
  if (d <= 0) return nonBlocking();
  const p = park(SudogKind.Wake, undefined, WaitReason.Sleep);
  const sg = parked;
  new TimerHandle(() => ready(sg), true).arm(d);
  return p as Promise<void>;
}
