// time.Timer, time.After and time.AfterFunc, with Go 1.23 semantics: the
// timer's channel is synchronous as far as the program can tell (len and cap
// are 0), so no value from before a stop() or reset() is ever received, and
// stop() reports true while the value has not been received.

import type { RecvChan } from "../chan.ts";
import { checkDuration, describe } from "../errors.ts";
import { LocalChan } from "../internal/hchan.ts";
import { spawn } from "../internal/sched.ts";
import { TimerHandle } from "../internal/timer.ts";
import type { Duration } from "./duration.ts";

/**
 * A single event after a duration (Go: time.Timer). Made by newTimer() (the
 * time arrives on `c`) or afterFunc() (a function runs in its own goroutine).
 */
export class Timer {
  /**
   * The channel on which the time is delivered (Go: t.C). For a timer made by
   * afterFunc it never delivers (Go: nil).
   */
  readonly c: RecvChan<Date>;
  readonly #chan: LocalChan<Date> | null;
  readonly #fn: (() => unknown) | null;
  readonly #handle: TimerHandle;

  /** @internal Use newTimer() or afterFunc(). */
  constructor(d: Duration, fn: (() => unknown) | null) {
    this.#fn = fn;
    if (fn === null) {
      const ch = new LocalChan<Date>(1, true);
      this.#chan = ch;
      this.c = ch;
      // Keep the process alive only while a goroutine waits on the channel.
      this.#handle = new TimerHandle(this.#fire, false);
      ch.recvq.onActive = (waiting) => this.#handle.setKeepAlive(waiting);
    } else {
      this.#chan = null;
      this.c = new LocalChan<Date>(0, true);
      // The function may wake goroutines, so a pending afterFunc keeps the process alive.
      this.#handle = new TimerHandle(this.#fire, true);
    }
    this.#handle.arm(d);
  }

  /**
   * Stops the timer (Go: Timer.Stop). Returns true if this call stopped it
   * before it delivered (for a channel timer: before its value was
   * received), false if it had already fired or been stopped.
   */
  stop(): boolean {
    let pending = this.#handle.armed;
    this.#handle.disarm();
    if (this.#chan !== null && this.#chan.drain()) pending = true;
    return pending;
  }

  /**
   * Restarts the timer to fire after `d` (Go: Timer.Reset). Returns what
   * stop() would have. No value from before the reset is received after it.
   */
  reset(d: Duration): boolean {
    checkDuration("Timer.reset", d);
    const pending = this.stop();
    this.#handle.arm(d);
    return pending;
  }

  #fire = (): void => {
    const ch = this.#chan;
    if (ch !== null) ch.pollSend(new Date());
    else spawn(this.#fn as () => unknown, null);
  };
}

/** Starts a timer that sends the current time on its channel after `d` (Go: time.NewTimer). */
export function newTimer(d: Duration): Timer {
  checkDuration("newTimer", d);
  return new Timer(d, null);
}

/**
 * A channel that receives the current time after `d` (Go: time.After). The
 * timer keeps the process alive only while a goroutine waits on it.
 */
export function after(d: Duration): RecvChan<Date> {
  checkDuration("after", d);
  return new Timer(d, null).c;
}

/** Runs `fn` in its own goroutine after `d` (Go: time.AfterFunc). Stop the returned timer to cancel it. */
export function afterFunc(d: Duration, fn: () => unknown): Timer {
  checkDuration("afterFunc", d);
  if (typeof fn !== "function") throw new TypeError(`afterFunc: fn must be a function, received ${describe(fn)}`);
  return new Timer(d, fn);
}
