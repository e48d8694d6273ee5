// Core types: the words every layer shares (severity, sections, findings, rules, tools, progress). A leaf module:
// it imports nothing of ours, so the engine, the database layer and the app can all depend on it.

export const SEVERITIES = ["critical", "high", "moderate", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_ORDER: readonly Severity[] = SEVERITIES;

/** 0 for critical, 4 for info: lower is worse. */
export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.indexOf(s);
}

export const SECTION_IDS = ["principles", "data-handling", "prompt-injection", "network", "auth", "operations"] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** Checklist item ids, version 1 (sections.items). A rule names the item it can fail; the checklist lists them. */
export const ITEM_IDS = [
  "principles.least-privilege",
  "principles.explicit-consent",
  "principles.defense-in-depth",
  "data-handling.minimal-structured-content",
  "data-handling.no-secrets-in-widgets",
  "data-handling.retention-policy",
  "data-handling.deletion-requests",
  "data-handling.log-redaction",
  "data-handling.correlation-ids",
  "prompt-injection.tool-descriptions",
  "prompt-injection.misuse-guidance",
  "prompt-injection.annotations",
  "prompt-injection.input-validation",
  "prompt-injection.human-confirmation",
  "prompt-injection.injection-testing",
  "network.widget-csp",
  "network.widget-sandbox-apis",
  "network.outbound-tls",
  "network.timeouts-retries",
  "network.transport-hardening",
  "auth.oauth-pkce-dcr",
  "auth.scopes-enforced",
  "auth.token-validation",
  "auth.no-long-lived-secrets",
  "operations.security-review",
  "operations.monitoring-alerts",
  "operations.dependencies-patched",
  "operations.dependency-hygiene",
  "operations.ci-hardening",
] as const;
export type ItemId = (typeof ITEM_IDS)[number];

/** A check's id ("tool-annotations"). */
export type CheckId = string;
/** A rule's id ("token/passthrough"): stable across releases, used in ignores, baselines and SARIF. */
export type RuleId = string;

export interface Location {
  path: string;
  line?: number;
  endLine?: number;
}

export interface Finding {
  /** Stable id, e.g. "secrets/private-key". */
  ruleId: RuleId;
  severity: Severity;
  title: string;
  /** What was found, here. */
  message: string;
  /** Why it matters. */
  rationale: string;
  remediation: string;
  /** The checklist item this finding informs ("informational" for findings that inform none). */
  checklistItem: string;
  location?: Location;
  /** One finding per problem: every other place the same problem shows up. */
  related?: Location[];
  /** A short excerpt, secrets redacted. */
  evidence?: string;
  /** Stable across scans: rule id + path + normalized subject. */
  fingerprint: string;
}

/** A check's progress through a scan, shown while it runs. */
export interface ScanProgress {
  stage: "queued" | "source" | "checks" | "checklist" | "saving" | "done" | "failed";
  message: string;
  done?: number;
  total?: number;
  files?: number;
  findings?: number;
}

/** How far a locked version lags its latest release: the colour of a patch-matrix cell. */
export const LAG_LEVELS = ["current", "patch", "minor", "major", "vulnerable", "unknown"] as const;
export type LagLevel = (typeof LAG_LEVELS)[number];

// ---- Checklist results ----

export type Verification = "automatic" | "manual" | "both";
export const ITEM_STATUSES = ["pass", "fail", "warn", "unknown", "needs-attestation", "not-applicable"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface ChecklistItemResult {
  id: string;
  section: SectionId;
  title: string;
  status: ItemStatus;
  blocking: boolean;
  verification: Verification;
  /** Fingerprints of the findings behind the status. */
  findings: string[];
  /** Why the status is what it is, in a sentence. */
  reason: string;
}

// ---- Tools, as read statically from the code ----

/** A value the parser could not know without running the code: kept as the expression's text, never guessed. */
export interface DynamicValue {
  $dynamic: string;
}

export type StaticValue = null | boolean | number | string | StaticValue[] | { [key: string]: StaticValue } | DynamicValue;

/** How a tool was declared; each style has its own reader. */
export type DeclarationStyle =
  | "registerTool"
  | "server.tool"
  | "registerAppTool"
  | "addTool"
  | "tools-array"
  | "json-rpc"
  | "mcp-handler"
  | "xmcp"
  | "fastmcp"
  | "python-lowlevel";

export interface InputField {
  name: string;
  /** "string", "number", "boolean", "array", "object", "enum", "any", "unknown", "record", "object(open)", "url", … */
  type: string;
  optional: boolean;
}

export interface InputSchemaSummary {
  /** "none": no schema declared; "dynamic": declared but not statically known. */
  kind: "zod" | "json-schema" | "python" | "none" | "dynamic";
  fields: InputField[];
  /** The whole input accepts arbitrary keys or values (z.any() as the schema, additionalProperties, **kwargs, dict). */
  open: boolean;
}

// ---- Sources ----

/** The `source` block of the report. */
export interface ReportSource {
  kind: "local" | "github" | "npm";
  repository: string | null;
  ref: string | null;
  commit: string | null;
  /** Hash of every scanned file: identifies a local folder's state the way a commit does for git. */
  contentHash?: string;
  subdirectory: string;
  /** Local folder path, for local sources. */
  path?: string;
  /** Web URL of the repository (https://github.com/owner/repo), for links to files at the commit. */
  webUrl?: string;
  /** npm sources: the package, its version and the integrity the tarball was checked against. */
  package?: { name: string; version: string; integrity: string };
}

/** Something the engine can log to; the app passes a pino child logger, the CLI nothing. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}
