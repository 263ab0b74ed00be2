// Cross-thread unbuffered ping-pong (M:N section): main sends i on a shared
// unbuffered channel `ping`; a portable echo goroutine, on a worker thread,
// receives it and sends it back on `pong`. Figure: ns per round trip. Peers:
// Go GOMAXPROCS=2 (bench/go/mnpingpong), raw Atomics (bench/node/atomics_pingpong.mjs).

import { check, type Figure, gc } from "../common.ts";
import { chan, go, gomaxprocs, type RecvChan, type SendChan, task } from "./api.ts";

export const echo = task(
  import.meta,
  async (n: number, ping: RecvChan<number>, pong: SendChan<number>): Promise<void> => {
    for (let i = 0; i < n; i++) await pong.send((await ping.recv()) as number);
  },
);

async function run(n: number): Promise<number> {
  const ping = chan<number>(0, { shared: true });
  const pong = chan<number>(0, { shared: true });
  go(echo, n + 1, ping, pong);
  await ping.send(0); // one round trip before the clock starts: the echo goroutine is running
  await pong.recv();
  let sum = 0;
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) {
    await ping.send(i);
    sum += (await pong.recv()) as number;
  }
  const ms = performance.now() - t0;
  check("pingpong sum", sum, (n * (n + 1)) / 2);
  return ms;
}

export async function main(n: number, warm: number): Promise<Figure> {
  if (warm > 0) await run(warm);
  gc();
  const ms = await run(n);
  return { value: (ms * 1e6) / n, unit: "ns/round trip", n, extra: { gomaxprocs: gomaxprocs() } };
}
