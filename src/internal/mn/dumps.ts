// Goroutine dumps across threads. Go's runtime.Stack(all), its SIGQUIT dump
// and its deadlock report stop the world and walk every G. A gort thread
// cannot read another's goroutine records (they are JavaScript objects of
// that thread), so the thread that dumps asks each other thread for its own:
// it counts a request in the thread's M record (M_DUMP_REQ) and posts
// DUMP_TOKEN to its inbox; the thread, when it next drains its inbox (at
// once if it is parked or spinning; once the running goroutine yields if
// one runs), formats its goroutines and leaves the text in its M record
// (M_DUMP_TEXT), then marks the request answered (M_DUMP_ANS). The asker
// waits for the answers, at most ANSWER_MS in all.
//
// Goroutine ids are unique across threads (ids come in blocks from a shared
// counter), so the parts read as one dump.

import { formatDump } from "../dump.ts";
import { type G, mainG } from "../g.ts";
import { allGoroutines } from "../sched.ts";
import { alloc, free } from "./alloc.ts";
import { sharedOrNull } from "./heap.ts";
import { M_ALIVE, M_DUMP_ANS, M_DUMP_REQ, M_DUMP_TEXT, MAX_MS, mBase, VALUE_WORDS } from "./layout.ts";
import { DUMP_TOKEN, post, selfM, setService } from "./m.ts";
import { decodeValue, discardValue, encodeValue } from "./value.ts";

/** How long a dump waits for the other threads' answers, in ms. */
const ANSWER_MS = 500;

/** This thread's goroutines (its main goroutine record only on the main thread, where it is the program's). */
export function threadGoroutines(): G[] {
  const gs = allGoroutines();
  return selfM === 0 ? gs : gs.filter((g) => g !== mainG);
}

/** Answers the requests made so far: this thread's dump, as a string in a value slot of its M record. */
function answer(): void {
  const h = sharedOrNull();
  if (h === null) return;
  const { i32 } = h;
  const mb = mBase(selfM);
  const req = Atomics.load(i32, mb + M_DUMP_REQ);
  if (Atomics.load(i32, mb + M_DUMP_ANS) === req) return;
  const gs = threadGoroutines();
  const slot = alloc(VALUE_WORDS);
  encodeValue(slot, gs.length === 0 ? "" : formatDump(gs), "a goroutine dump");
  const old = Atomics.exchange(i32, mb + M_DUMP_TEXT, slot);
  if (old !== 0) {
    // An answer nobody took (its asker gave up waiting).
    discardValue(old);
    free(old);
  }
  Atomics.store(i32, mb + M_DUMP_ANS, req);
  Atomics.notify(i32, mb + M_DUMP_ANS);
}

setService(DUMP_TOKEN, answer);

/**
 * The goroutines of every other thread, in Go's dump format (entries apart
 * by a blank line), "" when there are none or gort runs on one thread. A
 * thread that does not answer within ANSWER_MS (a goroutine on it runs
 * without yielding) is named instead.
 */
export function otherThreadsDump(): string {
  const h = sharedOrNull();
  if (h === null) return "";
  const { i32 } = h;
  const asked: [number, number][] = [];
  for (let m = 0; m < MAX_MS; m++) {
    if (m === selfM || Atomics.load(i32, mBase(m) + M_ALIVE) !== 1) continue;
    const req = Atomics.add(i32, mBase(m) + M_DUMP_REQ, 1) + 1;
    post(m, DUMP_TOKEN);
    asked.push([m, req]);
  }
  const end = performance.now() + ANSWER_MS;
  const parts: string[] = [];
  for (const [m, req] of asked) {
    const ans = mBase(m) + M_DUMP_ANS;
    for (;;) {
      const got = Atomics.load(i32, ans);
      if (got - req >= 0) break;
      const left = end - performance.now();
      if (left <= 0) break;
      Atomics.wait(i32, ans, got, left);
    }
    const slot = Atomics.load(i32, ans) - req >= 0 ? Atomics.exchange(i32, mBase(m) + M_DUMP_TEXT, 0) : 0;
    if (slot === 0) {
      parts.push(`(thread ${m}: did not answer within ${ANSWER_MS} ms; a goroutine there is running without yielding)\n`);
      continue;
    }
    const text = decodeValue(slot) as string;
    free(slot);
    if (text !== "") parts.push(text);
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
  const own = formatDump(gs, me, callerStack);
  const others = otherThreadsDump();
  return others === "" ? own : `${own}\n${others}`;
}
