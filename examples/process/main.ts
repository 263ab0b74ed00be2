// Creating a process (seed article 002, "Processes: The Foundation"): Go's
// exec.Command("ls", "-la").Run() with the child's output on ours. A process
// is the heavyweight unit: its own memory, started by the OS. In gort the
// goroutine that runs it waits for its exit the way a goroutine waits on a
// channel: the thread is free meanwhile.
//
// Usage: gort run examples/process/main.ts [command=ls] [args=-la ...]

import { spawn } from "node:child_process";
import { once } from "node:events";

async function run(command: string, args: readonly string[]): Promise<void> {
  // Go: cmd.Stdout = os.Stdout; cmd.Stderr = os.Stderr; err := cmd.Run()
  const child = spawn(command, args, { stdio: "inherit" });
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  if (signal !== null) throw new Error(`signal: ${signal}`);
  if (code !== 0) throw new Error(`exit status ${code}`);
}

export default async function main(): Promise<void> {
  const [command = "ls", ...rest] = process.argv.slice(2);
  const args = process.argv.length > 2 ? rest : ["-la"];
  try {
    await run(command, args);
  } catch (err) {
    console.log(`Error: ${err instanceof Error ? err.message : String(err)}`);
  }
}
