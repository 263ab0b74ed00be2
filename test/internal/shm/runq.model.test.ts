// Model test of the lock-free local run queue (Tokio's loom tests of its
// queue, adapted): queues of capacity 4, an owner and one or two stealers,
// interleaved one shared-memory access at a time, and a check after every
// interleaving that each goroutine id put was taken exactly once.
//
// How an actor is stopped in the middle of a queue operation, in one thread:
// each actor's handles use their own ReplaySeam (a ShmAtomics). To advance an
// actor by one step, the harness calls the actor's current operation from
// the start; the seam answers the accesses the operation already made in
// earlier steps from its log, without touching memory, performs the next one
// for real, and throws PAUSE at the one after. The operation is
// deterministic given what the seam returns (atomics.ts states the rule), so
// the replay retraces the same path; the seam checks that it does.
//
// Interleavings are enumerated exhaustively up to a bound on context
// switches (CHESS's preemption bounding: most concurrency bugs need very
// few), and sampled at random, seeded, without a bound.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { ShmAtomics } from "#internal/shm/atomics";
import { runqWords } from "#internal/shm/layout";
import { initRunq, LocalRunq, type RunqOverflow, StealRunq } from "#internal/shm/runq";

const CAP = 4;

/** Thrown by the seam to stop an actor before its next shared-memory access. Not an Error: no stack capture. */
const PAUSE = { pause: true };

type OpKind = 0 | 1 | 2 | 3 | 4 | 5; // load, store, compareExchange, add, wait, notify

/** A ShmAtomics that performs one access per step and replays the earlier ones (see the header). */
class ReplaySeam implements ShmAtomics {
  /** Per access of the current operation: kind, word index, and the value returned. */
  readonly #log: number[] = [];
  #pos = 0;
  #live = 0;
  /** True outside model steps (building handles, draining at the end): every access is performed at once. */
  direct = true;
  /** A broken seam for the checker's own test: compareExchange as a load, then (next step) a store. */
  splitCas = false;

  /** Prepares to run the current operation up to one new access. */
  beginStep(): void {
    this.#pos = 0;
    this.#live = 1;
  }
  /** The current operation finished: the next one starts with an empty log. */
  endOp(): void {
    this.#log.length = 0;
  }

  #access(kind: OpKind, i: number, perform: () => number): number {
    if (this.direct) return perform();
    const pos = this.#pos;
    if (pos * 3 < this.#log.length) {
      if (this.#log[pos * 3] !== kind || this.#log[pos * 3 + 1] !== i) {
        throw new Error(`replay diverged at access ${pos}: the operation is not deterministic`);
      }
      this.#pos++;
      return this.#log[pos * 3 + 2] as number;
    }
    if (this.#live === 0) throw PAUSE;
    this.#live--;
    const v = perform();
    this.#log.push(kind, i, v);
    this.#pos++;
    return v;
  }

  load(a: Int32Array, i: number): number {
    return this.#access(0, i, () => Atomics.load(a, i));
  }
  loadOwn(a: Int32Array, i: number): number {
    return this.#access(0, i, () => a[i] as number);
  }
  loadHint(a: Int32Array, i: number): number {
    return this.#access(0, i, () => a[i] as number);
  }
  store(a: Int32Array, i: number, v: number): void {
    this.#access(1, i, () => Atomics.store(a, i, v));
  }
  compareExchange(a: Int32Array, i: number, expected: number, v: number): number {
    if (!this.splitCas) return this.#access(2, i, () => Atomics.compareExchange(a, i, expected, v));
    const old = this.#access(0, i, () => Atomics.load(a, i));
    this.#access(1, i, () => (old === expected ? Atomics.store(a, i, v) : old));
    return old;
  }
  add(a: Int32Array, i: number, v: number): number {
    return this.#access(3, i, () => Atomics.add(a, i, v));
  }
  wait(_a: Int32Array, i: number): void {
    // A spurious wake-up, which callers must tolerate: one thread cannot sleep.
    this.#access(4, i, () => 0);
  }
  notify(_a: Int32Array, i: number): void {
    this.#access(5, i, () => 0);
  }
}

class ArrayOverflow implements RunqOverflow {
  readonly ids: number[] = [];
  putBatch(ids: Int32Array, n: number): void {
    for (let i = 0; i < n; i++) this.ids.push(ids[i] as number);
  }
}

/** One thread of the model: its seam, its queue, and its script of operations. */
interface Actor {
  readonly seam: ReplaySeam;
  readonly local: LocalRunq;
  /** Each operation returns the id it took (0 for none, or for a put). */
  readonly script: readonly (() => number)[];
  next: number;
}

