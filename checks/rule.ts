// Builds findings from a rule's metadata, so every finding carries its why, its fix and its checklist item.
import { createHash } from "node:crypto";
import type { Rule } from "./types";
import type { Finding, Location, Severity } from "@/lib/core/types";

export function defineRule(rule: Rule): Rule {
  return Object.freeze(rule);
}

/** Stable across scans and line moves: the rule, the file and what the finding is about. */
export function fingerprintOf(ruleId: string, path: string | undefined, subject: string): string {
  return createHash("sha256")
    .update(`${ruleId}\0${path ?? ""}\0${subject}`)
    .digest("hex")
    .slice(0, 32);
}

export interface ReportOptions {
  /** What was found, here. Defaults to the rule's title. */
  message?: string;
  location?: Location;
  evidence?: string;
  /** What the finding is about (a normalized string): keeps the fingerprint stable when lines move. */
  subject: string;
  /** Overrides the rule's default severity when the evidence warrants it. */
  severity?: Severity;
  /** One finding per problem: the other places it shows up. */
  related?: Location[];
}

export function report(rule: Rule, options: ReportOptions): Finding {
  return {
    ruleId: rule.id,
    severity: options.severity ?? rule.severity,
    title: rule.title,
    message: options.message ?? rule.title,
    rationale: rule.rationale,
    remediation: rule.remediation,
    checklistItem: rule.item === "informational" ? (rule.hint ?? "informational") : rule.item,
    ...(options.location ? { location: options.location } : {}),
    ...(options.related && options.related.length > 0 ? { related: options.related } : {}),
    ...(options.evidence !== undefined ? { evidence: options.evidence } : {}),
    fingerprint: fingerprintOf(rule.id, options.location?.path, options.subject),
  };
}
