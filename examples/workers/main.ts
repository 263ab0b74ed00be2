// The worker pool pattern (seed article 002, "Worker Pool Pattern"): 5
// workers range over a buffered jobs channel, each job takes 100 ms, the
// results go to a second channel that a goroutine closes once the
// WaitGroup of workers is done. (The flagship examples/workerpool does real
// work with a progress ticker; this is the article's program as written.)
//
// Usage: gort run examples/workers/main.ts [workers=5] [jobs=20] [job-ms=100]

import { chan, go, Millisecond, type RecvChan, type SendChan, sleep } from "gort";
import { WaitGroup } from "gort/sync";

interface Job {
  readonly id: number;
  readonly data: string;
}

interface Result {
  readonly jobID: number;
  readonly output: string;
}

const jobTime = Number(process.argv[4] ?? 100) * Millisecond;

async function worker(id: number, jobs: RecvChan<Job>, results: SendChan<Result>): Promise<void> {
  for await (const job of jobs) {
    // Simulate processing
    await sleep(jobTime);
    await results.send({ jobID: job.id, output: `Processed by worker ${id}: ${job.data}` });
  }
}

export default async function main(): Promise<void> {
  const numWorkers = Number(process.argv[2] ?? 5);
  const numJobs = Number(process.argv[3] ?? 20);

  const jobs = chan<Job>(numJobs);
  const results = chan<Result>(numJobs);

  // Start workers
  const wg = new WaitGroup();
  for (let w = 0; w < numWorkers; w++) wg.go(worker, w, jobs, results);

  // Send jobs
  for (let j = 0; j < numJobs; j++) await jobs.send({ id: j, data: `data-${j}` });
  jobs.close();

  // Collect results
  go(async () => {
    await wg.wait();
    results.close();
  });

  // Go's %+v of the Result struct.
  for await (const result of results) console.log(`Result: {JobID:${result.jobID} Output:${result.output}}`);
}
