// Virtual time for tests (Go: testing/synctest's fake clock). While a bubble
// is active, every gort timer (TimerHandle: sleep, Timer, Ticker, after,
// afterFunc, context deadlines) is put in this queue instead of Node's timer
// list, and the clock (clock.ts) reads `now`. The bubble's driver (testing/
// synctest.ts) advances `now` to the earliest deadline whenever every
// goroutine is blocked, and fires what is due.

/** A pending virtual timer. */
export interface VirtualTimer {
  readonly when: number;
  readonly seq: number;
  readonly fire: () => void;
}

export class VirtualTimers {
  now: number;
  /** Pending timers, ordered by (when, seq): earliest first, FIFO among equals. */
  readonly queue: VirtualTimer[] = [];
  #seq = 0;

  constructor(start: number) {
    this.now = start;
  }

  add(when: number, fire: () => void): VirtualTimer {
    const t: VirtualTimer = { when, seq: this.#seq++, fire };
    // Binary search for the first entry that fires after t.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.queue[mid] as VirtualTimer;
      if (m.when < when || (m.when === when && m.seq < t.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, t);
    return t;
  }

  remove(t: VirtualTimer): void {
    const i = this.queue.indexOf(t);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Advances the clock to the earliest timer and fires every timer due then. Returns false if none is pending. */
  advance(): boolean {
    const first = this.queue[0];
    if (first === undefined) return false;
    if (first.when > this.now) this.now = first.when;
    while (this.queue.length > 0 && (this.queue[0] as VirtualTimer).when <= this.now) {
      (this.queue.shift() as VirtualTimer).fire();
    }
    return true;
  }
}

/** The active bubble's timers, or null (real time). */
export let virtual: VirtualTimers | null = null;

export function setVirtual(v: VirtualTimers | null): void {
  virtual = v;
}
