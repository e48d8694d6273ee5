// Timing helpers for benchmarks: repeat, then report median and p95 so one slow run doesn't mislead.
import fs from "node:fs";

export interface Timing {
  runs: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

/** `before` runs ahead of each sample, untimed (fresh state for a cold run). */
export async function time(runs: number, fn: () => Promise<unknown> | unknown, before?: () => void): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { runs, p50: at(0.5), p95: at(0.95), min: samples[0]!, max: samples[samples.length - 1]! };
}

export function ms(n: number): string {
  return `${n.toFixed(1)} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The machine's CPU time since it booted, by kind, in clock ticks (all cores together). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  steal: number;
  total: number;
}

/** Read from /proc/stat (Linux); null elsewhere. */
export function machineCpu(): CpuTimes | null {
  let line: string | undefined;
  try {
    line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  } catch {
    return null;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user and nice)
  const f = line?.startsWith("cpu ") ? line.trim().split(/\s+/).slice(1, 9).map(Number) : [];
  if (f.length < 8 || f.some((n) => !Number.isFinite(n))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
  return {
    user,
    nice,
    system: system + irq + softirq,
    idle: idle + iowait,
    steal,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

/**
 * How the machine's CPU time between two readings was spent, in percent. On a virtual machine, "stolen" is time the
 * host gave to someone else: a figure measured while much is stolen says more about the host than about the app.
 */
export function cpuShares(before: CpuTimes | null, after: CpuTimes | null): string {
  if (!before || !after || after.total <= before.total) return "CPU time by kind: not available here";
  const pct = (k: keyof CpuTimes) => `${(((after[k] - before[k]) / (after.total - before.total)) * 100).toFixed(0)} %`;
  return `CPU time by kind: user ${pct("user")}, nice ${pct("nice")}, system ${pct("system")}, idle ${pct("idle")}, stolen by the host ${pct("steal")}`;
}
