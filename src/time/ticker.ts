// time.Ticker and time.Tick, with Go 1.23 semantics (no stale tick after
// stop or reset; len and cap of the channel are 0).

import type { RecvChan } from "../chan.ts";
import { checkDuration } from "../errors.ts";
import { LocalChan } from "../internal/hchan.ts";
import { TimerHandle } from "../internal/timer.ts";
import type { Duration } from "./duration.ts";

/**
 * Delivers the time on `c` every period (Go: time.Ticker). A slow receiver
 * misses ticks rather than queueing them: at most one waits on the channel.
 */
export class Ticker {
  /** The channel on which ticks are delivered (Go: t.C). */
  readonly c: RecvChan<Date>;
  readonly #chan: LocalChan<Date>;
  readonly #handle: TimerHandle;
  #period: number;
  /** The time of the next tick, on the handle's clock. */
  #next = 0;

  /** @internal Use newTicker(). */
  constructor(d: Duration) {
    const ch = new LocalChan<Date>(1, true);
    this.#chan = ch;
    this.c = ch;
    this.#period = d;
    this.#handle = new TimerHandle(this.#fire, false);
    ch.recvq.onActive = (waiting) => this.#handle.setKeepAlive(waiting);
    this.#start();
  }

  /** Stops the ticker; no tick is delivered after it returns (Go: Ticker.Stop). */
  stop(): void {
    this.#handle.disarm();
    this.#chan.drain();
  }

  /** Stops the ticker and restarts it with period `d` (Go: Ticker.Reset). */
  reset(d: Duration): void {
    checkPeriod("Ticker.reset", d);
    this.stop();
    this.#period = d;
    this.#start();
  }

  #start(): void {
    this.#next = this.#handle.now() + this.#period;
    this.#handle.arm(this.#period);
  }

  #fire = (): void => {
    // A non-blocking send: the tick is dropped if the previous one is still
    // unreceived (Go: sendTime).
    this.#chan.pollSend(new Date());
    const t = this.#handle.now(); // real or virtual (synctest), as the handle runs
    this.#next += this.#period;
    // Behind by a whole period or more: skip the missed ticks.
    if (this.#next <= t) this.#next = t + this.#period;
    this.#handle.arm(this.#next - t);
  };
}

function checkPeriod(op: string, d: unknown): number {
  const n = checkDuration(op, d);
  if (n <= 0) throw new RangeError(`non-positive interval for ${op === "newTicker" ? "NewTicker" : "Ticker.Reset"}`);
  return n;
}

/** Starts a ticker with period `d` (Go: time.NewTicker). @throws RangeError if d ≤ 0. */
export function newTicker(d: Duration): Ticker {
  checkPeriod("newTicker", d);
  return new Ticker(d);
}

/**
 * A channel of ticks every `d` (Go: time.Tick). The ticker cannot be stopped;
 * it keeps the process alive only while a goroutine waits on it.
 * @throws RangeError if d ≤ 0 (Go returns nil there).
 */
export function tick(d: Duration): RecvChan<Date> {
  checkPeriod("newTicker", d);
  return new Ticker(d).c;
}
