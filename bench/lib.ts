// Plumbing shared by the harness (bench/run.ts) and its suites: running a
// child that prints one JSON figure, medians and number formatting.

import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file runs as build/bench/lib.js). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Problem size and warm-up size passed to a child as argv. */
export interface Size {
  readonly n: number;
  readonly warm: number;
}

/** What a child prints: one figure, its unit, the size, and side figures. */
export interface Figure {
  readonly value: number;
  readonly unit: string;
  readonly n: number;
  readonly extra?: Record<string, number | string>;
}

export type Sample = { readonly ok: true; readonly figure: Figure } | { readonly ok: false; readonly error: string };

/** A child command: what to run, with which arguments and environment. */
export interface Child {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export const CHILD_TIMEOUT_MS = 10 * 60 * 1000;

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function tail(s: string | null | undefined, max: number): string {
  const t = (s ?? "").trim();
  return t.length <= max ? t : `…${t.slice(t.length - max)}`;
}

/** Runs a child to completion (killed after `timeoutMs`) and parses the JSON figure on the last line of its stdout. */
export function runChild(child: Child, timeoutMs: number = CHILD_TIMEOUT_MS): Sample {
  const r: SpawnSyncReturns<string> = spawnSync(child.cmd, child.args, {
    cwd: ROOT,
    env: child.env,
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error !== undefined) {
    const timedOut = (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    return { ok: false, error: timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s (killed)` : r.error.message };
  }
  if (r.status !== 0) {
    return { ok: false, error: `exit ${r.status ?? r.signal ?? "?"}: ${tail(r.stderr, 300)}` };
  }
  if (r.stdout.trim() === "") {
    const err = tail(r.stderr, 300);
    return { ok: false, error: `exited with status 0 without printing a figure${err === "" ? "" : `: ${err}`}` };
  }
  const lines = r.stdout.trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  try {
    const f = JSON.parse(last) as Partial<Figure>;
    if (typeof f.value !== "number" || !Number.isFinite(f.value) || typeof f.unit !== "string") {
      return { ok: false, error: `bad figure: ${last}` };
    }
    return { ok: true, figure: f as Figure };
  } catch {
    return { ok: false, error: `no JSON figure on stdout: ${tail(r.stdout, 200)} ${tail(r.stderr, 200)}` };
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The figures of the runs of one side that succeeded. */
export function figures(r: { readonly samples: readonly Sample[] } | undefined): Figure[] {
  if (r === undefined) return [];
  const out: Figure[] = [];
  for (const s of r.samples) if (s.ok) out.push(s.figure);
  return out;
}

/**
 * The median over rounds of a's figure over b's, for the rounds in which
 * both have one (null if none): two sides run in the same round see the same
 * machine, which drifts between rounds.
 */
export function pairedRatio(
  a: { readonly samples: readonly Sample[] } | undefined,
  b: { readonly samples: readonly Sample[] } | undefined,
): number | null {
  if (a === undefined || b === undefined) return null;
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.samples.length, b.samples.length); i++) {
    const x = a.samples[i] as Sample;
    const y = b.samples[i] as Sample;
    if (x.ok && y.ok && y.figure.value !== 0) ratios.push(x.figure.value / y.figure.value);
  }
  return ratios.length === 0 ? null : median(ratios);
}

/** The median of a side's figures, or null if it has none. */
export function medianOf(r: { readonly samples: readonly Sample[] } | undefined): number | null {
  const f = figures(r);
  return f.length === 0 ? null : median(f.map((x) => x.value));
}

export const fmtInt = (v: number): string => v.toLocaleString("en-US", { maximumFractionDigits: 0 });

export function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 100) return fmtInt(v);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function fmtRatio(r: number): string {
  if (r >= 10) return `${r.toFixed(1)}×`;
  if (r >= 0.01) return `${r.toFixed(2)}×`;
  return `${r.toPrecision(2)}×`;
}
