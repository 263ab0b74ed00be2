/**
 * gort: Go's concurrency runtime for TypeScript.
 *
 * `go` starts goroutines; `chan` makes channels; `select` with `recv`, `send`
 * and `defaultCase` waits on several at once. Timers (`sleep`, `after`,
 * `tick`, ...) are also in `gort/time`; runtime views in `gort/runtime`.
 *
 * Which channel to use: unbuffered (`chan<T>()`) when the sender must know the
 * receiver has the value (synchronisation); buffered (`chan<T>(n)`) to let a
 * producer run ahead by up to n values; a `SendChan`/`RecvChan` parameter to
 * document and enforce the direction a function uses.
 *
 * @module
 */
export type { Chan, RecvChan, RecvOkResult, SendChan, TryRecvResult } from "./chan.ts";
export { chan, isChan } from "./chan.ts";
export * as context from "./context/index.ts";
export { RuntimeError } from "./errors.ts";
export { go } from "./go.ts";
export { task, type Task } from "./internal/mn/task.ts";
export { defaultCase, recv, type SelectCase, type SelectResult, select, send } from "./select.ts";
export {
  after,
  afterFunc,
  type Duration,
  Hour,
  Microsecond,
  Millisecond,
  Minute,
  Nanosecond,
  newTicker,
  newTimer,
  Second,
  sleep,
  Ticker,
  Timer,
  tick,
} from "./time/index.ts";
