// Small text helpers shared by checks: line numbers, bounded excerpts, redaction, entropy.

/** Offsets where each line starts, for turning a match index into a line number. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line number of `index`, by binary search over `lineStarts`. */
export function lineAt(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The text of line `line` (1-based), without its newline. */
export function lineText(text: string, starts: readonly number[], line: number): string {
  const start = starts[line - 1] ?? 0;
  const next = starts[line];
  return text.slice(start, next === undefined ? text.length : next - 1).replace(/\r$/, "");
}

/** A single-line excerpt of at most `max` characters around `[from, to)` of `line`. */
export function excerptAround(line: string, from: number, to: number, max = 160): string {
  let start = 0;
  let end = line.length;
  if (end - start > max) {
    const centre = Math.floor((from + to) / 2);
    start = Math.max(0, Math.min(centre - Math.floor(max / 2), line.length - max));
    end = start + max;
  }
  return `${start > 0 ? "…" : ""}${line.slice(start, end).trim()}${end < line.length ? "…" : ""}`;
}

/** First four characters of a secret, then an ellipsis: enough to recognise it, not to use it. */
export function redactSecret(secret: string): string {
  return `${secret.slice(0, 4)}…`;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
