// SharedArrayBuffers passed to another thread travel by reference, as with
// postMessage. The first time a thread sends one, it gives it an id and
// tells the other threads (id, buffer) over MessagePorts: the main thread
// has a port to each worker; a worker tells the main thread, which passes it
// on to the other workers. The value sent carries only the id. A thread
// that meets an id it does not know yet reads its ports synchronously
// (receiveMessageOnPort) until the buffer arrives: it was posted before the
// value that names it was published. A worker started later receives every
// buffer known so far in its workerData.
//
// A buffer, once sent, stays registered (and alive) for the life of the program.

import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { RuntimeError } from "../../errors.ts";
import { shared } from "./heap.ts";
import { S_SAB_NEXT } from "./layout.ts";

export interface SabMessage {
  readonly id: number;
  readonly sab: SharedArrayBuffer;
}

/** How long a thread waits for a buffer to arrive before it gives up. */
const MAX_WAIT_MS = 10_000;
const nap = new Int32Array(new SharedArrayBuffer(4));

const idOf = new WeakMap<SharedArrayBuffer, number>();
const byId = new Map<number, SharedArrayBuffer>();
/** Main thread: a port to each worker. Worker: its port to the main thread. */
const ports: MessagePort[] = [];
let isMain = true;

function learn(m: SabMessage): boolean {
  if (byId.has(m.id)) return false;
  byId.set(m.id, m.sab);
  idOf.set(m.sab, m.id);
  return true;
}

/** Main thread: tells every worker but `except` about a buffer. */
function relay(m: SabMessage, except: MessagePort | null): void {
  for (const p of ports) if (p !== except) p.postMessage(m);
}

/** Main thread: a new worker's port; what the worker announces is passed on. */
export function addWorkerPort(port: MessagePort): void {
  port.on("message", (m: SabMessage) => {
    if (learn(m)) relay(m, port);
  });
  port.unref();
  ports.push(port);
}

/** Worker: its port to the main thread, and the buffers known when it was started. */
export function setMainPort(port: MessagePort, known: readonly SabMessage[]): void {
  isMain = false;
  for (const m of known) learn(m);
  port.on("message", learn);
  port.unref();
  ports.push(port);
}

/** Every buffer known to this thread (for a worker being started). */
export function knownSabs(): SabMessage[] {
  drain();
  return [...byId].map(([id, sab]) => ({ id, sab }));
}

function drain(): void {
  for (const p of ports) {
    for (let m = receiveMessageOnPort(p); m !== undefined; m = receiveMessageOnPort(p)) {
      const msg = m.message as SabMessage;
      if (learn(msg) && isMain) relay(msg, p);
    }
  }
}

/** The id of `sab`, telling the other threads the first time. */
export function sabId(sab: SharedArrayBuffer): number {
  let id = idOf.get(sab);
  if (id === undefined) {
    id = Atomics.add(shared().i32, S_SAB_NEXT, 1) + 1;
    const m = { id, sab };
    learn(m);
    if (isMain) relay(m, null);
    else (ports[0] as MessagePort).postMessage(m);
  }
  return id;
}

/** The buffer with id `id`, waiting for its announcement if needed. */
export function sabById(id: number): SharedArrayBuffer {
  let sab = byId.get(id);
  for (let waited = 0; sab === undefined; waited++) {
    drain();
    sab = byId.get(id);
    if (sab !== undefined) break;
    if (waited === MAX_WAIT_MS) throw new RuntimeError(`gort: SharedArrayBuffer ${id} never reached this thread`);
    Atomics.wait(nap, 0, 0, 1);
  }
  return sab;
}
