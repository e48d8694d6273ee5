// The review's rules as pure functions: what settles an item, who may decide what, when a sign-off is possible,
// what a later scan changed, and which decisions carry over into a new review. No I/O here.
import { createHash } from "node:crypto";
import type { Severity } from "@/lib/core/types";
import type { ItemStatus } from "@/lib/core/types";
import { CHECKS } from "@/checks";
import { checksByItem } from "@/lib/engine/checklist/derive";
import type { ChecklistItem, ChecklistTemplate } from "@/lib/engine/checklist/template";
import type { ScanReport } from "@/lib/core/report";
import { severityRank } from "@/lib/core/types";
import type { Capability } from "@/lib/auth/permissions";
import { AppError } from "@/lib/core/errors";
import { stableJson } from "@/lib/core/stable-json";

export type DecisionKind = "accept" | "request-changes" | "waive";

export interface ItemFinding {
  fingerprint: string;
  severity: Severity;
}

export interface ReviewItemState {
  itemId: string;
  autoStatus: ItemStatus;
  findings: ItemFinding[];
  evidenceDigest: string;
  decision: DecisionKind | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  waiverExpiresAt: Date | null;
  attestation: string | null;
  attestationEvidence: string | null;
  attestedBy: string | null;
  attestedAt: Date | null;
  carriedOver: boolean;
  /** The row's version (bumped by each decision and attestation), for optimistic concurrency; absent before it is stored. */
  version?: number;
}

/** Where an item stands: settled ones let a sign-off through. */
export type Settlement = "passed" | "accepted" | "waived" | "waiver-expired" | "changes-requested" | "needs-attestation" | "open";

export function isSettled(s: Settlement): boolean {
  return s === "passed" || s === "accepted" || s === "waived";
}

export function settlement(item: ReviewItemState, def: Pick<ChecklistItem, "verification">, now: Date): Settlement {
  switch (item.decision) {
    case "waive":
      return item.waiverExpiresAt && item.waiverExpiresAt > now ? "waived" : "waiver-expired";
    case "request-changes":
      return "changes-requested";
    case "accept":
      return def.verification !== "automatic" && !item.attestation ? "needs-attestation" : "accepted";
    default:
      if (def.verification === "automatic" && item.autoStatus === "pass") return "passed";
      return def.verification === "automatic" ? "open" : "needs-attestation";
  }
}

/** An item is critical when any finding behind it is. */
export function isCritical(item: Pick<ReviewItemState, "findings">): boolean {
  return item.findings.some((f) => f.severity === "critical");
}

export interface DecisionInput {
  kind: DecisionKind;
  note: string;
  waiverExpiresAt?: Date | null;
  /** The item version the deciding form was shown: a different current version means someone decided since. */
  expectedVersion?: number;
}

export const MAX_WAIVER_DAYS = 365;

/** Throws an AppError saying why, when this decision is not allowed; otherwise returns normally. */
export function assertCanDecide(
  item: ReviewItemState,
  def: Pick<ChecklistItem, "blocking" | "verification">,
  input: DecisionInput,
  caller: { can: (c: Capability) => boolean },
  now: Date,
): void {
  if (!caller.can("review.decide")) throw new AppError("forbidden:decide", "Your role can't decide checklist items.");
  const note = input.note.trim();
  switch (input.kind) {
    case "accept":
      if (item.autoStatus === "fail") {
        throw new AppError(
          "invalid:accept",
          "A failing item can't simply be accepted: request changes, or waive it with a justification and an expiry date.",
        );
      }
      if (def.verification !== "automatic" && !item.attestation) {
        throw new AppError("invalid:accept", "Attest this item first: a statement and an evidence link or note.");
      }
      return;
    case "request-changes":
      if (note.length < 3) throw new AppError("invalid:note", "Say what needs to change.");
      return;
    case "waive": {
      if (note.length < 10) throw new AppError("invalid:note", "A waiver needs a justification (at least a sentence).");
      const expires = input.waiverExpiresAt;
      if (!expires || Number.isNaN(expires.getTime())) throw new AppError("invalid:expiry", "A waiver needs an expiry date.");
      if (expires <= now) throw new AppError("invalid:expiry", "The expiry date must be in the future.");
      if (expires.getTime() - now.getTime() > MAX_WAIVER_DAYS * 24 * 3600_000)
        throw new AppError("invalid:expiry", `A waiver lasts at most ${MAX_WAIVER_DAYS} days.`);
      if ((def.blocking || isCritical(item)) && !caller.can("review.waive-blocking")) {
        throw new AppError("forbidden:waive", "Waiving a blocking or critical item needs the security lead role.");
      }
      return;
    }
  }
}

