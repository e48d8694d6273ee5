// The check interface, after ESLint's rules: a check is its metadata (id, title, section, every rule it can report
// with that rule's wording) and one function over the scan's shared facts and typed services.
import type { ReportRepoConfig, ToolBaseline } from "@/lib/core/report";
import type { CheckId, Finding, ItemId, RuleId, SectionId, Severity } from "@/lib/core/types";
import type { DependencyAudit } from "@/lib/engine/advisories/scan-audit";
import type { DependencyServices } from "@/lib/engine/advisories/services";
import type { Facts } from "@/lib/engine/facts/container";
import type { Snapshot } from "@/lib/engine/snapshot";

/**
 * What a scan is given from outside: services that reach the network (advisory sources, the package registry) and
 * the review's signed-off tool manifest. Absent services make the checks that need them report "unavailable", never
 * "ok".
 */
export interface ScanServices {
  dependencies?: DependencyServices;
  toolBaseline?: ToolBaseline;
}

/** Request counts a scan reports in `stats`; services add to them. */
export interface ScanCounters {
  githubRequests: number;
  registryRequests: number;
  /** Requests to the advisory source (the npm bulk endpoint, GitHub's advisory database). */
  advisoryRequests: number;
}

export interface CheckContext {
  snapshot: Snapshot;
  /** Prepared: the code facts, the tool manifest and everything derived from them. */
  facts: Facts;
  /** The dependency audit, run once before the checks (it may say it could not decide, and why). */
  audit: DependencyAudit;
  /** The repository's launch-review.yml as read (its skips already applied to the snapshot). */
  repoConfig: ReportRepoConfig;
  signal: AbortSignal;
  services: ScanServices;
}

export interface CheckOutcome {
  findings: Finding[];
  status: "ok" | "unavailable";
  error?: string;
  /** Items whose subject is absent here (no auth at all: the OAuth items), with why. */
  notApplicable?: Array<{ item: ItemId; reason: string }>;
}

/** OWASP MCP Top 10 (2025) categories, as the rules tag them. */
export type OwaspMcp =
  | "MCP01:2025 Token Mismanagement & Secret Exposure"
  | "MCP02:2025 Privilege Escalation via Scope Creep"
  | "MCP03:2025 Tool Poisoning"
  | "MCP04:2025 Software Supply Chain Attacks & Dependency Tampering"
  | "MCP05:2025 Command Injection & Execution"
  | "MCP06:2025 Prompt Injection via Contextual Payloads"
  | "MCP07:2025 Insufficient Authentication & Authorization"
  | "MCP08:2025 Lack of Audit and Telemetry"
  | "MCP09:2025 Shadow MCP Servers"
  | "MCP10:2025 Context Injection & Over-Sharing";

/** A rule's fixed metadata; findings are built from it so wording stays in one place. */
export interface Rule {
  id: RuleId;
  /** The checklist item this rule can fail, or "informational" when it can fail none on purpose. */
  item: ItemId | "informational";
  /** For informational rules: the item whose reviewer the finding helps (shown there, never changing its status). */
  hint?: ItemId;
  severity: Severity;
  title: string;
  /** Why it matters. */
  rationale: string;
  /** How to fix it. */
  remediation: string;
  /** Where it sits in the OWASP MCP Top 10, and the CWE ids it is an instance of. */
  tags?: { owasp?: OwaspMcp; cwe?: readonly string[] };
}

export interface Check {
  id: CheckId;
  /** One line. */
  title: string;
  section: SectionId;
  /** Every rule the check can report. */
  rules: readonly Rule[];
  run(ctx: CheckContext): Promise<CheckOutcome> | CheckOutcome;
}
