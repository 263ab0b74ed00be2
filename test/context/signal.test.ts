// The AbortSignal bridge (ctx.signal, fromSignal), the acceptance tests of
// the context issue, no leaks from short-lived contexts, and the deadline
// timer's keep-alive rule (see README.md beside this file).

import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { runFixture } from "../helpers/fixture.ts";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { chan, go, recv, select } from "gort";
import {
  afterFunc,
  background,
  Canceled,
  type Context,
  cause,
  DeadlineExceeded,
  fromSignal,
  registeredChildren,
  withCancel,
  withCancelCause,
  withTimeout,
  withValue,
} from "gort/context";

test("acceptance (a): a gort context aborts a real fetch to a local server", async (t) => {
  const pending: ServerResponse[] = [];
  let arrived: () => void = () => {};
  const requestArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  // The handler never answers until the test ends.
  const server = createServer((_req, res) => {
    pending.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    for (const res of pending) res.destroy();
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const [ctx, cancel] = withCancel(background());
  const result = fetch(`http://127.0.0.1:${port}/`, { signal: ctx.signal }).then(
    () => null,
    (err: unknown) => err,
  );
  await requestArrived; // the request is in flight, the server holds it
  cancel();
  const err = (await result) as Error & { cause?: unknown };
  assert.ok(err instanceof Error, `fetch should reject, got ${String(err)}`);
  assert.equal(err.name, "AbortError");
  assert.ok(err === ctx.err() || err.cause === ctx.err(), "the rejection is (or is caused by) the context's error");
  assert.equal(ctx.err(), Canceled);
  assert.equal(ctx.signal.reason, Canceled);
});

test("acceptance (b): an AbortController cancels a context a goroutine selects on", async () => {
  const ac = new AbortController();
  const [ctx, cancel] = fromSignal(ac.signal);
  const reason = new Error("user pressed stop");
  const woke = chan<[Error | null, unknown]>(1);
  const never = chan<number>();
  go(async () => {
    const r = await select([
      recv(never, () => "value" as const),
      recv(ctx.done(), () => "done" as const),
    ]);
    assert.equal(r, "done");
    await woke.send([ctx.err(), cause(ctx)]);
  });
  ac.abort(reason);
  const [err, why] = (await woke.recv()) as [Error | null, unknown];
  assert.equal(err, Canceled);
  assert.equal(why, reason);
  assert.equal(getEventListeners(ac.signal, "abort").length, 0);
  cancel();
});

test("fromSignal: already aborted, timeout reasons, parent cancellation removes the listener", async () => {
  const pre = AbortSignal.abort("why");
  const [c1] = fromSignal(pre);
  assert.equal(c1.err(), Canceled);
  assert.equal(cause(c1), "why");

  const [c2] = fromSignal(AbortSignal.abort(new DOMException("late", "TimeoutError")));
  assert.equal(c2.err(), DeadlineExceeded, "a TimeoutError reason means the deadline passed");

  const ac = new AbortController();
  const [parent, cancelParent] = withCancelCause(background());
  const [c3] = fromSignal(ac.signal, parent);
  assert.equal(getEventListeners(ac.signal, "abort").length, 1);
  assert.equal(registeredChildren(parent), 1);
  const p = new Error("parent cause");
  cancelParent(p);
  assert.equal(c3.err(), Canceled);
  assert.equal(cause(c3), p);
  assert.equal(getEventListeners(ac.signal, "abort").length, 0, "the listener outlived the context");

  // Round trip: a context's signal into another context.
  const [src, cancelSrc] = withCancel(background());
  const [mirror] = fromSignal(src.signal);
  cancelSrc();
  assert.equal(mirror.err(), Canceled);
  assert.equal(cause(mirror), Canceled);
});

test("ctx.signal: lazily made, aborted with err(), after the whole subtree is cancelled", () => {
  const [root, cancel] = withCancel(background());
  const [child] = withCancel(root);
  const [grandchild] = withTimeout(withValue(child, "k", 1), 3_600_000);
  const seen: string[] = [];
  root.signal.addEventListener("abort", () => {
    seen.push(`root ${String(root.signal.reason === Canceled)} ${String(grandchild.err() === Canceled)}`);
  });
  grandchild.signal.addEventListener("abort", () => seen.push("grandchild"));
  cancel();
  assert.deepEqual(seen, ["root true true", "grandchild"]);
  // Made after cancellation: aborted already.
  assert.equal(child.signal.aborted, true);
  assert.equal(child.signal.reason, Canceled);
  assert.equal(background().signal.aborted, false);
});

/** A full GC, through V8's flag (node --test does not pass --expose-gc). */
function fullGc(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

test("no leaks: 200,000 cancelled children of one long-lived parent leave nothing behind", async () => {
  const [parent, cancelParent] = withCancel(background());
  const ac = new AbortController();
  const timersBefore = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const refs: WeakRef<Context>[] = [];
  for (let i = 0; i < 200_000; i++) {
    let c: Context;
    let cancel: () => void;
    switch (i % 4) {
      case 0:
        [c, cancel] = withCancel(parent);
        break;
      case 1:
        [c, cancel] = withTimeout(parent, 3_600_000);
        break;
      case 2:
        [c, cancel] = fromSignal(ac.signal, parent);
        break;
      default: {
        [c, cancel] = withCancel(withValue(parent, "k", i));
        const stop = afterFunc(c, () => {});
        if (i % 8 === 3) stop();
        break;
      }
    }
    if (i % 1000 === 0) {
      c.done(); // also with a done channel and a signal
      void c.signal;
      refs.push(new WeakRef(c));
    }
    cancel();
  }
  assert.equal(registeredChildren(parent), 0, "cancelled children are still registered in the parent");
  assert.equal(getEventListeners(ac.signal, "abort").length, 0, "abort listeners survived their contexts");
  const timersAfter = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  assert.equal(timersAfter, timersBefore, "deadline timers survived their contexts");
  // Nothing reachable from the parent keeps them: after a GC every sampled context is gone.
  await new Promise<void>((resolve) => setImmediate(resolve)); // WeakRef targets live until the job ends
  fullGc();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} of ${refs.length} sampled contexts are still reachable`);
  assert.equal(parent.err(), null);
  cancelParent();
});

const GORT = import.meta.resolve("gort");
const CONTEXT = import.meta.resolve("gort/context");


test("a deadline nobody waits on does not keep the process alive", () => {
  const r = runFixture(`
import { background, withTimeout, withCancel } from ${JSON.stringify(CONTEXT)};
const [ctx] = withTimeout(background(), 10 * 60 * 1000);
const [child] = withCancel(ctx);
child.done(); // made, but nobody waits on it
void ctx.signal;
console.log("main done");
`);
  assert.equal(r.signal, null, `the process was killed (${r.signal}): a deadline timer kept it alive`);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "main done\n");
});

test("a deadline a goroutine waits on (directly or through a descendant) keeps the process alive", () => {
  const r = runFixture(`
import { go, recv, select, chan } from ${JSON.stringify(GORT)};
import { background, withTimeout, withCancel, withValue } from ${JSON.stringify(CONTEXT)};
const [ctx] = withTimeout(background(), 30);
const [child] = withCancel(withValue(ctx, "k", 1));
go(async () => {
  await select([recv(chan()), recv(child.done())]);
  console.log("child woke", child.err().message);
  const [ctx2] = withTimeout(background(), 20);
  await ctx2.done().recv();
  console.log("ctx2 woke", ctx2.err().message);
});
console.log("main done");
`);
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "main done\nchild woke context deadline exceeded\nctx2 woke context deadline exceeded\n");
});

test("a goroutine that stops waiting releases the keep-alive", () => {
  const r = runFixture(`
import { go, recv, select, chan } from ${JSON.stringify(GORT)};
import { background, withTimeout } from ${JSON.stringify(CONTEXT)};
const [ctx] = withTimeout(background(), 10 * 60 * 1000);
const other = chan(1);
go(async () => {
  console.log(await select([recv(other, () => "other"), recv(ctx.done(), () => "done")]));
});
go(async () => { await other.send(1); });
console.log("main done");
`);
  assert.equal(r.signal, null, `the process was killed (${r.signal}): the timer kept it alive after the select ended`);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "main done\nother\n");
});
