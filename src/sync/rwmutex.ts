// sync.RWMutex (Go: src/sync/rwmutex.go, Go 1.19: the readerCount/readerWait
// scheme).
//
// A writer first takes the inner mutex `w` (so writers queue among
// themselves), then subtracts rwmutexMaxReaders from readerCount: from then
// on readerCount is negative and every new rLock() parks on readerSem, so a
// waiting writer blocks new readers and cannot be starved by them. The
// readers already inside are counted into readerWait; the last of them to
// leave releases writerSem and the writer proceeds. unlock() adds
// rwmutexMaxReaders back and releases exactly the readers that queued
// meanwhile, then unlocks `w` for the next writer.
//
// Where the state lives: the rules below touch the lock only through an
// RWMutexState (two Words, two Semas and a MutexState, see
// internal/sema.ts). RWMutex holds a LocalRWMutexState; a shared-memory
// RWMutex passes one whose words and semaphores live in a SharedArrayBuffer.
//
// Invariants: readerCount = (active + waiting readers) − (rwmutexMaxReaders
// if a writer holds or is acquiring the lock); readerWait = readers the
// acquiring writer still waits for; `w` is held exactly while a writer
// holds or is acquiring the lock.

import { RuntimeError } from "../errors.ts";
import { type G, running, WaitReason } from "../internal/g.ts";
import { nonBlocking, RESOLVED } from "../internal/sched.ts";
import { LocalSema, LocalWord, type Sema, type Word } from "../internal/sema.ts";
import { LockGuard, type Locker } from "./locker.ts";
import { LocalMutexState, type MutexState, mutexLock, mutexTryLock, mutexUnlock } from "./mutex.ts";
import { LOCAL_ONLY } from "../internal/mn/localonly.ts";
import { defineKind, ObjKind, SHARED_REF } from "../internal/mn/object.ts";
import { destroySemas, fields, SharedRWMutexState, RWMUTEX_WORDS } from "../internal/mn/syncstate.ts";
import { claim, localAdvice, sharedBlock, type SyncOptions, wrapAs } from "../internal/mn/syncobj.ts";

const rwmutexMaxReaders = 1 << 30;

/** Where an RWMutex's state lives (see the file header). */
export interface RWMutexState {
  /** Held while a writer holds or acquires the lock. */
  readonly w: MutexState;
  /** Writers wait here for the departing readers. */
  readonly writerSem: Sema;
  /** Readers wait here for the writer. */
  readonly readerSem: Sema;
  /** Pending readers, minus rwmutexMaxReaders while a writer is pending. */
  readonly readerCount: Word;
  /** Readers a pending writer still waits for. */
  readonly readerWait: Word;
}

/** An RWMutexState in plain fields, for goroutines of one thread. */
export class LocalRWMutexState implements RWMutexState {
  readonly w = new LocalMutexState();
  readonly writerSem = new LocalSema();
  readonly readerSem = new LocalSema();
  readonly readerCount = new LocalWord();
  readonly readerWait = new LocalWord();
}

/** Go's RLock. */
export function rwRLock(rw: RWMutexState): Promise<void> {
  if (rw.readerCount.add(1) < 0) {
    // A writer is pending: wait for it.
    return rw.readerSem.acquire(false, WaitReason.SyncRWMutexRLock);
  }
  return nonBlocking();
}

/** Go's TryRLock. */
export function rwTryRLock(rw: RWMutexState): boolean {
  for (;;) {
    const c = rw.readerCount.load();
    if (c < 0) return false;
    if (rw.readerCount.cas(c, c + 1)) return true;
  }
}

/** Go's RUnlock; throws "sync: RUnlock of unlocked RWMutex" (leaving the state as it was). */
export function rwRUnlock(rw: RWMutexState): void {
  const r = rw.readerCount.add(-1);
  if (r < 0) rUnlockSlow(rw, r);
}

function rUnlockSlow(rw: RWMutexState, r: number): void {
  if (r + 1 === 0 || r + 1 === -rwmutexMaxReaders) {
    rw.readerCount.add(1);
    throw new RuntimeError("sync: RUnlock of unlocked RWMutex");
  }
  // A writer is pending; the last departing reader lets it in.
  if (rw.readerWait.add(-1) === 0) rw.writerSem.release(false);
}

