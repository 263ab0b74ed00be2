/**
 * gort/sync: Go's sync package — WaitGroup, Mutex, RWMutex, Once (and
 * onceFunc/onceValue/onceValues), Cond, with Go's semantics and Go's panic
 * messages as thrown RuntimeErrors.
 *
 * Every operation that may block returns a promise: `await mu.lock()` is
 * Go's `mu.Lock()`. A lock held for a scope can be released with `using`:
 * `using _ = await mu.locked();` is Go's `mu.Lock(); defer mu.Unlock()`.
 *
 * Which to use: a WaitGroup to wait for a set of goroutines; a Mutex (or an
 * RWMutex for read-mostly data) to guard state shared by goroutines that
 * `await` while using it; Once/onceValue for lazy initialisation; Cond
 * rarely — a channel usually says the same more simply.
 *
 * @module
 */
// sync/atomic's types register their shared-object kinds when loaded; worker
// threads load this module, so they can take atomics from other threads even
// when no task module of theirs imports gort/sync/atomic.
import "./atomic/index.ts";
export { Cond } from "./cond.ts";
export { LockGuard, type Locker } from "./locker.ts";
export { Mutex } from "./mutex.ts";
export { Once, onceFunc, onceValue, onceValues } from "./once.ts";
export { RWMutex } from "./rwmutex.ts";
export { WaitGroup } from "./waitgroup.ts";
export type { SyncOptions } from "../internal/mn/syncobj.ts";
