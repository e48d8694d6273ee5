// Waivers a repository proposes: an ignore in its launch-review.yml (a rule or fingerprint, a path, a reason, an
// expiry) covers findings, and in the app it never applies by itself. The active ignores covering an item's findings
// make one proposal on that item; a reviewer accepts it (a waiver with the declared reasons and the earliest expiry,
// under the same rules as a waiver typed by hand, and only when it covers every finding of the item) or rejects it.
// Pure functions, no I/O.
import { createHash } from "node:crypto";
import type { ChecklistItem } from "@/lib/engine/checklist/template";
import type { RepoIgnore, ScanReport } from "@/lib/core/report";
import { AppError } from "@/lib/core/errors";
import { stableJson } from "@/lib/core/stable-json";
import type { Capability } from "@/lib/auth/permissions";
import { assertCanDecide, MAX_WAIVER_DAYS, type DecisionInput, type ReviewItemState } from "./model";

/** One ignore of the file, with the findings of the item it covers. */
export interface DeclaredIgnore {
  rule: string | null;
  fingerprint: string | null;
  path: string | null;
  reason: string;
  /** YYYY-MM-DD. */
  expires: string;
  covers: string[];
}

/** The waiver the file proposes on one item: the ignores that cover its findings, taken together. */
export interface WaiverProposal {
  /** Identifies the proposal: the item and the ignores as declared (changing either makes it a new proposal). */
  key: string;
  itemId: string;
  /** Where it was declared ("launch-review.yml"). */
  source: string;
  /** In the file's order. */
  ignores: DeclaredIgnore[];
  /** Fingerprints of this item's findings the ignores cover. */
  covers: string[];
  /** This item's findings (other than info) no ignore covers: a waiver of the item would cover them too. */
  uncovered: string[];
  /** The justification the waiver records: the declared reason, or each ignore's with what it names. */
  reason: string;
  /** The earliest expiry of the ignores, YYYY-MM-DD: the waiver runs to the end of that day (UTC). */
  expires: string;
}

export function ignoreKey(ignore: Pick<RepoIgnore, "rule" | "fingerprint" | "path" | "reason" | "expires">): string {
  const { rule, fingerprint, path, reason, expires } = ignore;
  return createHash("sha256").update(stableJson({ rule, fingerprint, path, reason, expires })).digest("hex").slice(0, 32);
}

/** What an ignore names: "net/no-timeout under scripts/**". */
export function ignoreSubject(i: Pick<DeclaredIgnore, "rule" | "fingerprint" | "path">): string {
  return [i.rule, i.fingerprint ? `finding ${i.fingerprint}` : null].filter(Boolean).join(" ") + (i.path ? ` under ${i.path}` : "");
}

/**
 * The proposals of a review's scan: one per checklist item whose findings active ignores cover, in checklist order.
 * Applied ignores (a report from the CLI) took their findings out, and an unreadable file proposes nothing.
 */
export function proposedWaivers(report: Pick<ScanReport, "repoConfig">, items: readonly ReviewItemState[]): WaiverProposal[] {
  const config = report.repoConfig;
  if (!config || config.status !== "ok" || config.applied) return [];
  const active = config.ignores.filter((i) => i.state === "active" && i.findings.length > 0);
  const out: WaiverProposal[] = [];
  for (const item of items) {
    const ignores: DeclaredIgnore[] = active
      .map((i) => ({ rule: i.rule, fingerprint: i.fingerprint, path: i.path, reason: i.reason, expires: i.expires, covers: item.findings.map((f) => f.fingerprint).filter((fp) => i.findings.includes(fp)) }))
      .filter((i) => i.covers.length > 0);
    if (ignores.length === 0) continue;
    const covered = new Set(ignores.flatMap((i) => i.covers));
    out.push({
      key: createHash("sha256").update(stableJson({ item: item.itemId, ignores: ignores.map(ignoreKey) })).digest("hex").slice(0, 32),
      itemId: item.itemId,
      source: config.path ?? "launch-review.yml",
      ignores,
      covers: [...covered],
      uncovered: item.findings.filter((f) => !covered.has(f.fingerprint) && f.severity !== "info").map((f) => f.fingerprint),
      reason: ignores.length === 1 ? ignores[0]!.reason : ignores.map((i) => `${ignoreSubject(i)}: ${i.reason}`).join(" · "),
      expires: ignores.map((i) => i.expires).sort()[0]!,
    });
  }
  return out;
}

