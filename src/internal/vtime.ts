// Virtual time for tests (Go: testing/synctest's fake clock). A TimerHandle
// made while a bubble is active belongs to the bubble (Go: timers created by
// a bubbled goroutine): while the bubble lasts, arming it puts it in this
// queue instead of Node's timer list, and the clock (clock.ts) reads `now`.
// The bubble's driver (testing/synctest.ts) advances `now` to the earliest
// deadline whenever every goroutine is blocked, and fires what is due.
// Timers made before the bubble stay on real time.

/** What a virtual timer calls (a TimerHandle: prototype methods, so arming allocates no closures). */
export interface VirtualOwner {
  /** Virtual time reached the deadline. */
  fireVirtual(): void;
  /** The bubble ended with the timer pending: it never fires. */
  dropVirtual(): void;
}

/** A pending virtual timer. */
export interface VirtualTimer {
  readonly when: number;
  readonly seq: number;
  readonly owner: VirtualOwner;
}

export class VirtualTimers {
  now: number;
  /** False once the bubble has ended: its timers then arm on real time. */
  active = true;
  /** Pending timers, ordered by (when, seq): earliest first, FIFO among equals. */
  readonly queue: VirtualTimer[] = [];
  #seq = 0;

  constructor(start: number) {
    this.now = start;
  }

  add(when: number, owner: VirtualOwner): VirtualTimer {
    const t: VirtualTimer = { when, seq: this.#seq++, owner };
    // Binary search for the first entry that fires after t (seq grows, so after every equal `when`).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.queue[mid] as VirtualTimer).when <= when) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, t);
    return t;
  }

  remove(t: VirtualTimer): void {
    const i = this.queue.indexOf(t);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /**
   * Advances the clock to the earliest timer and fires every timer due then
   * (timers armed by those callbacks for the same instant included).
   * Returns false if none is pending.
   */
  advance(): boolean {
    const first = this.queue[0];
    if (first === undefined) return false;
    if (first.when > this.now) this.now = first.when;
    while (this.queue.length > 0 && (this.queue[0] as VirtualTimer).when <= this.now) {
      (this.queue.shift() as VirtualTimer).owner.fireVirtual();
    }
    return true;
  }

  /** Ends the bubble: pending timers are dropped (they never fire), later arms use real time. */
  end(): void {
    this.active = false;
    const pending = this.queue.splice(0);
    for (const t of pending) t.owner.dropVirtual();
  }
}

/** The active bubble's timers, or null (real time). */
export let virtual: VirtualTimers | null = null;

export function setVirtual(v: VirtualTimers | null): void {
  virtual = v;
}
