// A growable ring buffer: O(1) push, shift (oldest) and pop (newest); no Array.prototype.shift.
//
// Why: Array.shift is O(n) in V8 for large arrays; a queue of a million
// parked receivers woken one by one took minutes with it (research/anchors.md
// finding 1). Go's hchan uses a fixed circular buffer for the same reason.
//
// Invariants: the backing array's length is a power of two; `head` indexes the
// oldest element; `size` elements follow it (wrapping with `mask`). Slots not
// in use hold undefined so that shifted values can be collected.

export class Ring<T> {
  #items: (T | undefined)[];
  #head = 0;
  #size = 0;
  #mask: number;

  constructor(initialCapacity = 8) {
    let n = 8;
    while (n < initialCapacity) n *= 2;
    this.#items = new Array<T | undefined>(n);
    this.#mask = n - 1;
  }

  get size(): number {
    return this.#size;
  }

  push(value: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = value;
    this.#size++;
  }

  /** Removes and returns the oldest element. Precondition: size > 0. */
  shift(): T {
    const i = this.#head;
    const v = this.#items[i] as T;
    this.#items[i] = undefined;
    this.#head = (i + 1) & this.#mask;
    this.#size--;
    return v;
  }

  /** The i-th oldest element (0 is the oldest). Precondition: 0 ≤ i < size. */
  at(i: number): T {
    return this.#items[(this.#head + i) & this.#mask] as T;
  }

  /** Removes and returns the newest element. Precondition: size > 0. */
  pop(): T {
    const i = (this.#head + this.#size - 1) & this.#mask;
    const v = this.#items[i] as T;
    this.#items[i] = undefined;
    this.#size--;
    return v;
  }

  /** Drops every element. */
  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    const old = this.#items;
    const n = old.length;
    const next = new Array<T | undefined>(n * 2);
    for (let i = 0; i < n; i++) next[i] = old[(this.#head + i) & this.#mask];
    this.#items = next;
    this.#head = 0;
    this.#mask = n * 2 - 1;
  }
}
