// Port of Go's test/chan/powser1.go: M. Douglas McIlroy's power series, in
// which a series is a demand channel (ask on `req`, get the next rational
// coefficient on `dat`) served by its own goroutine. Sums, products,
// derivatives, integrals, exponentials and substitutions are networks of
// goroutines; the product and the exponential grow new goroutines as terms
// are demanded, and `split` copies one series to two consumers that read at
// different rates. See "Squinting at Power Series", McIlroy (1990).
//
// powser2.go is the same program with channels of interface values; with no
// such distinction in TypeScript it is not ported separately.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chan, go, type RecvChan, recv, type SendChan, select, send } from "gort";

// --- Rationals ---

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (a !== 0) [a, b] = [b % a, a];
  return b;
}

/** An exact rational in lowest terms with a positive denominator; den 0 marks the end of a series. */
class Rat {
  readonly num: number;
  readonly den: number;

  private constructor(num: number, den: number) {
    this.num = num;
    this.den = den;
  }

  static of(num: number, den = 1): Rat {
    if (den === 0) throw new RangeError("zero denominator");
    const g = gcd(num, den);
    const sign = den < 0 ? -1 : 1;
    return new Rat((sign * num) / g || 0, (sign * den) / g);
  }

  /** The end-of-series mark. */
  static readonly END = new Rat(1, 0);

  get isEnd(): boolean {
    return this.den === 0;
  }

  plus(o: Rat): Rat {
    if (this.isEnd || o.isEnd) return Rat.END;
    const g = gcd(this.den, o.den);
    return Rat.of(this.num * (o.den / g) + o.num * (this.den / g), this.den * (o.den / g));
  }

  times(o: Rat): Rat {
    if (this.isEnd || o.isEnd) return Rat.END;
    const g1 = gcd(this.num, o.den) || 1;
    const g2 = gcd(this.den, o.num) || 1;
    return Rat.of((this.num / g1) * (o.num / g2), (this.den / g2) * (o.den / g1));
  }

  negate(): Rat {
    return Rat.of(-this.num, this.den);
  }

  minus(o: Rat): Rat {
    return this.plus(o.negate());
  }

  toString(): string {
    if (this.isEnd) return "end";
    return this.den === 1 ? `${this.num}` : `${this.num}/${this.den}`;
  }
}

const ZERO = Rat.of(0);
const ONE = Rat.of(1);

// --- Demand channels ---

/** A power series: send on `req` to ask for the next coefficient, receive it on `dat`. */
class PS {
  readonly req = chan<void>();
  readonly dat = chan<Rat>();
}

/**
 * Two consumers' views of one series. split() swaps the two entries in place
 * (shared by every generation of the splitter) so that [0] is always the
 * view being served ahead.
 */
type PSPair = [PS, PS];

const newPair = (): PSPair => [new PS(), new PS()];

async function take(c: RecvChan<Rat>): Promise<Rat> {
  const [v, ok] = await c.recvOk();
  if (!ok) throw new Error("series channel closed");
  return v;
}

/** Demands and returns the next coefficient of `u`. */
async function get(u: PS): Promise<Rat> {
  await u.req.send();
  return take(u.dat);
}

/** Serves one demand on `z` with `r`. */
async function put(r: Rat, z: PS): Promise<void> {
  await z.req.recv();
  await z.dat.send(r);
}

/** Gets the next coefficient of `u` and of `v`, asking and receiving in whatever order they are ready. */
async function get2(u: PS, v: PS): Promise<[Rat, Rat]> {
  const ins = [u, v] as const;
  const req: (SendChan<void> | null)[] = [u.req, v.req];
  const dat: (RecvChan<Rat> | null)[] = [null, null];
  const out: Rat[] = [ZERO, ZERO];
  // Two requests and two replies; a nil channel disables a step until its turn.
  for (let step = 0; step < 4; step++) {
    await select(
      [0, 1].flatMap((i) => [
        send(req[i] ?? null, undefined, () => {
          req[i] = null;
          dat[i] = (ins[i] as PS).dat;
        }),
        recv(dat[i] ?? null, (r) => {
          out[i] = r as Rat;
          dat[i] = null;
        }),
      ]),
    );
  }
  return [out[0] as Rat, out[1] as Rat];
}

