// The waivers a repository proposes in launch-review.yml, over the database: listed with their answers on the review
// page, accepted (the item is waived with the declared reason and expiry) or rejected by a reviewer, once per review.
// Both answers are audited; the rules are in ./proposals.ts and ./model.ts.
import { inTransaction } from "@/db/transaction";
import { getDb } from "@/db/client";
import { appendAudit } from "@/db/queries/audit";
import { insertProposalDecision, itemsOf, proposalDecisionsOf, updateReviewItem } from "@/db/queries/reviews";
import { reportForScan } from "@/db/queries/scans";
import { getUser } from "@/db/queries/teams";
import type { ProposalDecision, WaiverProposalRow } from "@/db/schema";
import type { AuthorizedActor } from "../auth/actor";
import type { ScanReport } from "../core/report";
import { AppError } from "../core/errors";
import type { ReviewItemState } from "./model";
import { assertCanAcceptProposal, proposalDecision, proposedWaivers, waivedAsProposed, type WaiverProposal } from "./proposals";
import { capabilityCheck, itemChanged, openItem, toState } from "./service";

export interface ProposalState extends WaiverProposal {
  decision: ProposalDecision | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Accepted in an earlier review: the item's waiver carried over, so this review doesn't ask again. */
  carriedOver: boolean;
}

/** A review's proposals with the answers given so far, in this review or carried over from an earlier one. */
export function proposalStates(
  report: Pick<ScanReport, "repoConfig">,
  items: readonly ReviewItemState[],
  answers: readonly WaiverProposalRow[],
): ProposalState[] {
  const answer = new Map(answers.map((a) => [`${a.itemId}\0${a.proposalKey}`, a]));
  const byId = new Map(items.map((i) => [i.itemId, i]));
  return proposedWaivers(report, items).map((p) => {
    const a = answer.get(`${p.itemId}\0${p.key}`);
    if (a) return { ...p, decision: a.decision, decidedBy: a.decidedBy, decidedAt: a.decidedAt, carriedOver: false };
    const item = byId.get(p.itemId)!;
    if (item.carriedOver && waivedAsProposed(item, p))
      return { ...p, decision: "accepted", decidedBy: item.decidedBy, decidedAt: item.decidedAt, carriedOver: true };
    return { ...p, decision: null, decidedBy: null, decidedAt: null, carriedOver: false };
  });
}

export async function proposalsOfReview(
  reviewId: number,
  report: Pick<ScanReport, "repoConfig">,
  items: readonly ReviewItemState[],
): Promise<ProposalState[]> {
  return proposalStates(report, items, await proposalDecisionsOf(reviewId));
}

/** The open proposal, or why it can't be answered: not proposed on this item, or answered already. */
async function openProposal(reviewId: number, scanId: number, itemId: string, key: string): Promise<ProposalState> {
  const report = await reportForScan(scanId);
  const proposal = report
    ? (await proposalsOfReview(reviewId, report, (await itemsOf(reviewId)).map(toState))).find((p) => p.itemId === itemId && p.key === key)
    : undefined;
  if (!proposal) throw new AppError("not_found:waive", "launch-review.yml proposes no such waiver on this item.");
  if (proposal.decision) {
    const who = proposal.decidedBy ? ((await getUser(proposal.decidedBy))?.name ?? "someone") : "someone";
    const when = proposal.carriedOver ? " in an earlier review (the waiver carried over)" : "";
    throw new AppError("conflict:waive", `This proposed waiver was already ${proposal.decision} by ${who}${when}.`);
  }
  return proposal;
}

function auditDetails(proposal: WaiverProposal) {
  return {
    key: proposal.key,
    source: proposal.source,
    ignores: proposal.ignores.map((i) => ({ rule: i.rule, fingerprint: i.fingerprint, path: i.path, expires: i.expires })),
    findings: proposal.covers.length,
  };
}

/**
 * Waives the item with the reason and expiry the repository declares, under the rules of any waiver, and records the
 * answer. `expectedVersion` is the item version the page showed: a decision taken since is never overwritten.
 */
export async function acceptProposedWaiver(
  reviewId: number,
  itemId: string,
  key: string,
  expectedVersion: number,
  actor: AuthorizedActor,
  now = new Date(),
): Promise<void> {
  const { review, connector, def, item } = await openItem(reviewId, itemId);
  const proposal = await openProposal(reviewId, review.scanId, itemId, key);
  if (expectedVersion !== item.version) throw await itemChanged(item);
  assertCanAcceptProposal(proposal, item, def, capabilityCheck(actor, connector.teamId), now);
  const decision = proposalDecision(proposal);
  await inTransaction(getDb(), async (tx) => {
    const saved = await updateReviewItem(
      reviewId,
      itemId,
      {
        decision: "waive",
        decidedBy: actor.principal.id,
        decidedAt: now,
        decisionNote: decision.note,
        waiverExpiresAt: decision.waiverExpiresAt!,
        carriedOver: false,
      },
      tx,
      item.version,
    );
    if (!saved) throw await itemChanged(toState((await itemsOf(reviewId)).find((r) => r.itemId === itemId)!));
    if (
      !(await insertProposalDecision(
        { reviewId, itemId, proposalKey: key, decision: "accepted", decidedBy: actor.principal.id, decidedAt: now },
        tx,
      ))
    )
      throw new AppError("conflict:waive", "This proposed waiver was answered a moment ago: reload the page.");
    await appendAudit(
      {
        actor: actor.principal.id,
        action: "review.waiver",
        targetType: "review",
        targetId: reviewId,
        correlationId: actor.correlationId,
        details: { itemId, decision: "waive", expiresAt: decision.waiverExpiresAt!.toISOString(), proposal: auditDetails(proposal) },
      },
      tx,
    );
  });
}

/** Records that the reviewer turned the proposal down; the item's own decision is untouched. */
export async function rejectProposedWaiver(
  reviewId: number,
  itemId: string,
  key: string,
  actor: AuthorizedActor,
  now = new Date(),
): Promise<void> {
  const { review, connector } = await openItem(reviewId, itemId);
  if (!capabilityCheck(actor, connector.teamId).can("review.decide"))
    throw new AppError("forbidden:decide", "Your role can't decide checklist items.");
  const proposal = await openProposal(reviewId, review.scanId, itemId, key);
  await inTransaction(getDb(), async (tx) => {
    if (
      !(await insertProposalDecision(
        { reviewId, itemId, proposalKey: key, decision: "rejected", decidedBy: actor.principal.id, decidedAt: now },
        tx,
      ))
    )
      throw new AppError("conflict:waive", "This proposed waiver was answered a moment ago: reload the page.");
    await appendAudit(
      {
        actor: actor.principal.id,
        action: "review.waiver-rejected",
        targetType: "review",
        targetId: reviewId,
        correlationId: actor.correlationId,
        details: { itemId, proposal: auditDetails(proposal) },
      },
      tx,
    );
  });
}
