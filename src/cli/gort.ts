#!/usr/bin/env node
// The gort command: `gort run <file> [args...]`, `gort version`, `gort help`.

import { readFileSync } from "node:fs";
import { run } from "./run.ts";

const USAGE = `gort: Go's concurrency runtime for TypeScript

Usage:
  gort run [--procs N] [--trace FILE] <file.ts|file.js> [args...]
      Runs the program: its default export (if a function) or its top-level
      code is the main goroutine; the program ends when main returns. An
      uncaught error is a panic (exit 2); when every goroutine is blocked,
      Go's deadlock report (exit 2). SIGQUIT prints all goroutines.
      --procs N      GOMAXPROCS (also the GOMAXPROCS environment variable)
      --trace FILE   write an execution trace (open it in ui.perfetto.dev)
  gort version
      Prints gort's and Node.js's versions.
  gort help
      Prints this text.

Environment (read by the runtime, also without gort run):
  GOMAXPROCS=N       threads that run portable goroutines (default: the CPUs)
  GORT_TRACK=exact   attribute every wait, and record where each go statement
                     ran (slower: channel operations ~2.5x, go ~5 us more)
  GORT_TRACK=off     no goroutine records: dumps and leak reports see nothing
  GORT_LEAKS=warn    print each leaked goroutine (also partial deadlocks) to
                     stderr when a garbage collection proves it (gort run
                     also looks once more when main returns)
  GORT_SHARED_MB=N   size of the shared heap of portable goroutines (default 256)
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return `gort version ${pkg.version} (node ${process.version})`;
}

function fail(message: string): never {
  process.stderr.write(`gort: ${message}\nRun 'gort help' for usage.\n`);
  process.exit(2);
}

function main(argv: readonly string[]): void {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "-h":
    case "--help":
      process.stdout.write(USAGE);
      return;
    case "version":
    case "--version":
      process.stdout.write(`${version()}\n`);
      return;
    case "run":
      break;
    default:
      fail(`unknown command ${JSON.stringify(command)}`);
  }
  let procs: number | null = null;
  let trace: string | null = null;
  let i = 0;
  for (; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-")) break;
    if (arg === "--procs" || arg.startsWith("--procs=")) {
      const value = arg === "--procs" ? rest[++i] : arg.slice("--procs=".length);
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < 1) fail(`--procs needs a positive integer, got ${JSON.stringify(value ?? "")}`);
      procs = n;
    } else if (arg === "--trace" || arg.startsWith("--trace=")) {
      const value = arg === "--trace" ? rest[++i] : arg.slice("--trace=".length);
      if (value === undefined || value === "") fail("--trace needs a file name");
      trace = value;
    } else {
      fail(`unknown flag ${JSON.stringify(arg)}`);
    }
  }
  const file = rest[i];
  if (file === undefined) fail("run: no file given");
  void run({ file, args: rest.slice(i + 1), procs, trace });
}

main(process.argv.slice(2));
