/**
 * gort/time: Go's time package for goroutines: sleep, timers, tickers and
 * durations. Durations are milliseconds (`100 * Millisecond` is 100).
 *
 * Which to use: `sleep` to pause; `after` for a timeout case in a select;
 * `newTimer` when the timeout must be stopped or reset; `afterFunc` to run a
 * function later in its own goroutine; `newTicker`/`tick` for periodic work.
 *
 * @module
 */
export { type Duration, Hour, Microsecond, Millisecond, Minute, Nanosecond, Second } from "./duration.ts";
export { sleep } from "./sleep.ts";
export { newTicker, Ticker, tick } from "./ticker.ts";
export { after, afterFunc, newTimer, Timer } from "./timer.ts";
