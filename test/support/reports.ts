// Scan reports built in tests, with the checklist derived the way a real scan derives it.
import { CHECKS } from "@/checks";
import type { Finding, Severity } from "@/lib/core/types";
import { deriveChecklist } from "@/lib/engine/checklist/derive";
import { CHECKLIST_V1 } from "@/lib/engine/checklist/template";
import type { ReportTool, ReportVulnerability, ScanReport } from "@/lib/core/report";

export function finding(item: string, severity: Severity, fingerprint: string, path = "src/a.ts"): Finding {
  return {
    ruleId: `test/${fingerprint}`,
    severity,
    title: `Finding ${fingerprint}`,
    message: "m",
    rationale: "r",
    remediation: "fix",
    checklistItem: item,
    location: { path, line: 1 },
    fingerprint,
  };
}

export function tool(name: string, description: string, annotations: Record<string, unknown> | null = { readOnlyHint: true }): ReportTool {
  return {
    name,
    title: null,
    description,
    annotations,
    securitySchemes: null,
    meta: null,
    location: { path: "src/server.ts", line: 1 },
    dynamic: [],
  };
}

export function vulnerability(pkg: string, version: string, advisory: string): ReportVulnerability {
  return {
    package: pkg,
    version,
    advisory,
    severity: "high",
    title: "t",
    vulnerableRange: "<9",
    fixedIn: "9.0.0",
    direct: true,
    dev: false,
    paths: [[pkg]],
    lockfile: "package-lock.json",
  };
}

export function reportWith(
  parts: {
    findings?: Finding[];
    tools?: ReportTool[];
    vulnerabilities?: ReportVulnerability[];
    commit?: string | null;
    fileDigests?: Record<string, string>;
  } = {},
): ScanReport {
  const findings = parts.findings ?? [];
  const allChecks = new Map(CHECKS.map((c) => [c.id, { status: "ok" as const }]));
  const checklist = deriveChecklist(CHECKLIST_V1, CHECKS, allChecks, findings).map((c) => ({ ...c, guidance: "" }));
  return {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    source: { kind: "github", repository: "acme/notes", ref: "main", commit: parts.commit ?? "a".repeat(40), subdirectory: "" },
    summary: { critical: 0, high: 0, moderate: 0, low: 0, info: 0 },
    findings: findings.map((f) => ({ ...f, checkId: "test", section: "auth" })),
    tools: parts.tools ?? [],
    dependencies: {
      lockfiles: [],
      vulnerabilities: parts.vulnerabilities ?? [],
      watched: [],
      advisorySource: { name: "test", status: "ok", fetchedAt: null, error: null },
    },
    checklist,
    checklistVersion: 1,
    checks: [],
    coverage: { omitted: [], skipped: [] },
    fileDigests: parts.fileDigests ?? {},
    stats: { files: 1, bytes: 1, githubRequests: 0, registryRequests: 0, durationMs: 1 },
  };
}
