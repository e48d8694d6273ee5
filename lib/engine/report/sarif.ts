// SARIF 2.1.0 of a scan's findings, in the subset GitHub code scanning accepts: one rule per rule id, results
// with a location and stable partial fingerprints. Findings without a file location are reported as notifications.
import path from "node:path";
import type { Severity } from "@/lib/core/types";
import type { ReportFinding, ScanReport } from "../../core/report";

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

export function renderSarif(report: ScanReport): Record<string, unknown> {
  const ruleIds = [...new Set(report.findings.map((f) => f.ruleId))].sort();
  const firstOf = new Map<string, ReportFinding>();
  for (const f of report.findings) if (!firstOf.has(f.ruleId)) firstOf.set(f.ruleId, f);
  const located = report.findings.filter((f) => f.location?.path);
  const unlocated = report.findings.filter((f) => !f.location?.path);

  const rules = ruleIds.map((id) => {
    const f = firstOf.get(id)!;
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")),
      shortDescription: { text: f.title },
      fullDescription: { text: f.rationale },
      help: { text: f.remediation, markdown: `**Why it matters:** ${f.rationale}\n\n**How to fix it:** ${f.remediation}` },
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: { tags: ["security", f.section, f.checklistItem], "security-severity": SECURITY_SEVERITY[f.severity], precision: "high" },
    };
  });

  const results = located.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIds.indexOf(f.ruleId),
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
