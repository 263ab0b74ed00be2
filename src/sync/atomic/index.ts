/**
 * gort/sync/atomic: Go's sync/atomic types — Int32, Uint32, Int64, Uint64
 * (bigint) and Bool — with Go's methods in camelCase: `load`, `store`,
 * `swap`, `compareAndSwap`, `add`, plus `sub`, and `and`/`or` (Go 1.23) on
 * the integer types.
 *
 * Each lives in the shared heap of the M:N runtime (making the first one
 * starts it), so goroutines on every thread see the same value: pass one to
 * a portable goroutine (`task()`) or send it on a shared channel and it
 * travels by reference, not as a copy. Integer arithmetic wraps around as
 * Go's does; an argument the Go type cannot hold is a TypeError (wrong type)
 * or a RangeError (out of range), never silently truncated.
 *
 * Which to use: an atomic for a counter, a flag or a small state word that
 * goroutines on several threads update without waiting; a shared Mutex when
 * several values must change together; a shared channel to hand data over.
 *
 * @module
 */
export { Bool } from "./bool.ts";
export { Int32, Uint32 } from "./int32.ts";
export { Int64, Uint64 } from "./int64.ts";
