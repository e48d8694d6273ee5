// The check interface: a check reads the snapshot (and shared facts) and returns evidence-bearing findings.
import type { Finding, SectionId, Severity } from "@/lib/core/types";
import type { ToolBaseline } from "@/lib/core/report";
import type { DependencyServices } from "@/lib/engine/advisories/services";
import type { Facts } from "@/lib/engine/facts";
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
  facts: Facts;
  signal: AbortSignal;
  services: ScanServices;
  counters: ScanCounters;
}

export interface CheckOutcome {
  findings: Finding[];
  /** Structured results for the report: `tools` (ReportTool[]) and `dependencies` (ReportDependencies) are read by lib/scan.ts. */
  facts?: Record<string, unknown>;
  status: "ok" | "unavailable";
  error?: string;
}

export interface Check {
  id: string;
  /** One line. */
  title: string;
  section: SectionId;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

/** A rule's fixed metadata; findings are built from it so wording stays in one place. */
export interface Rule {
  id: string;
  severity: Severity;
  title: string;
  rationale: string;
  remediation: string;
  checklistItem: string;
}
