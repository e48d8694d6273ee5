// The scan pipeline, shared by the app, the CLI and the GitHub Action:
// source → snapshot → parse (facts) → dependency audit → checks → checklist → report.
// It never touches the database: callers persist the report (the app in one transaction, the CLI not at all).
import { CHECKS, findingTags } from "@/checks";
import { lineEvidence } from "@/checks/evidence";
import type { Check, CheckContext, CheckOutcome, ScanServices } from "@/checks/types";
import { AppError } from "@/lib/core/errors";
import type { CheckRun, ReportFinding, ScanReport } from "@/lib/core/report";
import { SEVERITY_ORDER, severityRank, type Finding, type ItemId, type Logger, type ScanProgress } from "@/lib/core/types";
import { auditDependencies } from "./advisories/scan-audit";
import { prepareRepoConfig, resolveIgnores } from "./config/apply";
import { deriveChecklist, type CheckRunSummary } from "./checklist/derive";
import { CURRENT_CHECKLIST, type ChecklistTemplate } from "./checklist/template";
import { Facts } from "./facts/container";
import { reportWidgets, toReportTool } from "./report/tools";
import { generateSubmission } from "./submission/generate";
import { DEFAULT_LIMITS, type SnapshotLimits } from "./snapshot";
import { readSource } from "./sources";
import type { ArchiveLimits, SourceOptions, SourceSpec } from "./sources/types";
import { compareText } from "@/lib/core/compare";

export interface ScanOptions {
  limits?: SnapshotLimits;
  /** Bounds on a GitHub archive (download, unpacked size, entries). */
  archiveLimits?: ArchiveLimits;
  /** Called once a GitHub ref is resolved to its commit, before the download. */
  onCommit?: (commit: string, ref: string) => void;
  /** Tests against a local fake GitHub: faster retries. */
  github?: SourceOptions["github"];
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  logger?: Logger;
  checks?: readonly Check[];
  template?: ChecklistTemplate;
  /** Longest a single check may run before it is reported unavailable. */
  checkTimeoutMs?: number;
  services?: ScanServices;
  /**
   * Apply the ignores the repository declares in launch-review.yml (the CLI and the Action). The app leaves this off:
   * there the ignores are proposed waivers a reviewer decides on.
   */
  applyRepoIgnores?: boolean;
  /** Today, for ignore expiry (tests). */
  now?: Date;
  /**
   * The engine's yield point, called between files and between checks. It may block for a moment: the app's scan
   * threads wait there while the web thread answers a request (lib/jobs/foreground.ts). The CLI passes nothing.
   */
  pace?: () => void;
}