export function assertCanAttest(
  def: Pick<ChecklistItem, "verification">,
  statement: string,
  evidence: string,
  caller: { can: (c: Capability) => boolean },
): void {
  if (!caller.can("review.decide")) throw new AppError("forbidden:attest", "Your role can't attest checklist items.");
  if (def.verification === "automatic")
    throw new AppError("invalid:attest", "This item is decided automatically; it takes no attestation.");
  if (statement.trim().length < 10) throw new AppError("invalid:statement", "Write the statement you attest (at least a sentence).");
  if (evidence.trim().length < 3) throw new AppError("invalid:evidence", "Give an evidence link or a note saying where the evidence is.");
}

export interface SignOffCheck {
  ok: boolean;
  /** Blocking items that are not settled, with where they stand. */
  openBlocking: Array<{ itemId: string; settlement: Settlement }>;
  reasons: string[];
}

export function signOffCheck(
  items: readonly ReviewItemState[],
  template: ChecklistTemplate,
  context: {
    now: Date;
    signerId: string;
    registrantId: string;
    requireSecondPerson: boolean;
    canSignOff: boolean;
    reviewStatus: "in-progress" | "signed-off" | "stale" | "superseded";
    newerScanExists: boolean;
  },
): SignOffCheck {
  const defs = new Map<string, ChecklistItem>(template.items.map((i) => [i.id, i]));
  const openBlocking = items
    .filter((i) => defs.get(i.itemId)?.blocking)
    .map((i) => ({ itemId: i.itemId, settlement: settlement(i, defs.get(i.itemId)!, context.now) }))
    .filter((i) => !isSettled(i.settlement));
  const reasons: string[] = [];
  if (context.reviewStatus !== "in-progress") reasons.push(`This review is ${context.reviewStatus.replace("-", " ")}.`);
  if (!context.canSignOff) reasons.push("Your role can't sign off: it takes a reviewer or a security lead.");
  if (context.requireSecondPerson && context.signerId === context.registrantId) {
    reasons.push("The person who registered the connector can't sign it off: a second person must.");
  }
  if (context.newerScanExists) reasons.push("A newer scan exists: start a review from it.");
  if (openBlocking.length > 0)
    reasons.push(`${openBlocking.length} blocking item${openBlocking.length === 1 ? " is" : "s are"} not passed, accepted or waived.`);
  return { ok: reasons.length === 0, openBlocking, reasons };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The hash a sign-off records: every item's decision, waiver and attestation, canonically serialized. */
export function decisionsHash(items: readonly ReviewItemState[]): string {
  const rows = [...items]
    .sort((a, b) => a.itemId.localeCompare(b.itemId))
    .map((i) => ({
      itemId: i.itemId,
      autoStatus: i.autoStatus,
      decision: i.decision,
      decidedBy: i.decidedBy,
      decisionNote: i.decisionNote,
      waiverExpiresAt: i.waiverExpiresAt,
      attestation: i.attestation,
      attestationEvidence: i.attestationEvidence,
      attestedBy: i.attestedBy,
    }));
  return sha256(stableJson(rows));
}

/** What a tool looks like to the model: a change to any of it is a change to what was reviewed. */
export function toolDigest(tool: ScanReport["tools"][number]): string {
  return sha256(
    stableJson({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      annotations: tool.annotations,
      securitySchemes: tool.securitySchemes,
      meta: tool.meta,
    }),
  );
}

function advisoryPairs(report: ScanReport): string[] {
  return [...new Set(report.dependencies.vulnerabilities.map((v) => `${v.package}@${v.version} ${v.advisory}`))].sort();
}

const TOOL_CHECKS = new Set(["tool-annotations", "tool-descriptions", "tool-input", "tool-scopes", "widget-csp"]);
/** The checks that decide each item, from the rules in the registry. */
const DECIDED_BY = checksByItem(CHECKS);

/**
 * What a checklist item was judged on. Two scans with the same digest for an item need no new decision on it:
 * the automatic status and the findings behind it, plus the tool manifest for tool items and the advisories for
 * dependency items.
 */
export function evidenceDigest(def: ChecklistItem, report: ScanReport): string {
  const result = report.checklist.find((c) => c.id === def.id);
  const bySeverity = new Map(report.findings.map((f) => [f.fingerprint, f.severity]));
  const findings = (result?.findings ?? []).map((fp) => `${fp}:${bySeverity.get(fp) ?? ""}`).sort();
  const extra: Record<string, unknown> = {};
  const checks = DECIDED_BY.get(def.id) ?? [];
  if (checks.some((c) => TOOL_CHECKS.has(c))) extra.tools = report.tools.map(toolDigest).sort();
  if (checks.includes("dependencies")) extra.advisories = advisoryPairs(report);
  return sha256(stableJson({ status: result?.status ?? "unknown", findings, extra }));
}

export interface ScanChanges {
  newFindings: Array<{ fingerprint: string; ruleId: string; severity: Severity; title: string; path: string | null }>;
  worseFindings: Array<{ fingerprint: string; ruleId: string; from: Severity; to: Severity; title: string }>;
  newAdvisories: string[];
  tools: { added: string[]; removed: string[]; changed: string[] };
  /** Files that had findings at review time and changed since. */
  touchedFiles: string[];
}

export function isEmptyChange(c: ScanChanges): boolean {
  return (
    c.newFindings.length === 0 &&
    c.worseFindings.length === 0 &&
    c.newAdvisories.length === 0 &&
    c.tools.added.length + c.tools.removed.length + c.tools.changed.length === 0 &&
    c.touchedFiles.length === 0
  );
}

/** What a later scan changed compared with the reviewed one. */
export function compareScans(reviewed: ScanReport, later: ScanReport): ScanChanges {
  const before = new Map(reviewed.findings.map((f) => [f.fingerprint, f]));
  const newFindings: ScanChanges["newFindings"] = [];
  const worseFindings: ScanChanges["worseFindings"] = [];
  for (const f of later.findings) {
    if (f.severity === "info") continue;
    const old = before.get(f.fingerprint);
    if (!old)
      newFindings.push({
        fingerprint: f.fingerprint,
        ruleId: f.ruleId,
        severity: f.severity,
        title: f.title,
        path: f.location?.path ?? null,
      });
    else if (severityRank(f.severity) < severityRank(old.severity)) {
      worseFindings.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, from: old.severity, to: f.severity, title: f.title });
    }
  }
  const oldPairs = new Set(advisoryPairs(reviewed));
  const newAdvisories = advisoryPairs(later).filter((p) => !oldPairs.has(p));

  const key = (t: ScanReport["tools"][number]) => `${t.name}`;
  const oldTools = new Map(reviewed.tools.map((t) => [key(t), toolDigest(t)]));
  const newTools = new Map(later.tools.map((t) => [key(t), toolDigest(t)]));
  const tools = {
    added: [...newTools.keys()].filter((k) => !oldTools.has(k)).sort(),
    removed: [...oldTools.keys()].filter((k) => !newTools.has(k)).sort(),
    changed: [...newTools.entries()]
      .filter(([k, d]) => oldTools.has(k) && oldTools.get(k) !== d)
      .map(([k]) => k)
      .sort(),
  };

  const sameState = (reviewed.source.commit ?? reviewed.source.contentHash) === (later.source.commit ?? later.source.contentHash);
  const findingFiles = new Set(reviewed.findings.map((f) => f.location?.path).filter((p): p is string => Boolean(p)));
  const touchedFiles = sameState
    ? []
    : [...findingFiles].filter((p) => (reviewed.fileDigests?.[p] ?? null) !== (later.fileDigests?.[p] ?? null)).sort();

  return { newFindings, worseFindings, newAdvisories, tools, touchedFiles };
}