/** Actor i's operations, given every actor's queue handle (index 0 is the owner of queue 0, and so on). */
type ScriptOp =
  | { op: "put"; id: number; next?: boolean }
  | { op: "get" }
  | { op: "steal"; from: number; runnext?: boolean };

interface Scenario {
  readonly name: string;
  readonly actors: readonly (readonly ScriptOp[])[];
}

interface World {
  readonly actors: Actor[];
  readonly taken: number[];
  readonly overflow: ArrayOverflow;
  readonly mem: Int32Array;
  readonly putIds: number[];
}

function build(scenario: Scenario, splitCas: boolean): World {
  const words = runqWords(CAP);
  const n = scenario.actors.length;
  const mem = new Int32Array(new SharedArrayBuffer(n * words * 4));
  const overflow = new ArrayOverflow();
  const taken: number[] = [];
  const putIds: number[] = [];
  const actors: Actor[] = [];
  const seams: ReplaySeam[] = [];
  for (let i = 0; i < n; i++) {
    initRunq(mem, i * words, CAP);
    const seam = new ReplaySeam();
    seam.splitCas = splitCas;
    seams.push(seam);
  }
  for (let i = 0; i < n; i++) {
    const seam = seams[i] as ReplaySeam;
    const local = new LocalRunq(mem, i * words, overflow, seam);
    // A thread's view of the other queues, through its own seam.
    const victims = scenario.actors.map((_, j) => new StealRunq(mem, j * words, seam));
    const script = (scenario.actors[i] ?? []).map((s): (() => number) => {
      switch (s.op) {
        case "put": {
          putIds.push(s.id);
          const next = s.next ?? false;
          return () => {
            local.put(s.id, next);
            return 0;
          };
        }
        case "get":
          return () => local.get();
        case "steal": {
          const victim = victims[s.from] as StealRunq;
          const runnext = s.runnext ?? false;
          return () => local.steal(victim, runnext, 1);
        }
      }
    });
    actors.push({ seam, local, script, next: 0 });
  }
  return { actors, taken, overflow, mem, putIds };
}

/** Runs actor a's current operation for one more access. Returns whether the operation finished. */
function step(w: World, a: Actor): boolean {
  const op = a.script[a.next] as () => number;
  a.seam.direct = false;
  a.seam.beginStep();
  let id: number;
  try {
    id = op();
  } catch (e) {
    if (e === PAUSE) return false;
    throw e;
  } finally {
    a.seam.direct = true;
  }
  a.seam.endOp();
  a.next++;
  if (id !== 0) w.taken.push(id);
  return true;
}

/** After the interleaved part: drain every queue in one thread and check that each id put was taken exactly once. */
function check(w: World): string | null {
  for (const a of w.actors) for (let id = a.local.get(); id !== 0; id = a.local.get()) w.taken.push(id);
  const all = [...w.taken, ...w.overflow.ids].sort((x, y) => x - y);
  const want = [...w.putIds].sort((x, y) => x - y);
  if (all.length !== want.length || all.some((x, i) => x !== want[i])) {
    return `ids put ${JSON.stringify(want)}, taken ${JSON.stringify(all)}`;
  }
  return null;
}

/**
 * Chooses which actor runs each step. Given the actors that can run and the
 * one that ran last, returns the index to run.
 */
type Chooser = (enabled: readonly number[], last: number) => number;

/** Runs one interleaving to the end; returns a failure description or null. */
function runOnce(scenario: Scenario, choose: Chooser, splitCas = false): string | null {
  const w = build(scenario, splitCas);
  let last = -1;
  for (let steps = 0; ; steps++) {
    if (steps > 10_000) return "livelock: more than 10,000 steps";
    const enabled: number[] = [];
    for (let i = 0; i < w.actors.length; i++) {
      const a = w.actors[i] as Actor;
      if (a.next < a.script.length) enabled.push(i);
    }
    if (enabled.length === 0) break;
    const i = choose(enabled, last);
    step(w, w.actors[i] as Actor);
    last = i;
  }
  return check(w);
}

/**
 * Enumerates every interleaving with at most `bound` preemptions (switches
 * away from an actor that could have gone on), depth first, re-running
 * the scenario from scratch for each. Returns the number of interleavings
 * and the first failure.
 */