/** Go's Lock. */
export function rwLock(rw: RWMutexState): Promise<void> {
  // First, resolve competition with other writers.
  if (mutexTryLock(rw.w)) return announceWriter(rw, running());
  return lockSlow(rw, running());
}

async function lockSlow(rw: RWMutexState, g: G | null): Promise<void> {
  await mutexLock(rw.w, WaitReason.SyncRWMutexLock);
  return announceWriter(rw, g);
}

/** The writer holds `w`: tell readers a writer is pending, and wait for the active ones. */
function announceWriter(rw: RWMutexState, g: G | null): Promise<void> {
  const r = rw.readerCount.add(-rwmutexMaxReaders) + rwmutexMaxReaders;
  if (r !== 0 && rw.readerWait.add(r) !== 0) {
    return rw.writerSem.acquire(false, WaitReason.SyncRWMutexLock, g);
  }
  return nonBlocking();
}

/** Go's TryLock. */
export function rwTryLock(rw: RWMutexState): boolean {
  if (!mutexTryLock(rw.w)) return false;
  if (!rw.readerCount.cas(0, -rwmutexMaxReaders)) {
    mutexUnlock(rw.w);
    return false;
  }
  return true;
}

/** Go's Unlock; throws "sync: Unlock of unlocked RWMutex" (leaving the state as it was). */
export function rwUnlock(rw: RWMutexState): void {
  // Announce to readers there is no active writer.
  const r = rw.readerCount.add(rwmutexMaxReaders);
  if (r >= rwmutexMaxReaders) {
    rw.readerCount.add(-rwmutexMaxReaders);
    throw new RuntimeError("sync: Unlock of unlocked RWMutex");
  }
  // Unblock the readers that queued behind this writer.
  for (let i = 0; i < r; i++) rw.readerSem.release(false);
  // Allow other writers to proceed.
  mutexUnlock(rw.w);
}

/**
 * A reader/writer mutual exclusion lock (Go: sync.RWMutex): held by any
 * number of readers or by one writer. The zero state is unlocked.
 *
 * A writer waiting in `lock()` blocks new readers, so writers are not
 * starved; in particular a goroutine must not rely on taking a second read
 * lock while holding one (if a writer arrived in between, that deadlocks).
 * As with Mutex, the lock belongs to no particular goroutine.
 *
 * Blocking: `lock()` waits with reason "sync.RWMutex.Lock", `rLock()` with
 * "sync.RWMutex.RLock".
 * Panics: `unlock()` when not write-locked throws RuntimeError
 * "sync: Unlock of unlocked RWMutex"; `rUnlock()` when not read-locked throws
 * "sync: RUnlock of unlocked RWMutex".
 *
 * @example
 * ```ts
 * const mu = new RWMutex();
 * const cache = new Map<string, string>();
 * async function get(k: string): Promise<string | undefined> {
 *   await mu.rLock();
 *   try { return cache.get(k); } finally { mu.rUnlock(); }
 * }
 * async function put(k: string, v: string): Promise<void> {
 *   using _ = await mu.locked();
 *   cache.set(k, v);
 * }
 * ```
 */
export class RWMutex implements Locker {
  readonly #rw: RWMutexState;
  /** @internal The shared object's block (undefined: local to this thread). */
  readonly [SHARED_REF]: number | undefined;

  /**
   * Makes a RWMutex, local to this thread unless `options.shared` puts it in
   * shared memory, for goroutines on every thread (portable goroutines,
   * `task()`); a shared one travels by reference.
   */
  constructor(options?: SyncOptions) {
    const block = sharedBlock(options, ObjKind.RWMutex, RWMUTEX_WORDS, "RWMutex");
    this.#rw = block === undefined ? new LocalRWMutexState() : new SharedRWMutexState(fields(block.ref), block.ref);
    this[SHARED_REF] = block?.ref;
    if (block !== undefined) claim(this, block);
  }

  /** @internal What to say when a local RWMutex is passed to another thread. */
  get [LOCAL_ONLY](): string | undefined {
    return this[SHARED_REF] === undefined ? localAdvice("RWMutex", "RWMutex") : undefined;
  }

