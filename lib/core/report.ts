// The report, schemaVersion 1: what the CLI prints with --format json and the app exports. Fields may be added;
// the ones in design.md keep their meaning.
import type {
  ChecklistItemResult,
  DeclarationStyle,
  Finding,
  InputSchemaSummary,
  LagLevel,
  ReportSource,
  SectionId,
  Severity,
} from "./types";

/** Where a finding's rule sits in the OWASP MCP Top 10 (2025), and the CWE ids it is an instance of. */
export interface FindingTags {
  /** "MCP01:2025 Token Mismanagement & Secret Exposure" */
  owasp?: string;
  /** ["CWE-532"] */
  cwe?: string[];
}

export type ReportFinding = Finding & {
  checkId: string;
  section: SectionId;
  /** Added field: the rule's tags, from the checks registry (absent when the rule has none, and in older reports). */
  tags?: FindingTags;
  /** With a baseline: whether the finding is new since the baseline, or was already there. */
  baselineState?: "new" | "unchanged";
};

export interface ReportTool {
  name: string;
  title: string | null;
  description: string | null;
  annotations: Record<string, unknown> | null;
  securitySchemes: unknown[] | null;
  meta: Record<string, unknown> | null;
  location: { path: string; line: number };
  dynamic: string[];
  /** Added fields (schemaVersion 1 allows additions): the input schema's shape, how the tool was declared, the loop
   * it is registered in when that loop's data could not be read, and a hash of the reviewed fields. */
  inputSchema?: InputSchemaSummary;
  style?: DeclarationStyle;
  loop?: string | null;
  hash?: string;
}

/** A widget resource and its CSP, as the widget-csp check read them. */
export interface ReportWidget {
  uri: string;
  name: string | null;
  mimeType: string | null;
  /** "openai/widgetCSP", "ui.csp": where the CSP was declared. */
  cspSources: string[];
  csp: { connect: string[]; resource: string[]; frame: string[]; redirect: string[]; baseUri: string[] };
  domain: string | null;
  location: { path: string; line: number };
  dynamic: string[];
}

export interface ReportVulnerability {
  package: string;
  version: string;
  advisory: string;
  severity: Severity;
  title: string;
  vulnerableRange: string;
  fixedIn: string | null;
  direct: boolean;
  dev: boolean;
  paths: string[][];
  lockfile: string;
}

export interface ReportDependencies {
  lockfiles: Array<{ path: string; format: "npm" | "pnpm" | "yarn" | "bun" | "uv" | "poetry" | "pip"; packages: number }>;
  vulnerabilities: ReportVulnerability[];
  watched: Array<{
    package: string;
    version: string;
    latest: string | null;
    behind: "major" | "minor" | "patch" | null;
    deprecated: string | false;
    /** The newest release with the locked major version. */
    latestInMajor?: string | null;
    /** Days since a newer release than the locked version came out. */
    daysSinceSuperseded?: number | null;
    /** Why the registry couldn't say (unreachable, not found). */
    note?: string;
    ecosystem?: "npm" | "pypi";
  }>;
  advisorySource: { name: string; status: "ok" | "unavailable"; fetchedAt: string | null; error: string | null };
  /** Lockfiles found but not read (malformed, too large, binary), with why: their packages were not audited. */
  unreadable?: Array<{ path: string; reason: string }>;
}

export interface CheckRun {
  id: string;
  title: string;
  section: SectionId;
  status: "ok" | "unavailable";
  error: string | null;
  findings: number;
  durationMs: number;
}

/** One ignore a repository declares in launch-review.yml, and what it covered in this scan. */
export interface RepoIgnore {
  rule: string | null;
  fingerprint: string | null;
  path: string | null;
  reason: string;
  expires: string;
  /** "expired" ignores no longer apply (and are reported). */
  state: "active" | "expired";
  /** Fingerprints of the findings it covers: taken out of the report by the CLI, proposed as waivers in the app. */
  findings: string[];
}

/** The repository's launch-review.yml, as this scan read and applied it. */
export interface ReportRepoConfig {
  path: string | null;
  status: "absent" | "ok" | "invalid";
  error: string | null;
  /** Files left out with the reason the file gives. */
  skipped: number;
  watch: string[];
  ignores: RepoIgnore[];
  /** Whether the ignores were applied (CLI, Action) or only proposed (the app, where a reviewer decides). */
  applied: boolean;
}

export interface ScanReport {
  schemaVersion: 1;
  generatedAt: string;
  source: ReportSource;
  summary: Record<Severity, number>;
  findings: ReportFinding[];
  tools: ReportTool[];
  /** Added field: widget resources and their CSP (absent in reports made before it existed). */
  widgets?: ReportWidget[];
  dependencies: ReportDependencies;
  checklist: Array<ChecklistItemResult & { guidance: string }>;
  /** Added field: the repository's launch-review.yml (absent in reports made before it existed). */
  repoConfig?: ReportRepoConfig;
  /**
   * Added field: chatgpt-app-submission.v1.json as generated from the code (every tool with its three hints and a
   * justification for each), for the team to complete and upload.
   */
  submission?: unknown;
  /** Added field: the baseline this report was compared with (`--baseline`, `--since`), and what changed. */
  baseline?: { source: string; new: number; unchanged: number; fixed: number };
  /** Added field: findings an active repository ignore took out of `findings`, with the ignore's reason. */
  ignored?: Array<ReportFinding & { ignoredBecause: { reason: string; expires: string } }>;
  checklistVersion: number;
  checks: CheckRun[];
  /** Files the checks could not read (binary, too large) and entries skipped (symlinks, unsafe paths). */
  coverage: { omitted: Array<{ path: string; size: number; reason: string }>; skipped: Array<{ path: string; reason: string }> };
  /** A short digest per file, so a later scan can tell which files changed. */
  fileDigests: Record<string, string>;
  stats: { files: number; bytes: number; githubRequests: number; registryRequests: number; advisoryRequests?: number; durationMs: number };
}

/** A watched package as a scan found it: the patch matrix's cell and its history. */
export interface WatchedPackage {
  package: string;
  version: string;
  latest: string | null;
  lag: LagLevel;
  advisories: string[];
  fixedIn: string | null;
}

/** A signed-off tool manifest: a review passes it to a scan so changed descriptions are reported. */
export interface ToolBaseline {
  /** Shown in messages, e.g. "sign-off of 2026-05-01". */
  label?: string;
  tools: Array<{ name: string; description: string | null }>;
}