function explore(scenario: Scenario, bound: number, splitCas = false): { runs: number; failure: string | null } {
  // The choice made at each step of the current interleaving, and how many there were.
  const stack: { choice: number; options: number[] }[] = [];
  let runs = 0;
  for (;;) {
    let depth = 0;
    let preemptions = 0;
    const failure = runOnce(
      scenario,
      (enabled, last) => {
        // The last actor first (no switch), then the others, if the budget allows.
        const canContinue = enabled.includes(last);
        let options = canContinue ? [last, ...enabled.filter((i) => i !== last)] : [...enabled];
        if (canContinue && preemptions >= bound) options = [last];
        let frame = stack[depth];
        if (frame === undefined) {
          frame = { choice: 0, options };
          stack.push(frame);
        } else {
          assert.deepEqual(frame.options, options, "the scenario is not deterministic");
        }
        depth++;
        const i = options[frame.choice] as number;
        if (canContinue && i !== last) preemptions++;
        return i;
      },
      splitCas,
    );
    runs++;
    if (failure !== null) return { runs, failure: `${failure} (interleaving ${runs})` };
    stack.length = depth;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { choice: number; options: number[] };
      if (top.choice + 1 < top.options.length) break;
      stack.pop();
    }
    if (stack.length === 0) return { runs, failure: null };
    (stack[stack.length - 1] as { choice: number }).choice++;
  }
}

/** xorshift32: the seeded random source for sampled interleavings. */
function rng(seed: number): (n: number) => number {
  let x = seed | 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % n) | 0;
  };
}

/** Runs `runs` random interleavings (no bound on preemptions), seeded. */
function sample(scenario: Scenario, seed: number, runs: number): string | null {
  const rand = rng(seed);
  for (let r = 0; r < runs; r++) {
    const failure = runOnce(scenario, (enabled) => enabled[rand(enabled.length)] as number);
    if (failure !== null) return `${failure} (seed ${seed}, run ${r})`;
  }
  return null;
}

const put = (id: number, next = false): ScriptOp => ({ op: "put", id, next });
const get: ScriptOp = { op: "get" };
const steal = (from: number, runnext = false): ScriptOp => ({ op: "steal", from, runnext });

// -- Scenarios (capacity 4) --

const ownerAndThief: Scenario = {
  name: "owner puts and gets while one thief steals",
  actors: [
    [put(1), put(2), put(3), get, put(4), get],
    [steal(0), get, steal(0)],
  ],
};

const runnextRace: Scenario = {
  name: "owner runs runnext while a thief takes runnext as a last resort",
  actors: [
    [put(1, true), put(2, true), get, get, put(3, true), get],
    [steal(0, true), get, steal(0, true)],
  ],
};

const overflowRace: Scenario = {
  name: "owner overflows half its ring to the global queue while a thief steals",
  actors: [
    [put(1), put(2), put(3), put(4), put(5), put(6, true), put(7)],
    [steal(0), steal(0)],
  ],
};

const twoThieves: Scenario = {
  name: "two thieves steal from the owner, one from the other",
  actors: [
    [put(1), put(2), put(3), put(4), get, put(5), put(6, true)],
    [steal(0), get, steal(0, true)],
    [steal(0), steal(1), steal(0, true)],
  ],
};

test("runq model: every interleaving with ≤ 3 preemptions takes each id exactly once", async (t) => {
  for (const s of [ownerAndThief, runnextRace, overflowRace]) {
    const { runs, failure } = explore(s, 3);
    t.diagnostic(`${s.name}: ${runs} interleavings`);
    assert.equal(failure, null, s.name);
    assert.ok(runs > 100, `${s.name}: only ${runs} interleavings explored`);
  }
});

test("runq model: two thieves, every interleaving with ≤ 2 preemptions", async (t) => {
  const { runs, failure } = explore(twoThieves, 2);
  t.diagnostic(`${twoThieves.name}: ${runs} interleavings`);
  assert.equal(failure, null);
  assert.ok(runs > 100);
});

test("runq model: 20,000 random interleavings without a preemption bound, seeded", async (t) => {
  const seeds = [1, 0x9e3779b9, 12345, 777];
  for (const s of [ownerAndThief, runnextRace, overflowRace, twoThieves]) {
    for (const seed of seeds) assert.equal(sample(s, seed, 1250), null, s.name);
  }
  t.diagnostic(`${4 * seeds.length * 1250} interleavings`);
});

test("runq model: the checker finds the double take when compareExchange is not atomic", () => {
  // The harness's own test: with each CAS split into a load and a separate
  // store, the owner's get() and a thief's steal() can both take one id.
  // If this passes with no failure found, the model test cannot fail either.
  const { failure } = explore(ownerAndThief, 2, true);
  assert.notEqual(failure, null);
  assert.match(failure ?? "", /taken/);
});
