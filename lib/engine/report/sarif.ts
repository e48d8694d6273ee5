// SARIF 2.1.0 of a scan's findings, in the subset GitHub code scanning accepts: one rule per rule id, results
// with a location and stable partial fingerprints. Findings without a file location are reported as notifications.
import path from "node:path";
import { CHECKS } from "@/checks";
import type { Rule } from "@/checks/types";
import type { ScanReport } from "@/lib/core/report";
import type { SectionId, Severity } from "@/lib/core/types";
import { compareText } from "@/lib/core/compare";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
const TOOL_VERSION = "0.1.0";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  moderate: "warning",
  low: "note",
  info: "note",
};
/** GitHub reads this (0.0–10.0) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", moderate: "5.5", low: "3.0", info: "1.0" };

function repoPath(report: ScanReport, p: string): string {
  const joined = report.source.subdirectory ? path.posix.join(report.source.subdirectory, p) : p;
  return joined.split("/").map(encodeURIComponent).join("/");
}

/** Every rule of the registry, once, with its section: SARIF's `tool.driver.rules`, sorted by id. */
const REGISTRY: ReadonlyArray<{ rule: Rule; section: SectionId }> = CHECKS.flatMap((c) => c.rules.map((rule) => ({ rule, section: c.section }))).sort(
  (a, b) => compareText(a.rule.id, b.rule.id),
);

/** GitHub code scanning reads CWE tags in this form. */
export function ruleTags(rule: Rule, section: SectionId): string[] {
  return [
    "security",
    section,
    ...(rule.item !== "informational" ? [rule.item] : []),
    ...(rule.tags?.owasp ? [rule.tags.owasp] : []),
    ...(rule.tags?.cwe ?? []).map((c) => `external/cwe/${c.toLowerCase()}`),
  ];
}

export function renderSarif(report: ScanReport): Record<string, unknown> {
  const located = report.findings.filter((f) => f.location?.path);
  const unlocated = report.findings.filter((f) => !f.location?.path);
  const index = new Map(REGISTRY.map((r, i) => [r.rule.id, i]));
  const rules = REGISTRY.map(({ rule, section }) => ({
    id: rule.id,
    name: rule.id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: rule.remediation, markdown: `**Why it matters:** ${rule.rationale}\n\n**How to fix it:** ${rule.remediation}` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ruleTags(rule, section), "security-severity": SECURITY_SEVERITY[rule.severity], precision: "high" },
  }));

  const results = located.map((f) => ({
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
    level: LEVEL[f.severity],
    message: { text: f.evidence ? `${f.message} Evidence: ${f.evidence}` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: repoPath(report, f.location!.path), uriBaseId: "%SRCROOT%" },
          ...(f.location!.line
            ? { region: { startLine: f.location!.line, ...(f.location!.endLine ? { endLine: f.location!.endLine } : {}) } }
            : {}),
        },
      },
    ],
    partialFingerprints: { "launchReview/v1": f.fingerprint },
    ...(f.baselineState ? { baselineState: f.baselineState } : {}),
    properties: { severity: f.severity, checklistItem: f.checklistItem, section: f.section },
  }));

  const src = report.source;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: "Launch Review", version: TOOL_VERSION, informationUri: "https://github.com/launch-review/launch-review", rules },
        },
        automationDetails: { id: `launch-review/${src.subdirectory || "root"}/` },
        ...(src.kind === "github" && src.webUrl && src.commit
          ? { versionControlProvenance: [{ repositoryUri: src.webUrl, revisionId: src.commit, ...(src.ref ? { branch: src.ref } : {}) }] }
          : {}),
        invocations: [
          {
            executionSuccessful: report.checks.every((c) => c.status === "ok"),
            toolExecutionNotifications: [
              ...report.checks
                .filter((c) => c.status === "unavailable")
                .map((c) => ({ level: "warning", message: { text: `Check "${c.id}" could not decide: ${c.error ?? "no reason given"}` } })),
              ...unlocated.map((f) => ({
                level: LEVEL[f.severity],
                message: { text: `${f.title} (${f.ruleId}): ${f.message}` },
                descriptor: { id: f.ruleId },
              })),
            ],
          },
        ],
        results,
        properties: { checklistVersion: report.checklistVersion, summary: report.summary },
      },
    ],
  };
}