/** The declared expiry date as the moment a waiver ends: the end of that day, UTC, as a waiver typed by hand. */
export function waiverExpiry(expires: string): Date {
  return new Date(`${expires}T23:59:59Z`);
}

/**
 * Whether the item already carries the waiver accepting this proposal gives: accepted in an earlier review, whose
 * decision carried over because the evidence didn't change. Asking again would only repeat that answer.
 */
export function waivedAsProposed(item: Pick<ReviewItemState, "decision" | "decisionNote" | "waiverExpiresAt">, proposal: WaiverProposal): boolean {
  return item.decision === "waive" && item.decisionNote === proposal.reason && item.waiverExpiresAt?.getTime() === waiverExpiry(proposal.expires).getTime();
}

/** The decision accepting a proposal records: a waiver with the declared reason and expiry. */
export function proposalDecision(proposal: WaiverProposal, expectedVersion?: number): DecisionInput {
  return { kind: "waive", note: proposal.reason, waiverExpiresAt: waiverExpiry(proposal.expires), expectedVersion };
}

type Caller = { can: (c: Capability) => boolean };

/** A waiver typed by hand needs a sentence of justification (lib/review/model.ts); so does each declared reason. */
const MIN_REASON = 10;

/**
 * Throws an AppError saying why this proposal can't be accepted by this caller now. Beyond the rules of any waiver
 * (the role, a blocking or critical item needs a security lead, a sentence of justification, an expiry in the future
 * and at most a year ahead), the ignore must cover every finding of the item: accepting waives the whole item.
 */
export function assertCanAcceptProposal(
  proposal: WaiverProposal,
  item: ReviewItemState,
  def: Pick<ChecklistItem, "blocking" | "verification">,
  caller: Caller,
  now: Date,
): void {
  if (!caller.can("review.decide")) throw new AppError("forbidden:decide", "Your role can't decide checklist items.");
  if (proposal.uncovered.length > 0) {
    const total = proposal.covers.length + proposal.uncovered.length;
    throw new AppError(
      "invalid:waive",
      `${proposal.source} covers ${proposal.covers.length} of the ${total} findings behind this item, and a waiver would cover all of them. Waive the item yourself if the other ${proposal.uncovered.length === 1 ? "one is" : `${proposal.uncovered.length} are`} acceptable too, or have them fixed.`,
    );
  }
  const short = proposal.ignores.find((i) => i.reason.trim().length < MIN_REASON);
  if (short) {
    throw new AppError(
      "invalid:waive",
      `The reason ${proposal.source} gives for ${ignoreSubject(short)} ("${short.reason}") is too short to justify a waiver: it takes a sentence. Ask the team to change it in ${proposal.source}, or waive the item yourself.`,
    );
  }
  try {
    assertCanDecide(item, def, proposalDecision(proposal), caller, now);
  } catch (error) {
    throw explainForProposal(error, proposal, now);
  }
}

/** The waiver rules' refusals, in terms of what the repository declared and what the team can change. */
function explainForProposal(error: unknown, proposal: WaiverProposal, now: Date): unknown {
  if (!(error instanceof AppError)) return error;
  const fix = `Ask the team to change it in ${proposal.source}, or waive the item yourself.`;
  if (error.code === "invalid:expiry") {
    const why = waiverExpiry(proposal.expires) <= now ? "has passed" : `is more than ${MAX_WAIVER_DAYS} days ahead, longer than a waiver may last`;
    return new AppError("invalid:waive", `The expiry ${proposal.source} gives (${proposal.expires}) ${why}. ${fix}`);
  }
  if (error.code === "forbidden:waive")
    return new AppError("forbidden:waive", "This item is blocking or has a critical finding: only a security lead can accept a waiver of it, proposed or not.");
  return error;
}

/** Why the caller can't accept the proposal now, or null when they can: the page says so beside a disabled button. */
export function acceptProblem(proposal: WaiverProposal, item: ReviewItemState, def: Pick<ChecklistItem, "blocking" | "verification">, caller: Caller, now: Date): string | null {
  try {
    assertCanAcceptProposal(proposal, item, def, caller, now);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}