/** The changes in plain sentences, for the connector page and the audit log. */
export function describeChanges(c: ScanChanges): string[] {
  const out: string[] = [];
  for (const f of c.newFindings.slice(0, 20))
    out.push(`New ${f.severity} finding: ${f.title}${f.path ? ` in ${f.path}` : ""} (${f.ruleId}).`);
  if (c.newFindings.length > 20) out.push(`…and ${c.newFindings.length - 20} more new findings.`);
  for (const f of c.worseFindings) out.push(`Worse: ${f.title} went from ${f.from} to ${f.to} (${f.ruleId}).`);
  for (const a of c.newAdvisories) out.push(`New advisory: ${a}.`);
  for (const t of c.tools.added) out.push(`Tool added: ${t}.`);
  for (const t of c.tools.removed) out.push(`Tool removed: ${t}.`);
  for (const t of c.tools.changed) out.push(`Tool changed (description, annotations, scopes or _meta): ${t}.`);
  if (c.touchedFiles.length > 0)
    out.push(`Changed files that had findings: ${c.touchedFiles.slice(0, 10).join(", ")}${c.touchedFiles.length > 10 ? "…" : ""}.`);
  return out;
}

/** Items of a signed-off review whose waiver has run out. */
export function expiredWaivers(items: readonly ReviewItemState[], now: Date): string[] {
  return items.filter((i) => i.decision === "waive" && (!i.waiverExpiresAt || i.waiverExpiresAt <= now)).map((i) => i.itemId);
}