/** Serves every demand on `z` with the next coefficient of `u`, forever. */
async function copyTo(u: PS, z: PS): Promise<void> {
  for (;;) {
    await z.req.recv();
    await z.dat.send(await get(u));
  }
}

/**
 * One generation of a splitter: fetches one coefficient of `src` and delivers
 * it to both views in `out`. It serves the first view to ask, starts the next
 * generation as soon as it has asked `src`, and serves the slower view only
 * once the previous generation (signalling on `wait`) has finished.
 */
async function splitGeneration(src: PS, out: PSPair, wait: RecvChan<void>): Promise<void> {
  let both = false; // whether this generation may serve either view first
  await select([recv(out[0].req), recv(wait, () => (both = true))]);
  if (both) {
    await select([
      recv(out[0].req),
      recv(out[1].req, () => {
        [out[0], out[1]] = [out[1], out[0]];
      }),
    ]);
  }
  await src.req.send();
  const release = chan<void>();
  go(splitGeneration, src, out, release);
  const r = await take(src.dat);
  await out[0].dat.send(r);
  if (!both) await wait.recv();
  await out[1].req.recv();
  await out[1].dat.send(r);
  await release.send();
}

/** Makes `out` two copies of `src`. */
async function split(src: PS, out: PSPair): Promise<void> {
  const release = chan<void>();
  go(splitGeneration, src, out, release);
  await release.send();
}

// --- Power series ---

/** A series served by `body` in its own goroutine. */
function series(body: (z: PS) => Promise<void>): PS {
  const z = new PS();
  go(body, z);
  return z;
}

/** c, c, c, ... */
const rep = (c: Rat): PS =>
  series(async (z) => {
    for (;;) await put(c, z);
  });

/** Two copies of `u`. */
function splitSeries(u: PS): PSPair {
  const pair = newPair();
  go(split, u, pair);
  return pair;
}

const add = (u: PS, v: PS): PS =>
  series(async (z) => {
    for (;;) {
      await z.req.recv();
      const [a, b] = await get2(u, v);
      if (!a.isEnd && !b.isEnd) {
        await z.dat.send(a.plus(b));
      } else if (!b.isEnd) {
        await z.dat.send(b);
        await copyTo(v, z);
      } else if (!a.isEnd) {
        await z.dat.send(a);
        await copyTo(u, z);
      } else {
        await z.dat.send(Rat.END);
      }
    }
  });

/** c·U */
const cmul = (c: Rat, u: PS): PS =>
  series(async (z) => {
    for (;;) {
      await z.req.recv();
      const a = await get(u);
      if (a.isEnd) break;
      await z.dat.send(c.times(a));
    }
    await z.dat.send(Rat.END);
  });

const sub = (u: PS, v: PS): PS => add(u, cmul(ONE.negate(), v));

/**
 * U·V. With U = u + x·UU and V = v + x·VV:
 * U·V = u·v + x·(u·VV + v·UU) + x²·UU·VV.
 */
const mul = (u: PS, v: PS): PS =>
  series(async (z) => {
    await z.req.recv();
    const [a, b] = await get2(u, v);
    if (a.isEnd || b.isEnd) {
      await z.dat.send(Rat.END);
      return;
    }
    await z.dat.send(a.times(b));
    const uu = splitSeries(u);
    const vv = splitSeries(v);
    const w = add(cmul(a, vv[0]), cmul(b, uu[0]));
    await z.req.recv();
    await z.dat.send(await get(w));
    await copyTo(add(w, mul(uu[1], vv[1])), z);
  });

/** dU/dx */
const diff = (u: PS): PS =>
  series(async (z) => {
    await z.req.recv();
    if (!(await get(u)).isEnd) {
      for (let i = 1; ; i++) {
        const a = await get(u);
        if (a.isEnd) break;
        await z.dat.send(Rat.of(i).times(a));
        await z.req.recv();
      }
    }
    await z.dat.send(Rat.END);
  });

/** c + ∫U dx */
const integ = (c: Rat, u: PS): PS =>
  series(async (z) => {
    await put(c, z);
    for (let i = 1; ; i++) {
      await z.req.recv();
      const a = await get(u);
      await z.dat.send(Rat.of(1, i).times(a));
      if (a.isEnd) return;
    }
  });

