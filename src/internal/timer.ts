// One pending callback on the Node.js timer list, with what Node's own
// setTimeout lacks for Go's timers (Go: runtime timers in time.go):
//   - delays beyond 2^31−1 ms, which setTimeout clamps to 1 ms: the wait is
//     cut into chunks of at most MAX_DELAY;
//   - never firing early: Node's timers count whole milliseconds of loop
//     time and can fire up to 1 ms before `delay` has passed; Go promises at
//     least `d`, so the handle keeps its own deadline and re-arms for what is
//     left;
//   - a keep-alive switch: a timer keeps the process alive only while some
//     goroutine waits on it, so an unrelated timer cannot hide a deadlock or
//     hold the program open (ref/unref).

import { baseNow } from "./clock.ts";
import { tracer, traceTimerFire } from "./trace.ts";
import { virtual, type VirtualOwner, type VirtualTimer, type VirtualTimers } from "./vtime.ts";

/** The longest delay setTimeout honours (2^31−1 ms, about 24.8 days). */
export const MAX_DELAY = 2 ** 31 - 1;

/** Timers armed now, for readMemStats. */
export let armedTimers = 0;

export class TimerHandle implements VirtualOwner {
  #timeout: NodeJS.Timeout | null = null;
  // synctest (vtime.ts): the bubble active when the handle was made, or null
  // (real time); the pending virtual timer, or null.
  readonly #bubble: VirtualTimers | null = virtual;
  #virtual: VirtualTimer | null = null;
  /** Time at which the callback may run: baseNow(), or the bubble's virtual clock. */
  #deadline = 0;
  #keepAlive: boolean;
  readonly #fire: () => void;

  constructor(fire: () => void, keepAlive: boolean) {
    this.#fire = fire;
    this.#keepAlive = keepAlive;
  }

  get armed(): boolean {
    return this.#timeout !== null || this.#virtual !== null;
  }

  /** Arms the timer to fire after `delay` ms (≤ 0: on the next timer turn). Disarms it first. */
  arm(delay: number): void {
    this.disarm();
    armedTimers++;
    const b = this.#bubble;
    if (b !== null && b.active) {
      this.#deadline = b.now + (delay > 0 ? delay : 0);
      this.#virtual = b.add(this.#deadline, this);
      return;
    }
    this.#deadline = baseNow() + (delay > 0 ? delay : 0);
    this.#next(delay > 0 ? delay : 0);
  }

  disarm(): void {
    if (this.#timeout !== null) {
      clearTimeout(this.#timeout);
      this.#timeout = null;
      armedTimers--;
    } else if (this.#virtual !== null) {
      this.#bubble?.remove(this.#virtual);
      this.#virtual = null;
      armedTimers--;
    }
  }

  /** The clock this timer runs on: its bubble's virtual time while that lasts, else baseNow(). */
  now(): number {
    const b = this.#bubble;
    return b !== null && b.active ? b.now : baseNow();
  }

  /** @internal The bubble's virtual time reached the deadline (vtime.ts). */
  fireVirtual(): void {
    this.#virtual = null;
    armedTimers--;
    if (tracer !== null) traceTimerFire(tracer, this.#fire);
    else this.#fire();
  }

  /** @internal The bubble ended with this timer pending: it never fires (vtime.ts). */
  dropVirtual(): void {
    this.#virtual = null;
    armedTimers--;
  }

  /** Whether the pending callback keeps the Node.js process alive. */
  setKeepAlive(on: boolean): void {
    this.#keepAlive = on;
    const t = this.#timeout;
    if (t !== null) {
      if (on) t.ref();
      else t.unref();
    }
  }

  #next(wait: number): void {
    const t = setTimeout(this.#onTimeout, Math.min(wait, MAX_DELAY));
    if (!this.#keepAlive) t.unref();
    this.#timeout = t;
  }

  #onTimeout = (): void => {
    const left = this.#deadline - baseNow();
    if (left > 0) {
      // Early (rounding), or one chunk of a long delay done: wait for the rest.
      this.#next(Math.ceil(left));
      return;
    }
    this.#timeout = null;
    armedTimers--;
    if (tracer !== null) traceTimerFire(tracer, this.#fire);
    else this.#fire();
  };
}