  /**
   * Locks for reading (Go: RLock): waits while a writer holds the lock or is
   * waiting for it.
   *
   * Blocking: "sync.RWMutex.RLock".
   * @example
   * ```ts
   * await mu.rLock();
   * try { return table.get(key); } finally { mu.rUnlock(); }
   * ```
   */
  rLock(): Promise<void> {
    return rwRLock(this.#rw);
  }

  /**
   * Locks for reading if that needs no wait, and returns whether it did (Go: TryRLock).
   * @example
   * ```ts
   * if (mu.tryRLock()) { try { peek(); } finally { mu.rUnlock(); } }
   * ```
   */
  tryRLock(): boolean {
    return rwTryRLock(this.#rw);
  }

  /**
   * Undoes one `rLock()` (Go: RUnlock); the last reader out lets a waiting writer in.
   *
   * Panics: throws RuntimeError "sync: RUnlock of unlocked RWMutex" if not read-locked.
   * @example
   * ```ts
   * await mu.rLock();
   * mu.rUnlock();
   * ```
   */
  rUnlock(): void {
    rwRUnlock(this.#rw);
  }

  /**
   * Locks for writing (Go: Lock): waits for other writers, then, blocking new
   * readers meanwhile, for the active readers to leave.
   *
   * Blocking: "sync.RWMutex.Lock".
   * @example
   * ```ts
   * await mu.lock();
   * try { table.clear(); } finally { mu.unlock(); }
   * ```
   */
  lock(): Promise<void> {
    return rwLock(this.#rw);
  }

  /**
   * Locks for writing if that needs no wait, and returns whether it did (Go: TryLock).
   * @example
   * ```ts
   * if (mu.tryLock()) { try { compact(); } finally { mu.unlock(); } }
   * ```
   */
  tryLock(): boolean {
    return rwTryLock(this.#rw);
  }

  /**
   * Unlocks for writing (Go: Unlock), letting in the readers that waited, then the next writer.
   *
   * Panics: throws RuntimeError "sync: Unlock of unlocked RWMutex" if not write-locked.
   * @example
   * ```ts
   * await mu.lock();
   * mu.unlock();
   * ```
   */
  unlock(): void {
    rwUnlock(this.#rw);
  }

  /**
   * Write-locks (as `lock()`) and returns a guard that unlocks, with `using` at the end of the scope.
   *
   * Blocking: "sync.RWMutex.Lock".
   * @example
   * ```ts
   * { using _ = await mu.locked(); table.set(k, v); }
   * ```
   */
  locked(): Promise<LockGuard> {
    return guarded(rwLock(this.#rw), this);
  }

  /**
   * Read-locks (as `rLock()`) and returns a guard that read-unlocks, with `using` at the end of the scope.
   *
   * Blocking: "sync.RWMutex.RLock".
   * @example
   * ```ts
   * { using _ = await mu.rLocked(); return table.get(k); }
   * ```
   */
  rLocked(): Promise<LockGuard> {
    return guarded(rwRLock(this.#rw), this.rLocker());
  }

  /**
   * A Locker whose `lock`/`unlock` are this RWMutex's `rLock`/`rUnlock` (Go: RLocker),
   * e.g. for a Cond over the read side.
   * @example
   * ```ts
   * const readers = new Cond(mu.rLocker());
   * ```
   */
  rLocker(): Locker {
    let r = this.#rlocker;
    if (r === null) {
      const rw = this.#rw;
      r = this.#rlocker = { lock: () => rwRLock(rw), unlock: () => rwRUnlock(rw) };
    }
    return r;
  }

  #rlocker: Locker | null = null;
}

/** A guard for `locker` once `acquired` settles (at once if the lock was taken without waiting). */
function guarded(acquired: Promise<void>, locker: Locker): Promise<LockGuard> {
  return acquired === RESOLVED ? Promise.resolve(new LockGuard(locker)) : acquired.then(() => new LockGuard(locker));
}

defineKind(ObjKind.RWMutex, {
  wrap: (ref) => wrapAs(ref, () => new RWMutex()),
  destroy: (ref) => destroySemas(new SharedRWMutexState(fields(ref), ref)),
});
