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

/**
 * The same matches as `text.matchAll(pattern)`, for a pattern every match of which has a match of `anchor` starting at
 * most `reach` characters after its own start. The pattern is tried only at the starts within reach of an anchor: a
 * pattern that opens with a long optional run (a name of up to 40 characters before a keyword) costs that run at every
 * position of the text, an anchor almost nothing.
 */
export function* matchesNearAnchors(text: string, pattern: RegExp, anchor: RegExp, reach: number): Generator<RegExpExecArray> {
  const at = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, "")}y`);
  const anchors = new RegExp(anchor.source, `${anchor.flags.replace(/[gy]/g, "")}g`);
  // Every start below `next` has been tried, or lies before the end of the last match.
  let next = 0;
  for (let found = anchors.exec(text); found !== null; found = anchors.exec(text)) {
    const p = found.index;
    let matchedEnd = -1;
    for (let start = Math.max(next, p - reach); start <= p; start++) {
      at.lastIndex = start;
      const m = at.exec(text);
      if (!m) continue;
      yield m;
      matchedEnd = m[0].length > 0 ? start + m[0].length : start + 1;
      break;
    }
    // After a match the next one starts at its end, and its anchor lies there or later; otherwise every start up to
    // this anchor has been tried, and the next anchor may be any later position (anchors overlap: client_secret, secret).
    next = matchedEnd === -1 ? p + 1 : matchedEnd;
    anchors.lastIndex = matchedEnd === -1 ? p + 1 : matchedEnd;
  }
}
