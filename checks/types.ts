// The check interface: a check reads the snapshot (and shared facts) and returns evidence-bearing findings.
import type { Facts } from "@/lib/facts";
import type { Snapshot } from "@/lib/snapshot";
import type { Severity } from "@/db/schema";

export type { Severity };

export const SECTION_IDS = ["principles", "data-handling", "prompt-injection", "network", "auth", "operations"] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface Location {
  path: string;
  line?: number;
  endLine?: number;
}

export interface Finding {
  /** Stable id, e.g. "secrets/private-key". */
  ruleId: string;
  severity: Severity;
  title: string;
  /** What was found, here. */
  message: string;
  /** Why it matters. */
  rationale: string;
  remediation: string;
  /** The checklist item this finding informs. */
  checklistItem: string;
  location?: Location;
  /** A short excerpt, secrets redacted. */
  evidence?: string;
  /** Stable across scans: rule id + path + normalized subject. */
  fingerprint: string;
}

/**
 * Services a scan passes to checks that need the network (advisory sources, the package registry). Absent
 * services make those checks report "unavailable", never "ok".
 */
export interface ScanServices {
  [name: string]: unknown;
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
