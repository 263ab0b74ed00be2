// Port of Go's test/chan/select5.go. Go's program generates a program with
// one function per combination of: a send or receive on a ready buffered
// channel, written as a plain operation or as a select case; a default case
// before it, after it, or absent; and any subset of distractor cases (send and
// receive on a channel nobody uses, send and receive on a nil channel). The
// generated program checks that the right case fires, that no other case's
// body runs, and that case operands are evaluated in source order before the
// chosen case's body. The compiler-specific parts (which kind of assignment
// receives the value: `*f(&x) =`, `m[k] =`, interface) have no TypeScript
// counterpart; here the combinations are enumerated at run time instead.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type Chan, chan, defaultCase, type RecvChan, recv, type SelectCase, select, type SendChan, send } from "gort";

const DISTRACTORS = ["dummy send", "dummy receive", "nil send", "nil receive"] as const;
type Distractor = (typeof DISTRACTORS)[number];
type DefaultPlace = "none" | "before" | "after";

/** Every subset of the distractor cases, in a fixed order. */
const subsets: Distractor[][] = Array.from({ length: 1 << DISTRACTORS.length }, (_, mask) =>
  DISTRACTORS.filter((_, i) => (mask & (1 << i)) !== 0),
);

/** Records the order in which case operands and bodies are evaluated. */
class Order {
  readonly log: number[] = [];
  /** Go: fc(c, o) */
  chan<C>(c: C, o: number): C {
    this.log.push(o);
    return c;
  }
  /** Go: fn(n, o) */
  value(n: number, o: number): number {
    this.log.push(o);
    return n;
  }
  assertIncreasing(): void {
    for (let i = 1; i < this.log.length; i++) {
      assert.ok((this.log[i] as number) > (this.log[i - 1] as number), `evaluation order ${this.log.join(", ")}`);
    }
  }
}

const dummy = chan<number>();
const nilch: Chan<number> | null = null;

/** The distractor cases, operands evaluated through `order` from `o` on; their bodies must not run. */
function distractorCases(which: readonly Distractor[], order: Order, o: number): SelectCase<string>[] {
  const fail = (what: string) => (): never => assert.fail(`${what} fired`);
  return which.map((d, k) => {
    const at = o + 2 * k;
    switch (d) {
      case "dummy send":
        return send(order.chan<SendChan<number>>(dummy, at), order.value(1, at + 1), fail(d));
      case "dummy receive":
        return recv(order.chan<RecvChan<number>>(dummy, at), fail(d));
      case "nil send":
        return send(order.chan(nilch, at), order.value(1, at + 1), fail(d));
      case "nil receive":
        return recv(order.chan(nilch, at), fail(d));
    }
  });
}

/** Places the default case; a ready or nonblocking select must not take it unless told. */
function withDefault(place: DefaultPlace, real: SelectCase<string>[], rest: SelectCase<string>[], body: () => string): SelectCase<string>[] {
  const d = defaultCase(body);
  if (place === "before") return [d, ...real, ...rest];
  if (place === "after") return [...real, d, ...rest];
  return [...real, ...rest];
}

const places: DefaultPlace[] = ["none", "before", "after"];
const label = (place: DefaultPlace, ds: readonly Distractor[]): string =>
  `default ${place}; distractors: ${ds.length === 0 ? "none" : ds.join(", ")}`;

test("a ready receive case fires, with its value, among every mix of default and distractor cases", async () => {
  const c = chan<number>(1);
  let n = 1;
  await c.send(n);
  assert.equal(await c.recv(), n, "plain receive");
  for (const place of places) {
    for (const ds of subsets) {
      n++;
      await c.send(n);
      const order = new Order();
      const fired = await select(
        withDefault(
          place,
          [recv(order.chan(c, 1), (v) => `received ${order.value(v as number, 100)}`)],
          distractorCases(ds, order, 2),
          () => assert.fail("nonblock: default fired with a ready receive"),
        ),
      );
      assert.equal(fired, `received ${n}`, label(place, ds));
      order.assertIncreasing();
      assert.equal(c.len(), 0);
    }
  }
});

test("a ready send case fires, with its value, among every mix of default and distractor cases", async () => {
  const c = chan<number>(1);
  let n = 1;
  await c.send(n);
  assert.equal(await c.recv(), n, "plain send");
  for (const place of places) {
    for (const ds of subsets) {
      n++;
      const order = new Order();
      const fired = await select(
        withDefault(
          place,
          [send(order.chan(c, 1), order.value(n, 2), () => `sent ${order.value(n, 100)}`)],
          distractorCases(ds, order, 3),
          () => assert.fail("nonblock: default fired with a ready send"),
        ),
      );
      assert.equal(fired, `sent ${n}`, label(place, ds));
      order.assertIncreasing();
      assert.equal(await c.recv(), n, `value received after: ${label(place, ds)}`);
    }
  }
});

test("with no case ready, the default fires and no receive case's body runs, wherever the default is", async () => {
  for (const place of ["before", "after"] as const) {
    for (const ds of subsets) {
      const order = new Order();
      const fired = await select(withDefault(place, [], distractorCases(ds, order, 1), () => "default"));
      assert.equal(fired, "default", label(place, ds));
      order.assertIncreasing();
    }
  }
  assert.equal(dummy.trySend(0), false, "no select left a receiver on the dummy channel");
  assert.deepEqual(dummy.tryRecv(), { ok: false, closed: false }, "no select left a sender on the dummy channel");
});
