// Blocking I/O (seed article 002, "System Calls and Blocking"): 10
// goroutines dial a TCP server, write an HTTP/1.0 request and read the
// reply, while main prints the goroutine count once a second for 5 s. In Go
// each blocking call may park an OS thread; in gort a goroutine waiting on
// a socket is an awaited promise, and Node's event loop does the waiting,
// so no thread is held.
//
// Instead of example.com, the program starts its own server on 127.0.0.1
// (a free port), which answers each request after 2.5 ticks -- with one
// goroutine per connection, as Go's net/http does. Everything is bounded:
// the clients finish, main stops after 5 ticks and closes the server.
//
// Usage: gort run examples/blockingio/main.ts [tick-ms=1000] [clients=10]

import { once } from "node:events";
import { createServer, type AddressInfo, connect, type Socket } from "node:net";
import { go, Millisecond, sleep } from "gort";
import { gomaxprocs, numGoroutine } from "gort/runtime";

const tick = Number(process.argv[2] ?? 1000) * Millisecond;
const clients = Number(process.argv[3] ?? 10);

// The server's goroutine for one connection: read the request, wait, reply.
async function handle(conn: Socket): Promise<void> {
  await once(conn, "data");
  await sleep(2.5 * tick);
  conn.end("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from 127.0.0.1\n");
}

async function blockingIO(id: number, port: number): Promise<void> {
  // This will cause the M to be parked (Go); here: an awaited connect.
  const conn = connect(port, "127.0.0.1");
  try {
    await once(conn, "connect");
    // Write to connection
    conn.write("GET / HTTP/1.0\r\n\r\n");
    // Read response, up to EOF
    let response = "";
    for await (const chunk of conn) response += String(chunk);
    console.log(`goroutine ${id}: ${response.split("\r\n")[0]} (${response.length} bytes)`);
  } catch (err) {
    console.log(`Error: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    conn.destroy(); // Go: defer conn.Close()
  }
}

export default async function main(): Promise<void> {
  const server = createServer((conn) => {
    go(handle, conn);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  gomaxprocs(2);
  console.log(`Starting with GOMAXPROCS=${gomaxprocs()} (gort: one thread; the event loop waits on the sockets)`);

  // Launch multiple goroutines doing blocking I/O
  for (let i = 0; i < clients; i++) go(blockingIO, i, port);

  // Monitor: in Go, thread creation; here, goroutines blocked on I/O cost no thread
  for (let i = 0; i < 5; i++) {
    await sleep(tick);
    console.log(`Goroutines: ${numGoroutine()}`);
  }
  server.close();
}
