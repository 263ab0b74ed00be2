// select with a timeout, a ticker, and a timer that is stopped and reset
// (Go: "Go by Example" timeouts, tickers and timers).

import { after, chan, go, Millisecond, newTicker, newTimer, recv, select, sleep } from "gort";

const slow = chan<string>(1);
go(async () => {
  await sleep(50 * Millisecond);
  await slow.send("result 1");
});
console.log(await select([recv(slow, (v) => v), recv(after(10 * Millisecond), () => "timeout 1")]));

const fast = chan<string>(1);
go(async () => {
  await sleep(5 * Millisecond);
  await fast.send("result 2");
});
console.log(await select([recv(fast, (v) => v), recv(after(500 * Millisecond), () => "timeout 2")]));

const ticker = newTicker(10 * Millisecond);
for (let i = 1; i <= 3; i++) {
  await ticker.c.recv();
  console.log(`tick ${i}`);
}
ticker.stop();

const timer = newTimer(1000 * Millisecond);
console.log(`stopped before firing: ${timer.stop()}`);
timer.reset(5 * Millisecond);
await timer.c.recv();
console.log("timer fired after reset");
