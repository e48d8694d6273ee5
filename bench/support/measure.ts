// Timing helpers for benchmarks: repeat, then report median and p95 so one slow run doesn't mislead.

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
