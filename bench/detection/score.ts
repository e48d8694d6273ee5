// How a scan's report compares with a person's labels: which tools it read, which labelled problems it reported,
// and whether its high and critical findings are real. A finding matches a problem when its rule fits the problem's
// category and it points into the problem's lines (or one of its other places), give or take a few lines.
import type { ScanReport } from "@/lib/core/report";
import type { Label } from "./corpus";

/** Rule id prefixes that can report each category ("" matches any rule). */
export const CATEGORY_RULES: Record<string, readonly string[]> = {
  "annotations-missing": ["tool-annotations/missing", "tool-annotations/"],
  "annotations-wrong": ["tool-annotations/"],
  "description-injection": ["tool-descriptions/"],
  "description-destructive-guidance": ["tool-descriptions/no-misuse-guidance"],
  "input-unvalidated": ["tool-input/", "flow/"],
  "scopes-missing": ["tool-scopes/"],
  "scopes-unenforced": ["tool-scopes/scope-not-enforced", "oauth/insufficient-scope"],
  "auth-missing": ["tool-scopes/", "auth/"],
  ssrf: ["flow/ssrf"],
  "open-redirect": ["flow/open-redirect"],
  "path-traversal": ["flow/path-traversal"],
  "command-injection": ["flow/shell-injection"],
  "sql-injection": ["flow/sql-injection"],
  cors: ["transport/cors"],
  framing: ["transport/frame"],
  "token-not-verified": ["token/decode-without-verify", "token/accepts-any-token"],
  "token-claims": ["token/"],
  "token-passthrough": ["token/passthrough"],
  "token-in-query": ["token/query-string"],
  "shared-identity": ["token/shared-identity"],
  "oauth-redirect-uri": ["oauth/"],
  "oauth-dcr": ["oauth/"],
  "oauth-state": ["oauth/"],
  "oauth-pkce": ["oauth/pkce"],
  "oauth-metadata": ["oauth/"],
  "static-shared-secret": ["token/static-shared-secret", "secrets/"],
  "secret-committed": ["secrets/"],
  "log-secrets": ["logging/"],
  "log-pii": ["logging/"],
  "widget-secrets": ["widget/secret"],
  "widget-xss": ["widget/html-from-tool-output", "widget/message-without-origin-check"],
  "widget-csp": ["widget-csp/"],
  "widget-domain": ["widget-csp/"],
  "widget-apis": ["widget/blocked-dialog", "widget/clipboard"],
  tls: ["tls/"],
  timeouts: ["net/no-timeout"],
  "dns-rebinding": ["transport/dns-rebinding", "transport/empty-allowed-hosts"],
  "structured-content-overshare": ["structured-content/"],
  "vulnerable-dependency": ["dependencies/"],
  "lockfile-hygiene": ["lockfiles/"],
  "ci-workflow": ["ci/"],
  other: [""],
};

const SLACK = 3;

interface Place {
  path: string;
  lines: [number, number];
}

type ReportFinding = ScanReport["findings"][number];

export interface ConnectorScore {
  repo: string;
  tools: { labelled: number; found: number; missing: string[]; phantom: string[] };
  problems: Array<{ id: string; category: string; severity: string; found: boolean; findings: number; rules: string[] }>;
  highFindings: Array<{ ruleId: string; severity: string; where: string; verdict: "problem" | "trap" | "unlabelled"; message: string }>;
  /** Findings (low and above) that matched some labelled problem. */
  matchedFindings: number;
}

function fits(ruleId: string, category: string): boolean {
  return (CATEGORY_RULES[category] ?? [""]).some((prefix) => ruleId.startsWith(prefix));
}

function placesOf(f: ReportFinding, subdirectory: string): Array<{ path: string; line: number | null }> {
  const prefix = subdirectory ? `${subdirectory.replace(/\/+$/, "")}/` : "";
  const all = [f.location, ...(f.related ?? [])].filter((l): l is NonNullable<typeof l> => !!l?.path);
  return all.map((l) => ({ path: prefix + l.path, line: l.line ?? null }));
}

function hits(f: ReportFinding, subdirectory: string, place: Place): boolean {
  return placesOf(f, subdirectory).some(
    (p) => p.path === place.path && (p.line === null ? false : p.line >= place.lines[0] - SLACK && p.line <= place.lines[1] + SLACK),
  );
}

export function scoreConnector(label: Label, report: ScanReport, options: { advisories: boolean }): ConnectorScore {
  const labelledNames = new Set(label.tools.map((t) => t.name));
  const reportNames = new Set(report.tools.map((t) => t.name));
  const missing = [...labelledNames].filter((n) => !reportNames.has(n)).sort();
  const phantom = [...reportNames].filter((n) => !labelledNames.has(n)).sort();

  const problems = label.problems
    .filter((p) => options.advisories || p.category !== "vulnerable-dependency")
    .map((p) => {
      const places: Place[] = [{ path: p.path, lines: p.lines }, ...p.related];
      const matching = report.findings.filter((f) => f.severity !== "info" && fits(f.ruleId, p.category) && places.some((pl) => hits(f, label.subdirectory, pl)));
      const rules = matching.map((f) => f.ruleId);
      return { id: p.id, category: p.category, severity: p.severity, found: matching.length > 0, findings: matching.length, rules, matching };
    });
  const matched = new Set(problems.flatMap((p) => p.matching));

  const highFindings = report.findings
    .filter((f) => f.severity === "critical" || f.severity === "high")
    .map((f) => {
      const loc = placesOf(f, label.subdirectory)[0];
      const where = loc ? `${loc.path}:${loc.line ?? ""}` : "(no location)";
      const verdict: "problem" | "trap" | "unlabelled" = matched.has(f)
        ? "problem"
        : label.traps.some((t) => hits(f, label.subdirectory, t))
          ? "trap"
          : "unlabelled";
      return { ruleId: f.ruleId, severity: f.severity, where, verdict, message: f.message.slice(0, 160) };
    });

  return {
    repo: label.subdirectory ? `${label.repo}/${label.subdirectory}` : label.repo,
    tools: { labelled: labelledNames.size, found: labelledNames.size - missing.length, missing, phantom },
    problems: problems.map(({ matching: _m, ...rest }) => rest),
    highFindings,
    matchedFindings: matched.size,
  };
}

export interface Totals {
  toolRecall: number;
  phantomTools: number;
  highPrecision: number;
  highFindings: number;
  problemRecall: number;
  problems: number;
  findingsPerProblem: number;
}

export function totals(scores: readonly ConnectorScore[]): Totals {
  const labelled = scores.reduce((n, s) => n + s.tools.labelled, 0);
  const found = scores.reduce((n, s) => n + s.tools.found, 0);
  const high = scores.flatMap((s) => s.highFindings);
  const problems = scores.flatMap((s) => s.problems);
  const foundProblems = problems.filter((p) => p.found);
  const matched = scores.reduce((n, s) => n + s.matchedFindings, 0);
  return {
    toolRecall: labelled === 0 ? 1 : found / labelled,
    phantomTools: scores.reduce((n, s) => n + s.tools.phantom.length, 0),
    highPrecision: high.length === 0 ? 1 : high.filter((h) => h.verdict === "problem").length / high.length,
    highFindings: high.length,
    problemRecall: problems.length === 0 ? 1 : foundProblems.length / problems.length,
    problems: problems.length,
    findingsPerProblem: foundProblems.length === 0 ? 0 : matched / foundProblems.length,
  };
}