export async function runScan(spec: SourceSpec, options: ScanOptions = {}): Promise<ScanReport> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const checks = options.checks ?? CHECKS;
  const template = options.template ?? CURRENT_CHECKLIST;
  const progress = options.onProgress ?? (() => {});
  const log = options.logger;

  progress({ stage: "source", message: "Reading the repository", files: 0 });
  let reading = "Reading the repository";
  const read = await readSource(spec, {
    limits: options.limits ?? DEFAULT_LIMITS,
    archiveLimits: options.archiveLimits,
    signal,
    github: options.github,
    pace: options.pace,
    onProgress: (files) => progress({ stage: "source", message: reading, files }),
    onCommit: (commit, ref) => {
      reading = `Reading ${ref} at ${commit.slice(0, 7)}`;
      progress({ stage: "source", message: reading, files: 0 });
      options.onCommit?.(commit, ref);
    },
  });
  const { source, githubRequests } = read;
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const { snapshot, repoConfig } = prepareRepoConfig(read.snapshot, today);
  log?.info({ files: snapshot.fileCount, bytes: snapshot.totalBytes, commit: snapshot.commit }, "snapshot ready");
  const services = withWatched(options.services ?? {}, repoConfig.watch);

  const facts = new Facts(snapshot, { pace: options.pace });
  let results: CheckResults;
  let audit: Awaited<ReturnType<typeof auditDependencies>>;
  let submission: ReturnType<typeof generateSubmission>;
  try {
    progress({ stage: "checks", message: "Reading the code", done: 0, total: checks.length, files: snapshot.fileCount, findings: 0 });
    // The audit waits on the network and reading the code on the processor: the audit's requests go out first and are
    // answered while the code is read (prepare lets the event loop turn). Awaited below; the catch only keeps a failure
    // that comes while the code is read from counting as unhandled.
    const auditing = auditDependencies(facts, services.dependencies, signal);
    auditing.catch(() => {});
    await facts.prepare();
    signal.throwIfAborted();
    progress({ stage: "checks", message: "Auditing dependencies", done: 0, total: checks.length, files: snapshot.fileCount, findings: 0 });
    audit = await auditing;
    const ctx: CheckContext = { snapshot, facts, audit, repoConfig, signal, services };
    results = await runChecks(checks, ctx, { timeoutMs: options.checkTimeoutMs ?? 120_000, pace: options.pace }, progress, log);
    submission = generateSubmission(facts);
  } finally {
    facts.dispose();
  }
  const { runs, notApplicable } = results;
  const ignores = resolveIgnores(repoConfig, results.findings, options.applyRepoIgnores ?? false);
  const findings = ignores.findings;
  signal.throwIfAborted();

  progress({
    stage: "checklist",
    message: "Filling the checklist",
    done: checks.length,
    total: checks.length,
    files: snapshot.fileCount,
    findings: findings.length,
  });
  const sorted = dedupe(findings).sort(compareFindings);
  const checkRuns = new Map<string, CheckRunSummary>(runs.map((r) => [r.id, { status: r.status, ...(r.error ? { error: r.error } : {}) }]));
  const guidance = new Map<string, string>(template.items.map((i) => [i.id, i.guidance]));
  const checklist = deriveChecklist(template, checks, checkRuns, sorted, notApplicable).map((item) => ({
    ...item,
    guidance: guidance.get(item.id) ?? "",
  }));

  const fileDigests = snapshot.digests();
  const summary = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as ScanReport["summary"];
  for (const f of sorted) summary[f.severity] += 1;
  const manifest = facts.tools;

  return {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    source: { ...source, commit: snapshot.commit ?? source.commit, contentHash: snapshot.contentHash(fileDigests) },
    summary,
    findings: sorted,
    tools: manifest.tools.map(toReportTool),
    widgets: reportWidgets(manifest),
    dependencies: audit.dependencies,
    checklist,
    checklistVersion: template.version,
    repoConfig: ignores.repoConfig,
    submission,
    ...(ignores.ignored.length > 0 ? { ignored: ignores.ignored } : {}),
    checks: runs,
    coverage: {
      omitted: snapshot.omitted().map((f) => ({ path: f.path, size: f.size, reason: f.omitted ?? "" })),
      skipped: snapshot.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    },
    fileDigests,
    stats: {
      files: snapshot.fileCount,
      bytes: snapshot.totalBytes,
      githubRequests,
      registryRequests: audit.registryRequests + (read.registryRequests ?? 0),
      advisoryRequests: audit.advisoryRequests,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

interface CheckResults {
  findings: ReportFinding[];
  runs: CheckRun[];
  /** Items a check found to have no subject here, with why. */
  notApplicable: Map<ItemId, string>;
}

async function runChecks(
  checks: readonly Check[],
  ctx: CheckContext,
  { timeoutMs, pace }: { timeoutMs: number; pace?: () => void },
  progress: (p: ScanProgress) => void,
  log: Logger | undefined,
): Promise<CheckResults> {
  const findings: ReportFinding[] = [];
  const runs: CheckRun[] = [];
  const notApplicable = new Map<ItemId, string>();
  const files = ctx.snapshot.fileCount;
  for (const [i, check] of checks.entries()) {
    ctx.signal.throwIfAborted();
    pace?.();
    progress({ stage: "checks", message: `Running ${check.title}`, done: i, total: checks.length, files, findings: findings.length });
    const t0 = performance.now();
    const outcome = await runCheck(check, ctx, timeoutMs);
    if (outcome.status === "unavailable") log?.warn({ check: check.id, error: outcome.error }, "check unavailable");
      for (const na of outcome.notApplicable ?? []) if (!notApplicable.has(na.item)) notApplicable.set(na.item, na.reason);
    const rules = new Map(check.rules.map((r) => [r.id, r]));
    for (const f of outcome.findings) {
      const tags = findingTags(rules.get(f.ruleId));
      findings.push({ ...withEvidence(f, ctx), checkId: check.id, section: check.section, ...(tags ? { tags } : {}) });
    }
    runs.push({
      id: check.id,
      title: check.title,
      section: check.section,
      status: outcome.status,
      error: outcome.error ?? null,
      findings: outcome.findings.length,
      durationMs: Math.round(performance.now() - t0),
    });
  }
  return { findings, runs, notApplicable };
}

/** Runs one check; a throw or a timeout becomes an "unavailable" outcome instead of sinking the scan. */
async function runCheck(check: Check, ctx: CheckContext, timeoutMs: number): Promise<CheckOutcome> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new AppError("timeout:check", `timed out after ${timeoutMs} ms`)), timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout.signal]);
  try {
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    return await Promise.race([Promise.resolve(check.run({ ...ctx, signal })), aborted]);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const message = error instanceof Error ? error.message : String(error);
    return { status: "unavailable", findings: [], error: `${check.id} failed: ${message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Two checks (or two matches) may report the same thing; keep the first. */
function dedupe(findings: ReportFinding[]): ReportFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.fingerprint}:${f.location?.line ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.location?.path ?? "", b.location?.path ?? "") ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    compareText(a.ruleId, b.ruleId)
  );
}

/** The watch list the repository adds in launch-review.yml joins the one the scan was given. */
function withWatched(services: ScanServices, watch: readonly string[]): ScanServices {
  if (watch.length === 0 || !services.dependencies) return services;
  const watchList = [...new Set([...services.dependencies.watchList, ...watch])];
  return { ...services, dependencies: { ...services.dependencies, watchList } };
}

/** A finding at a line (a tool, a widget, a manifest entry) shows that line when its check gave no excerpt. */
function withEvidence(f: Finding, ctx: CheckContext): Finding {
  if (f.evidence || !f.location?.line) return f;
  const text = ctx.snapshot.text(f.location.path);
  const evidence = text === null ? "" : lineEvidence(text, f.location.line).trim();
  return evidence ? { ...f, evidence } : f;
}