/**
 * A new review's items from the new scan, with decisions carried over from the previous review where the item's
 * evidence is unchanged (and a waiver has not expired); everything else asks again.
 */
export function carryOver(
  template: ChecklistTemplate,
  report: ScanReport,
  previous: ReadonlyMap<string, ReviewItemState> | null,
  now: Date,
): ReviewItemState[] {
  const bySeverity = new Map(report.findings.map((f) => [f.fingerprint, f.severity]));
  return template.items.map((def) => {
    const result = report.checklist.find((c) => c.id === def.id);
    const digest = evidenceDigest(def, report);
    const fresh: ReviewItemState = {
      itemId: def.id,
      autoStatus: result?.status ?? "unknown",
      findings: (result?.findings ?? []).map((fp) => ({ fingerprint: fp, severity: bySeverity.get(fp) ?? "info" })),
      evidenceDigest: digest,
      decision: null,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      waiverExpiresAt: null,
      attestation: null,
      attestationEvidence: null,
      attestedBy: null,
      attestedAt: null,
      carriedOver: false,
    };
    const prev = previous?.get(def.id);
    if (!prev || prev.evidenceDigest !== digest) return fresh;
    const waiverStillValid = prev.decision !== "waive" || (prev.waiverExpiresAt !== null && prev.waiverExpiresAt > now);
    const carried = {
      ...fresh,
      attestation: prev.attestation,
      attestationEvidence: prev.attestationEvidence,
      attestedBy: prev.attestedBy,
      attestedAt: prev.attestedAt,
      carriedOver: prev.decision !== null || prev.attestation !== null,
    };
    if (!waiverStillValid || prev.decision === "request-changes") return { ...carried, carriedOver: prev.attestation !== null };
    return {
      ...carried,
      decision: prev.decision,
      decidedBy: prev.decidedBy,
      decidedAt: prev.decidedAt,
      decisionNote: prev.decisionNote,
      waiverExpiresAt: prev.waiverExpiresAt,
    };
  });
}
