// Test helper: run a small program in a fresh Node.js process and collect
// what it did. Programs import gort by the URL import.meta.resolve("gort")
// gives (a temporary directory is outside the package).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FixtureRun {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `source` as an ES module in a child process. The 60 s timeout only turns a hang into a failure. */
export function runFixture(source: string, env: Record<string, string> = {}): FixtureRun {
  const dir = mkdtempSync(join(tmpdir(), "gort-fixture-"));
  try {
    const file = join(dir, "fixture.mjs");
    writeFileSync(file, source);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
