// Goroutine dumps across threads. Go's runtime.Stack(all), its SIGQUIT dump
// and its deadlock report stop the world and walk every G; gort asks each
// other thread for its own goroutines (ask.ts) and waits for the answers, at
// most ANSWER_MS in all.
//
// Goroutine ids are unique across threads (ids come in blocks from a shared
// counter), so the parts read as one dump.

import { formatDump } from "../dump.ts";
import { type G, mainG } from "../g.ts";
import { allGoroutines } from "../sched.ts";
import { AskKind, askOthers, setAnswer } from "./ask.ts";
import { selfM } from "./m.ts";
import { pendingDump, sharedQueued } from "./proc.ts";

/** How long a dump waits for the other threads' answers, in ms. */
const ANSWER_MS = 500;

/** This thread's goroutines (its main goroutine record only on the main thread, where it is the program's). */
function threadGoroutines(): G[] {
  const gs = allGoroutines();
  return selfM === 0 ? gs : gs.filter((g) => g !== mainG);
}

setAnswer(AskKind.Dump, () => {
  const gs = threadGoroutines();
  return [...(gs.length === 0 ? [] : [formatDump(gs)]), ...pendingDump()].join("\n");
});

/**
 * The goroutines of every other thread, in Go's dump format (entries apart
 * by a blank line), "" when there are none or gort runs on one thread. A
 * thread that does not answer within ANSWER_MS (a goroutine on it runs
 * without yielding) is named instead.
 */
function otherThreadsDump(): string {
  const parts: string[] = [];
  for (const { m, text } of askOthers(AskKind.Dump, ANSWER_MS)) {
    if (text === null) {
      parts.push(`(thread ${m}: did not answer within ${ANSWER_MS} ms; a goroutine there is running without yielding)\n`);
    } else if (text !== "") {
      parts.push(text);
    }
  }
  return parts.join("\n");
}
/**
 * Every goroutine of every thread (Go: runtime.Stack(all)): this thread's
 * first (`me`, the goroutine asking, with `callerStack`), then the others'.
 */
export function allThreadsDump(me: G | null = null, callerStack?: string): string {
  const gs = threadGoroutines();
  // Go's runtime.Stack(all) prints the calling goroutine first.
  const at = me === null ? -1 : gs.indexOf(me);
  if (at > 0) gs.unshift(...gs.splice(at, 1));
  const parts = [formatDump(gs, me, callerStack), ...pendingDump()];
  const others = otherThreadsDump();
  if (others !== "") parts.push(others);
  // Go lists runnable goroutines too; those in the shared run queues are
  // counted (their G blocks may be taken and reused while this reads).
  const queued = sharedQueued();
  if (queued > 0) {
    parts.push(`(${queued} more portable goroutine${queued === 1 ? "" : "s"} runnable: queued to start, in the shared run queues)\n`);
  }
  return parts.join("\n");
}
