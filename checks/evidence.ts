// Evidence for code findings: one bounded, redacted source line per finding, and fingerprints that stay unique
// when the same line text occurs twice in a file.
import { redactSecrets } from "@/lib/engine/secrets";
import { excerptAround } from "@/lib/engine/text";
import { fingerprintOf, report } from "./rule";
import type { CheckContext, CheckOutcome, Rule } from "./types";
import type { Finding, Severity } from "@/lib/core/types";
import { compareText } from "@/lib/core/compare";

const MAX_EVIDENCE = 160;

/** The text of 1-based line `line`, found without splitting the whole file. */
export function lineOfText(text: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", start);
    if (next === -1) return "";
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, "");
}

/** A short excerpt of a source line, secrets redacted. `column` centres the excerpt on long (minified) lines. */
export function lineEvidence(text: string, line: number, column = 0): string {
  const source = lineOfText(text, line);
  const excerpt = excerptAround(source, column, column + 1, MAX_EVIDENCE);
  return redactSecrets(excerpt);
}

export interface CodeFindingOptions {
  path: string;
  line: number;
  /** The file's text, for the evidence line. */
  text: string;
  message: string;
  /** What the finding is about; defaults to the evidence line without whitespace, so moving lines keeps it. */
  subject?: string;
  severity?: Severity;
  /** Evidence to show instead of the source line (already short); it is redacted here too. */
  evidence?: string;
  column?: number;
}

export function codeFinding(rule: Rule, o: CodeFindingOptions): Finding {
  const evidence = o.evidence !== undefined ? redactSecrets(o.evidence).slice(0, MAX_EVIDENCE * 2) : lineEvidence(o.text, o.line, o.column);
  return report(rule, {
    message: o.message,
    location: { path: o.path, line: o.line },
    evidence,
    subject: o.subject ?? evidence.replace(/\s+/g, ""),
    ...(o.severity ? { severity: o.severity } : {}),
  });
}

/** The same rule on the same text twice in one file would share a fingerprint; number the repeats. */
export function uniqueFingerprints(findings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = (seen.get(f.fingerprint) ?? 0) + 1;
    seen.set(f.fingerprint, n);
    return n === 1 ? f : { ...f, fingerprint: fingerprintOf(f.ruleId, f.location?.path, `${f.fingerprint}#${n}`) };
  });
}

/** Sort by file and line so reports read top to bottom. */
export function byLocation(a: Finding, b: Finding): number {
  return compareText(a.location?.path ?? "", b.location?.path ?? "") || (a.location?.line ?? 0) - (b.location?.line ?? 0);
}

/** Wraps a check body: sorts, numbers repeated fingerprints. */
export function finish(findings: Finding[]): { status: "ok"; findings: Finding[] } {
  return { status: "ok", findings: uniqueFingerprints([...findings].sort(byLocation)) };
}

/** The outcome of a code check that could not read the code at all: unavailable, with the reason. */
export function unreadableCode(ctx: CheckContext): CheckOutcome | null {
  const problem = ctx.facts.coverageProblem;
  return problem ? { status: "unavailable", findings: [], error: `Could not read the code: ${problem}.` } : null;
}
