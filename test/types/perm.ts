// Port of Go's test/chan/perm.go: which uses of send-only, receive-only and
// bidirectional channels compile. Checked by `tsc -b` alone: every line under
// an expect-error directive must be a type error (or the build fails), every
// other line must compile. Nothing here runs; permutations() is exported only so that
// noUnusedLocals accepts it.

import { type Chan, chan, defaultCase, type RecvChan, recv, type SendChan, select, send } from "gort";

export async function permutations(): Promise<void> {
  let c: Chan<number> = chan<number>();
  let cr: RecvChan<number> = c; // ok: a bidirectional channel is a receive-only one
  let cs: SendChan<number> = c; // ok: and a send-only one

  // A direction cannot be widened back, or swapped.
  // @ts-expect-error a RecvChan is not a Chan
  c = cr;
  // @ts-expect-error a SendChan is not a Chan
  c = cs;
  // @ts-expect-error a SendChan is not a RecvChan
  cr = cs;
  // @ts-expect-error a RecvChan is not a SendChan
  cs = cr;

  // A non-channel has no channel operations.
  const n = 0;
  // @ts-expect-error receive from a non-channel
  await n.recv();
  // @ts-expect-error send to a non-channel
  await n.send(2);
  // @ts-expect-error close of a non-channel
  n.close();

  // Bidirectional: everything.
  await c.send(0);
  await c.recv();
  const [x, ok] = await c.recvOk();
  void [x, ok];
  c.trySend(0);
  c.tryRecv();

  // Receive-only: receives, no send, no close.
  // @ts-expect-error send on a receive-only channel
  await cr.send(0);
  // @ts-expect-error trySend on a receive-only channel
  cr.trySend(0);
  await cr.recv();
  await cr.recvOk();
  cr.tryRecv();

  // Send-only: sends, no receive, no range.
  await cs.send(0);
  cs.trySend(0);
  // @ts-expect-error receive on a send-only channel
  await cs.recv();
  // @ts-expect-error receive (value, ok) on a send-only channel
  await cs.recvOk();
  // @ts-expect-error tryRecv on a send-only channel
  cs.tryRecv();

  // The same rules in a select.
  await select([
    send(c, 0), // ok
    recv(c), // ok
    // @ts-expect-error send case on a receive-only channel
    send(cr, 0),
    recv(cr), // ok
    send(cs, 0), // ok
    // @ts-expect-error receive case on a send-only channel
    recv(cs),
    defaultCase(),
  ]);

  // Ranging over a channel receives.
  // @ts-expect-error range over a send-only channel
  for await (const v of cs) void v;
  for await (const v of cr) void v; // ok

  // Closing is the sender's side.
  c.close();
  cs.close();
  // @ts-expect-error close of a receive-only channel
  cr.close();

  // Element types (not in Go, where channel types are never convertible):
  // a receive-only channel is covariant, a send-only one contravariant, and a
  // bidirectional one invariant.
  const numsOut: RecvChan<number | string> = chan<number>(); // ok
  const numsIn: SendChan<number> = chan<number | string>(); // ok
  // @ts-expect-error a RecvChan<string> cannot yield numbers
  const wrongOut: RecvChan<number> = chan<string>();
  // @ts-expect-error a SendChan<number> does not take strings
  const wrongIn: SendChan<number | string> = chan<number>() as SendChan<number>;
  // @ts-expect-error Chan<number> cannot be used as Chan<number | string>
  const wrongBoth: Chan<number | string> = chan<number>();
  void [numsOut, numsIn, wrongOut, wrongIn, wrongBoth];

  // @ts-expect-error a Chan<number> is not a SendChan<number | string> (send would take strings)
  const leak: SendChan<number | string> = chan<number>();
  void leak;
}
