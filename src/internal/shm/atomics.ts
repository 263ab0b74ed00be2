// The seam between the lock-free shared-memory structures and `Atomics`
// (Tokio's loom seam, adapted). Every shared-memory word that more than one
// thread touches is read and written through a ShmAtomics; the structures in
// this directory never call `Atomics` themselves. Production code uses
// `realAtomics`; the model tests pass a stepping implementation that stops
// the calling actor at each operation, so a test can interleave an owner and
// its stealers one shared-memory access at a time.
//
// Rules for code written against this seam (the model tests depend on them):
//   - Every access to a shared word goes through the seam, including the
//     owner's reads of words only it writes: those through loadOwn, which
//     is a plain read in production (on Node 20 an Atomics call is a builtin
//     call, ~16 ns, against ~1 ns for a read the JIT inlines) and a step like
//     any other in the model tests; and reads whose value only a CAS of the
//     same word acts on (loadHint, plain too).
//   - An operation keeps its state in the shared buffer or in locals: between
//     two seam calls it changes no JavaScript state that outlives the call
//     (a scratch array written, then read, within the call is fine), and its
//     result depends only on its arguments and what the seam returned. The
//     model test pauses an operation by throwing from the seam and resumes
//     it by replaying it (test/internal/shm/runq.model.test.ts).
//
// All `Atomics` operations are sequentially consistent; JavaScript has no
// weaker orderings. The `Ordering:` comments at call sites say which partner
// operation each access synchronises with, as if they were acquire/release,
// so that the argument still holds if a weaker seam is ever added.

/** The shared-memory operations the scheduler's lock-free structures use. */
export interface ShmAtomics {
  /** Atomic read of `a[i]`. */
  load(a: Int32Array, i: number): number;
  /**
   * Read of `a[i]`, a word that only the calling thread writes (or that it
   * took over through an acquire, as an M takes a P): its own stores are
   * seen in program order, so no atomic is needed.
   */
  loadOwn(a: Int32Array, i: number): number;
  /**
   * Read of `a[i]`, a word other threads write, where a stale value is
   * harmless: the caller acts on it only through a compareExchange of the
   * same word (which fails if the word changed) or by looking again. A plain
   * read in production, like loadOwn; the acquire is that compareExchange's.
   */
  loadHint(a: Int32Array, i: number): number;
  /** Atomic write of `a[i] = v`. */
  store(a: Int32Array, i: number, v: number): void;
  /** Atomic compare-and-swap: if `a[i] === expected` then `a[i] = v`; returns the old value either way. */
  compareExchange(a: Int32Array, i: number, expected: number, v: number): number;
  /** Atomic `a[i] += v` (wrapping at 32 bits); returns the old value. */
  add(a: Int32Array, i: number, v: number): number;
  /**
   * Sleeps while `a[i] === expected`, at most `timeoutMs` (Infinity: no
   * limit). May return early for no reason (callers loop), as futexes do.
   */
  wait(a: Int32Array, i: number, expected: number, timeoutMs: number): void;
  /** Wakes up to `count` threads sleeping in wait() on `a[i]`. */
  notify(a: Int32Array, i: number, count: number): void;
}

/** The production implementation: `Atomics` itself. */
export const realAtomics: ShmAtomics = {
  load: (a, i) => Atomics.load(a, i),
  loadOwn: (a, i) => a[i] as number,
  loadHint: (a, i) => a[i] as number,
  store: (a, i, v) => {
    Atomics.store(a, i, v);
  },
  compareExchange: (a, i, expected, v) => Atomics.compareExchange(a, i, expected, v),
  add: (a, i, v) => Atomics.add(a, i, v),
  wait: (a, i, expected, timeoutMs) => {
    Atomics.wait(a, i, expected, timeoutMs);
  },
  notify: (a, i, count) => {
    Atomics.notify(a, i, count);
  },
};
