// Goroutine dumps in Go's format (Go: runtime.Stack, traceback.go):
//
//   goroutine 7 [chan receive, 2 minutes]:
//   worker(...)
//   	/app/main.ts:12:20
//   created by main in goroutine 1
//
// What gort can show: every live goroutine, its function and where that is
// defined, who started it, and its state — with Go's wait reason when the
// runtime knows which goroutine is parked (see g.ts `current` and `exact`; otherwise the
// state is "waiting"). A suspended async function has no inspectable stack,
// so the body is the goroutine's function, not the line it waits on; the
// calling goroutine's own entry shows the live JavaScript stack.

import { functionLocations } from "./funcloc.ts";
import { createdBy, funcOf, type G, GStatus, mainG } from "./g.ts";
import { goTraceback } from "./panic.ts";
import { now } from "./clock.ts";

/** Go's "[state, N minutes]" header part. */
function state(g: G, t: number, me: G | null): string {
  if (g === me) return "running";
  switch (g.status) {
    case GStatus.Runnable:
      return "runnable";
    case GStatus.Waiting: {
      const minutes = Math.floor((t - g.waitSince) / 60_000);
      const reason = g.waitReason === "" ? "waiting" : g.waitReason;
      return minutes >= 1 ? `${reason}, ${minutes} minute${minutes === 1 ? "" : "s"}` : reason;
    }
    default:
      // Started and not known to be parked: it is suspended at an await
      // (only one goroutine runs at a time, and that one is `current`).
      return "waiting";
  }
}

/**
 * The dump of `gs` (all live goroutines by default). `me` is the goroutine
 * asking, if known, shown as running with `callerStack`, its JavaScript stack.
 */
export function formatDump(gs: readonly G[], me: G | null = null, callerStack?: string): string {
  const t = now();
  const fns = gs.map(funcOf);
  const withFn = fns.filter((f): f is NonNullable<typeof f> => f !== null);
  const locations = functionLocations(withFn);
  const where = new Map<unknown, string>();
  withFn.forEach((f, i) => where.set(f, locations[i] ?? ""));
  const parts: string[] = [];
  for (const g of gs) {
    let text = `goroutine ${g.id} [${state(g, t, me)}]:\n`;
    if (g === me && callerStack !== undefined) {
      text += `${goTraceback(callerStack)}\n`;
    } else if (g === mainG) {
      text += "main()\n\t(the program's top level)\n";
    } else {
      const fn = funcOf(g);
      const loc = fn === null ? "" : (where.get(fn) ?? "");
      text += `${fn?.name || "func1"}(...)\n${loc === "" ? "" : `\t${loc}\n`}`;
    }
    if (g !== mainG) text += createdBy(g.parentId, g.creator, g.createdAt);
    parts.push(text);
  }
  return parts.join("\n");
}