/** exp(U) for U with constant term 0: Z = exp(U) solves Z' = Z·U', Z(0) = 1. Its constant term is ignored. */
async function exp(u: PS): Promise<PS> {
  const zz = newPair();
  await split(integ(ONE, mul(zz[0], diff(u))), zz);
  return zz[1];
}

/** U(c·xⁿ): coefficient i is multiplied by cⁱ and followed by n-1 zeros. */
const monSubst = (u: PS, c0: Rat, n: number): PS =>
  series(async (z) => {
    for (let c = ONE; ; c = c.times(c0)) {
      await z.req.recv();
      const a = await get(u);
      await z.dat.send(a.times(c));
      if (a.isEnd) return;
      for (let i = 1; i < n; i++) await put(ZERO, z);
    }
  });

// --- Tests ---

const N = 10;

/** Demands the first terms of `u` and compares them with `expected`. */
async function expectTerms(u: PS, expected: readonly Rat[]): Promise<void> {
  const got: string[] = [];
  for (let i = 0; i < expected.length; i++) got.push(String(await get(u)));
  assert.deepEqual(got, expected.map(String));
}

const terms = (n: number, f: (i: number) => Rat): Rat[] => Array.from({ length: n }, (_, i) => f(i));

const ones = (): PS => rep(ONE); // 1/(1-x)
const twos = (): PS => rep(Rat.of(2));

test("power series of constants: 1 1 1 …, and sums 1+1 = 2, 1+2 = 3", async () => {
  await expectTerms(ones(), terms(5, () => ONE));
  await expectTerms(add(ones(), ones()), terms(5, () => Rat.of(2)));
  await expectTerms(add(ones(), twos()), terms(5, () => Rat.of(3)));
});

test("power series derivative: d/dx 1/(1-x) = 1 2 3 4 …", async () => {
  await expectTerms(diff(ones()), terms(N, (i) => Rat.of(i + 1)));
});

test("power series integral: ∫ 1/(1-x) = 0 1 1/2 1/3 …", async () => {
  await expectTerms(integ(ZERO, ones()), terms(N, (i) => (i === 0 ? ZERO : Rat.of(1, i))));
});

test("power series scaling and difference: -1·2 = -2 …, 1 - 2 = -1 …", async () => {
  await expectTerms(cmul(ONE.negate(), twos()), terms(N, () => Rat.of(-2)));
  await expectTerms(sub(ones(), twos()), terms(5, () => Rat.of(-1)));
});

test("power series product (splitters, growing goroutine network): 1/(1-x)² = 1 2 3 4 …", async () => {
  await expectTerms(mul(ones(), ones()), terms(N, (i) => Rat.of(i + 1)));
});

test("power series exponential (feedback through a split): exp(x/(1-x)) = 1 1 3/2 13/6 73/24 …", async () => {
  const expected = [
    Rat.of(1),
    Rat.of(1),
    Rat.of(3, 2),
    Rat.of(13, 6),
    Rat.of(73, 24),
    Rat.of(167, 40),
    Rat.of(4051, 720),
    Rat.of(37633, 5040),
    Rat.of(43817, 4480),
    Rat.of(4596553, 362880),
  ];
  await expectTerms(await exp(ones()), expected);
});

test("power series substitution: ∫ 1/(1+x²) = arctan x = 0 1 0 -1/3 0 1/5 …", async () => {
  const atan = integ(ZERO, monSubst(ones(), ONE.negate(), 2));
  await expectTerms(
    atan,
    terms(N, (i) => (i % 2 === 0 ? ZERO : Rat.of(i % 4 === 1 ? 1 : -1, i))),
  );
});

test("power series of finite length end with the end mark, and a sum goes on with the longer one (gort)", async () => {
  /** 1, then the end mark on every later demand. */
  const justOne = (): PS =>
    series(async (z) => {
      await put(ONE, z);
      for (;;) await put(Rat.END, z);
    });
  await expectTerms(cmul(Rat.of(2), justOne()), [Rat.of(2), Rat.END]);
  await expectTerms(add(justOne(), ones()), [Rat.of(2), ONE, ONE, ONE]);
  await expectTerms(add(twos(), justOne()), [Rat.of(3), Rat.of(2), Rat.of(2)]);
});
