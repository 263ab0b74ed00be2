// Asking the other threads for something only they can tell: their
// goroutine dump (dumps.ts), their trace events (tracing.ts), the leaks
// their garbage collector found (leaks.ts). A thread
// cannot read another's goroutine records or trace buffer (they are
// JavaScript objects of that thread), so the asker writes the question's
// kind in each thread's M record (M_ASK_KIND), counts a request
// (M_ASK_REQ) and posts ASK_TOKEN to its inbox; the thread, when it next
// drains its inbox (at once if it is parked or spinning; once the running
// goroutine yields if one runs), leaves its answer, a string, in its M
// record (M_ASK_TEXT) and marks the request answered (M_ASK_ANS). The asker
// waits for the answers, up to a deadline.

import { alloc, free } from "./alloc.ts";
import { sharedOrNull } from "./heap.ts";
import { M_ALIVE, M_ASK_ANS, M_ASK_KIND, M_ASK_REQ, M_ASK_TEXT, MAX_MS, mBase, VALUE_WORDS } from "./layout.ts";
import { ASK_TOKEN, post, selfM, setService } from "./m.ts";
import { decodeValue, discardValue, encodeValue } from "./value.ts";

export const AskKind = { Dump: 1, Trace: 2, LeakCollect: 3, Leaks: 4, Live: 5 } as const;
export type AskKind = (typeof AskKind)[keyof typeof AskKind];

const answers = new Map<number, () => string>();

/** Sets how this thread answers questions of `kind`. */
export function setAnswer(kind: AskKind, fn: () => string): void {
  answers.set(kind, fn);
}

/** Answers the question asked so far: a string in a value slot of this thread's M record. */
function answer(): void {
  const h = sharedOrNull();
  if (h === null) return;
  const { i32 } = h;
  const mb = mBase(selfM);
  const req = Atomics.load(i32, mb + M_ASK_REQ);
  if (Atomics.load(i32, mb + M_ASK_ANS) === req) return;
  const fn = answers.get(Atomics.load(i32, mb + M_ASK_KIND));
  const slot = alloc(VALUE_WORDS);
  encodeValue(slot, fn === undefined ? "" : fn(), "an answer to another thread");
  const old = Atomics.exchange(i32, mb + M_ASK_TEXT, slot);
  if (old !== 0) {
    // An answer nobody took (its asker gave up waiting).
    discardValue(old);
    free(old);
  }
  Atomics.store(i32, mb + M_ASK_ANS, req);
  Atomics.notify(i32, mb + M_ASK_ANS);
}

setService(ASK_TOKEN, answer);

/** One thread's answer: null if it did not answer in time. */
export interface Answer {
  readonly m: number;
  readonly text: string | null;
}

/**
 * Asks every other live thread `kind` and waits for their answers, `waitMs`
 * at most in all (Atomics.wait: this thread blocks meanwhile).
 */
export function askOthers(kind: AskKind, waitMs: number): Answer[] {
  const h = sharedOrNull();
  if (h === null) return [];
  const { i32 } = h;
  const asked: [number, number][] = [];
  for (let m = 0; m < MAX_MS; m++) {
    const mb = mBase(m);
    if (m === selfM || Atomics.load(i32, mb + M_ALIVE) !== 1) continue;
    Atomics.store(i32, mb + M_ASK_KIND, kind);
    const req = Atomics.add(i32, mb + M_ASK_REQ, 1) + 1;
    post(m, ASK_TOKEN);
    asked.push([m, req]);
  }
  const end = performance.now() + waitMs;
  const out: Answer[] = [];
  for (const [m, req] of asked) {
    const ans = mBase(m) + M_ASK_ANS;
    for (;;) {
      const got = Atomics.load(i32, ans);
      if (got - req >= 0) break;
      const left = end - performance.now();
      if (left <= 0) break;
      Atomics.wait(i32, ans, got, left);
    }
    const slot = Atomics.load(i32, ans) - req >= 0 ? Atomics.exchange(i32, mBase(m) + M_ASK_TEXT, 0) : 0;
    if (slot === 0) {
      out.push({ m, text: null });
      continue;
    }
    const text = decodeValue(slot) as string;
    free(slot);
    out.push({ m, text });
  }
  return out;
}
