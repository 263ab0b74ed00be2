// Go's sync.Locker, and the guard that lets TypeScript's `using` release a
// lock at the end of a scope (Go: `mu.Lock(); defer mu.Unlock()`).

/**
 * An object that can be locked and unlocked (Go: sync.Locker). `Mutex`,
 * `RWMutex` and `RWMutex.rLocker()` implement it; `Cond` takes one.
 *
 * @example
 * ```ts
 * async function withLock(l: Locker, f: () => void): Promise<void> {
 *   await l.lock();
 *   try { f(); } finally { l.unlock(); }
 * }
 * ```
 */
export interface Locker {
  /** Acquires the lock, waiting while it is held. */
  lock(): Promise<void>;
  /** Releases the lock. */
  unlock(): void;
}

/**
 * A held lock, released by `unlock()` or, with `using`, at the end of the
 * scope: `using _ = await mu.locked();` is Go's `mu.Lock(); defer mu.Unlock()`.
 * Releasing is idempotent: the first `unlock()`/dispose releases the lock,
 * later ones do nothing (a guard never releases a lock it does not hold).
 *
 * `using` needs `Symbol.dispose`, which Node.js has from 20.4 (and 18.18);
 * TypeScript compiles `using` down for the ES2022 target. On Node 20.0–20.3
 * call `unlock()` instead.
 *
 * @example
 * ```ts
 * const mu = new Mutex();
 * let count = 0;
 * async function increment(): Promise<void> {
 *   using _ = await mu.locked();
 *   count++;
 * } // unlocked here, also if the body throws
 * ```
 */
export class LockGuard implements Disposable {
  #locker: Pick<Locker, "unlock"> | null;

  /** @internal Made by `Mutex.locked()`, `RWMutex.locked()` and `RWMutex.rLocked()`, holding `locker`. */
  constructor(locker: Pick<Locker, "unlock">) {
    this.#locker = locker;
  }

  /** Releases the lock if this guard still holds it. */
  unlock(): void {
    const locker = this.#locker;
    if (locker === null) return;
    this.#locker = null;
    locker.unlock();
  }

  /** Whether this guard still holds its lock. */
  get held(): boolean {
    return this.#locker !== null;
  }

  /** Releases the lock at the end of a `using` scope (same as `unlock()`). */
  [Symbol.dispose](): void {
    this.unlock();
  }
}
