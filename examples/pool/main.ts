// Goroutine pool management (seed article 002, "Performance Optimization
// Strategies", 2.): a Pool of 10 workers ranges over a buffered channel of
// tasks; Submit sends a task, Close closes the channel and waits for the
// workers. 1,000 tasks of 10 ms each never run more than 10 at a time.
//
// Usage: gort run examples/pool/main.ts [tasks=1000] [workers=10] [task-ms=10]

import { chan, type Chan, go, Millisecond, sleep } from "gort";
import { WaitGroup } from "gort/sync";

type Task = () => void | Promise<void>;

class Pool {
  readonly #work: Chan<Task> = chan<Task>(100);
  readonly #wg = new WaitGroup();

  constructor(size: number) {
    this.#wg.add(size);
    for (let i = 0; i < size; i++) go(() => this.#worker());
  }

  async #worker(): Promise<void> {
    try {
      for await (const task of this.#work) await task();
    } finally {
      this.#wg.done(); // Go: defer p.wg.Done()
    }
  }

  submit(task: Task): Promise<void> {
    return this.#work.send(task);
  }

  close(): Promise<void> {
    this.#work.close();
    return this.#wg.wait();
  }
}

export default async function main(): Promise<void> {
  const tasks = Number(process.argv[2] ?? 1000);
  const size = Number(process.argv[3] ?? 10);
  const taskTime = Number(process.argv[4] ?? 10) * Millisecond;

  const pool = new Pool(size); // Limit concurrent goroutines
  let running = 0;
  let peak = 0;

  // Submit many tasks
  for (let i = 0; i < tasks; i++) {
    const id = i;
    await pool.submit(async () => {
      peak = Math.max(peak, ++running);
      await sleep(taskTime);
      running--;
      console.log(`Task ${id} completed`);
    });
  }

  await pool.close();
  console.log(`${tasks} tasks on ${size} workers: at most ${peak} ran at once`);
}
