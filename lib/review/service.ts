// The review workflow over the database: start (carrying decisions over), decide, attest, comment, sign off,
// and turn a sign-off stale when a later scan changes what was reviewed or a waiver runs out. Every step is audited.
import { inTransaction } from "@/db/transaction";
import { getDb } from "@/db/client";
import type { AuthorizedActor } from "@/lib/auth/actor";
import { appendAudit } from "@/db/queries/audit";
import { getConnector } from "@/db/queries/connectors";
import {
  commentsOf,
  getReview,
  insertComment,
  insertReview,
  insertReviewItems,
  insertSignOff,
  itemsOf,
  latestReviewFor,
  latestSignOffFor,
  reviewsWithStatus,
  setReviewStatus,
  signOffOf,
  supersedeOpenReviews,
  updateReviewItem,
} from "@/db/queries/reviews";
import { latestSucceededScan, reportForScan } from "@/db/queries/scans";
import { getSetting } from "@/db/queries/settings";
import { getUser } from "@/db/queries/teams";
import type { Review, ReviewItemRow } from "@/db/schema";
import { z } from "zod";
import { can, type Capability, type Principal } from "../auth/permissions";
import { CHECKLIST_TEMPLATES, type ChecklistTemplate, CURRENT_CHECKLIST } from "../engine/checklist/template";
import { AppError } from "../core/errors";
import { notifyInBackground } from "../alerts";
import { logger } from "../logger";
import type { ScanReport, ToolBaseline } from "../core/report";
import {
  assertCanAttest,
  assertCanDecide,
  carryOver,
  compareScans,
  decisionsHash,
  describeChanges,
  expiredWaivers,
  isEmptyChange,
  signOffCheck,
  type DecisionInput,
  type ReviewItemState,
} from "./model";

const log = logger("review");

export const ReviewSettings = z.object({ requireSecondPerson: z.boolean() });
export const REVIEW_SETTINGS_KEY = "review";
export const DEFAULT_REVIEW_SETTINGS = { requireSecondPerson: true };

export function toState(row: ReviewItemRow): ReviewItemState {
  return {
    itemId: row.itemId,
    autoStatus: row.autoStatus,
    findings: row.findings,
    evidenceDigest: row.evidenceDigest,
    decision: row.decision,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    waiverExpiresAt: row.waiverExpiresAt,
    attestation: row.attestation,
    attestationEvidence: row.attestationEvidence,
    attestedBy: row.attestedBy,
    attestedAt: row.attestedAt,
    carriedOver: row.carriedOver,
    version: row.version,
  };
}

const DECISION_VERBS: Record<string, string> = { accept: "accepted it", "request-changes": "requested changes", waive: "waived it" };

/** "This item changed since you opened it: Ada Reviewer requested changes on 2026-12-01 14:02 UTC: “Add a timeout”." */
export async function itemChanged(item: ReviewItemState): Promise<AppError> {
  const who = item.decidedBy ? ((await getUser(item.decidedBy))?.name ?? "someone") : "someone";
  const what = item.decision
    ? `${who} ${DECISION_VERBS[item.decision]}${item.decidedAt ? ` on ${item.decidedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}${item.decisionNote ? `: “${item.decisionNote.slice(0, 300)}”` : ""}`
    : "its attestation or decision was replaced";
  return new AppError(
    "conflict:item",
    `This item changed since you opened it: ${what}. Your decision was not saved; read the newer one, then decide again.`,
    { version: item.version },
  );
}

export function templateOf(review: Pick<Review, "checklistVersion">): ChecklistTemplate {
  const template = CHECKLIST_TEMPLATES.get(review.checklistVersion);
  if (!template)
    throw new AppError("invalid:checklist", `Checklist version ${review.checklistVersion} is unknown to this version of Launch Review.`);
  return template;
}

async function requireReview(reviewId: number): Promise<Review> {
  const review = await getReview(reviewId);
  if (!review) throw new AppError("not_found:review", "No such review.");
  return review;
}

export function capabilityCheck(actor: AuthorizedActor, teamId: number) {
  return { can: (c: Capability) => can(actor.principal, c, teamId) };
}

/** Starts a review of the connector's latest successful scan, or returns the one already open for it. */
export async function startReview(connectorId: number, actor: AuthorizedActor, now = new Date()): Promise<Review> {
  const connector = await getConnector(connectorId);
  if (!connector) throw new AppError("not_found:connector", "No such connector.");
  if (!can(actor.principal, "review.decide", connector.teamId)) throw new AppError("forbidden:review", "Your role can't start a review.");
  const scan = await latestSucceededScan(connectorId);
  const report = scan ? await reportForScan(scan.id) : null;
  if (!scan || !report) throw new AppError("invalid:review", "Scan the connector first: a review starts from a successful scan.");
  const latest = await latestReviewFor(connectorId);
  if (latest && latest.status === "in-progress" && latest.scanId === scan.id) return latest;

  const template = CURRENT_CHECKLIST;
  // Decisions carry over from the most recent review, whatever became of it.
  const previous = latest ? new Map((await itemsOf(latest.id)).map((r) => [r.itemId, toState(r)])) : null;
  const items = carryOver(template, report, previous, now);
  return await inTransaction(getDb(), async (tx) => {
    const review = await insertReview(
      {
        connectorId,
        scanId: scan.id,
        checklistVersion: template.version,
        createdBy: actor.principal.id,
        previousReviewId: latest?.id ?? null,
      },
      tx,
    );
    await insertReviewItems(
      items.map((i) => ({ reviewId: review.id, ...i })),
      tx,
    );
    const superseded = await supersedeOpenReviews(connectorId, review.id, tx);
    await appendAudit(
      {
        actor: actor.principal.id,
        action: "review.started",
        targetType: "connector",
        targetId: connectorId,
        correlationId: actor.correlationId,
        details: {
          reviewId: review.id,
          scanId: scan.id,
          checklistVersion: template.version,
          carriedOver: items.filter((i) => i.carriedOver).length,
          superseded,
        },
      },
      tx,
    );
    return review;
  });
}

/** An item of an in-progress review, with its review, connector and definition: what a decision acts on. */
export async function openItem(reviewId: number, itemId: string) {
  const review = await requireReview(reviewId);
  if (review.status !== "in-progress")
    throw new AppError("invalid:review", `This review is ${review.status.replace("-", " ")} and can no longer change.`);
  const connector = (await getConnector(review.connectorId))!;
  const template = templateOf(review);
  const def = template.items.find((i) => i.id === itemId);
  const row = (await itemsOf(reviewId)).find((r) => r.itemId === itemId);
  if (!def || !row) throw new AppError("not_found:item", "No such checklist item in this review.");
  return { review, connector, def, item: toState(row) };
}

export async function decideItem(
  reviewId: number,
  itemId: string,
  input: DecisionInput,
  actor: AuthorizedActor,
  now = new Date(),
): Promise<void> {
  const { review, connector, def, item } = await openItem(reviewId, itemId);
  // Optimistic concurrency: the form says which version it showed; a newer one means another reviewer decided since.
  if (input.expectedVersion !== undefined && input.expectedVersion !== item.version) throw await itemChanged(item);
  assertCanDecide(item, def, input, capabilityCheck(actor, connector.teamId), now);
  await inTransaction(getDb(), async (tx) => {
    const saved = await updateReviewItem(
      reviewId,
      itemId,
      {
        decision: input.kind,
        decidedBy: actor.principal.id,
        decidedAt: now,
        decisionNote: input.note.trim() || null,
        waiverExpiresAt: input.kind === "waive" ? input.waiverExpiresAt! : null,
        carriedOver: false,
      },
      tx,
      item.version,
    );
    // Someone else's write landed between the read and this one: refuse rather than overwrite it.
    if (!saved) throw await itemChanged(toState((await itemsOf(reviewId)).find((r) => r.itemId === itemId)!));
    await appendAudit(
      {
        actor: actor.principal.id,
        action: input.kind === "waive" ? "review.waiver" : "review.decision",
        targetType: "review",
        targetId: review.id,
        correlationId: actor.correlationId,
        details: { itemId, decision: input.kind, ...(input.kind === "waive" ? { expiresAt: input.waiverExpiresAt!.toISOString() } : {}) },
      },
      tx,
    );
  });
}

export async function attestItem(
  reviewId: number,
  itemId: string,
  statement: string,
  evidence: string,
  actor: AuthorizedActor,
  now = new Date(),
): Promise<void> {
  const { review, connector, def } = await openItem(reviewId, itemId);
  assertCanAttest(def, statement, evidence, capabilityCheck(actor, connector.teamId));
  await inTransaction(getDb(), async (tx) => {
    await updateReviewItem(
      reviewId,
      itemId,
      { attestation: statement.trim(), attestationEvidence: evidence.trim(), attestedBy: actor.principal.id, attestedAt: now },
      tx,
    );
    await appendAudit(
      {
        actor: actor.principal.id,
        action: "review.attestation",
        targetType: "review",
        targetId: review.id,
        correlationId: actor.correlationId,
        details: { itemId },
      },
      tx,
    );
  });
}

export async function commentOnItem(reviewId: number, itemId: string, body: string, actor: AuthorizedActor): Promise<void> {
  const review = await requireReview(reviewId);
  const connector = (await getConnector(review.connectorId))!;
  // Anyone who can read the connector may comment, maintainers answering reviewers included.
  if (!can(actor.principal, "connector.read", connector.teamId)) throw new AppError("forbidden:comment", "You can't comment here.");
  if (!templateOf(review).items.some((i) => i.id === itemId)) throw new AppError("not_found:item", "No such checklist item.");
  const text = body.trim();
  if (text.length === 0) throw new AppError("invalid:comment", "Write a comment first.");
  if (text.length > 5000) throw new AppError("invalid:comment", "Keep comments under 5,000 characters.");
  await inTransaction(getDb(), async (tx) => {
    const comment = await insertComment({ reviewId, itemId, authorId: actor.principal.id, body: text }, tx);
    await appendAudit(
      {
        actor: actor.principal.id,
        action: "review.comment",
        targetType: "review",
        targetId: reviewId,
        correlationId: actor.correlationId,
        details: { itemId, commentId: comment.id },
      },
      tx,
    );
  });
}

export async function reviewSettings() {
  return await getSetting(REVIEW_SETTINGS_KEY, ReviewSettings, DEFAULT_REVIEW_SETTINGS);
}

export async function signOffStatus(review: Review, signer: Principal, now = new Date()) {
  const connector = (await getConnector(review.connectorId))!;
  const latestScan = await latestSucceededScan(review.connectorId);
  return signOffCheck((await itemsOf(review.id)).map(toState), templateOf(review), {
    now,
    signerId: signer.id,
    registrantId: connector.createdBy,
    requireSecondPerson: (await reviewSettings()).requireSecondPerson,
    canSignOff: can(signer, "review.sign-off", connector.teamId),
    reviewStatus: review.status,
    newerScanExists: latestScan !== undefined && latestScan.id !== review.scanId,
  });
}

export async function signOffReview(reviewId: number, actor: AuthorizedActor, now = new Date()) {
  const review = await requireReview(reviewId);
  const check = await signOffStatus(review, actor.principal, now);
  if (!check.ok) throw new AppError("invalid:sign_off", check.reasons.join(" "));
  const report = await reportForScan(review.scanId);
  if (!report) throw new AppError("invalid:sign_off", "The scan behind this review has no stored results.");
  const commit = report.source.commit ?? report.source.contentHash ?? "unknown";
  const hash = decisionsHash((await itemsOf(reviewId)).map(toState));
  return await inTransaction(getDb(), async (tx) => {
    const signOff = await insertSignOff(
      {
        reviewId,
        connectorId: review.connectorId,
        scanId: review.scanId,
        signedBy: actor.principal.id,
        signedAt: now,
        commit,
        checklistVersion: review.checklistVersion,
        decisionsHash: hash,
      },
      tx,
    );
    await setReviewStatus(reviewId, { status: "signed-off" }, tx);
    await appendAudit(
      {
        actor: actor.principal.id,
        action: "review.signed-off",
        targetType: "connector",
        targetId: review.connectorId,
        correlationId: actor.correlationId,
        details: { reviewId, commit, checklistVersion: review.checklistVersion, decisionsHash: hash },
      },
      tx,
    );
    return signOff;
  });
}

async function markStale(review: Review, reasons: string[], scanId: number | null, correlationId: string, now: Date): Promise<void> {
  await inTransaction(getDb(), async (tx) => {
    await setReviewStatus(review.id, { status: "stale", staleAt: now, staleReasons: reasons, staleScanId: scanId }, tx);
    await appendAudit(
      {
        actor: "system",
        action: "review.stale",
        targetType: "connector",
        targetId: review.connectorId,
        correlationId,
        details: { reviewId: review.id, scanId, reasons: reasons.slice(0, 50) },
      },
      tx,
    );
  });
  log.info({ reviewId: review.id, connectorId: review.connectorId, reasons: reasons.length }, "sign-off became stale");
  const connector = await getConnector(review.connectorId);
  notifyInBackground({
    type: "signoff.stale",
    title: `${connector?.name ?? `Connector ${review.connectorId}`}: the sign-off is stale (${reasons.length} change${reasons.length === 1 ? "" : "s"})`,
    connector: connector ? { id: connector.id, name: connector.name } : undefined,
    details: { reviewId: review.id, reasons: reasons.slice(0, 20) },
    path: `/connectors/${review.connectorId}`,
    dedupeKey: `stale:${review.id}`,
  });
}

/** After a successful scan: a signed-off review whose scan differs in what was reviewed turns stale. */
export async function checkStalenessAfterScan(
  connectorId: number,
  scanId: number,
  correlationId: string,
  now = new Date(),
): Promise<ReturnType<typeof compareScans> | null> {
  const review = await latestReviewFor(connectorId);
  if (!review || review.status !== "signed-off" || review.scanId === scanId) return null;
  const reviewed = await reportForScan(review.scanId);
  const later = await reportForScan(scanId);
  if (!reviewed || !later) return null;
  const changes = compareScans(reviewed, later);
  if (!isEmptyChange(changes)) await markStale(review, describeChanges(changes), scanId, correlationId, now);
  return changes;
}

/** Signed-off reviews with a waiver past its expiry turn stale. Returns the reviews that did. */
export async function expireWaivers(now = new Date()): Promise<number[]> {
  const stale: number[] = [];
  for (const review of await reviewsWithStatus("signed-off")) {
    const expired = expiredWaivers((await itemsOf(review.id)).map(toState), now);
    if (expired.length === 0) continue;
    await markStale(
      review,
      expired.map((id) => `The waiver on "${id}" expired.`),
      null,
      `waivers-${now.toISOString()}`,
      now,
    );
    stale.push(review.id);
  }
  return stale;
}

export interface ReviewView {
  review: Review;
  template: ChecklistTemplate;
  items: ReviewItemState[];
  comments: Awaited<ReturnType<typeof commentsOf>>;
  report: ScanReport;
  signOff: Awaited<ReturnType<typeof signOffOf>>;
}

export async function loadReview(reviewId: number): Promise<ReviewView> {
  const review = await requireReview(reviewId);
  const report = await reportForScan(review.scanId);
  if (!report) throw new AppError("invalid:review", "The scan behind this review has no stored results.");
  return {
    review,
    template: templateOf(review),
    items: (await itemsOf(reviewId)).map(toState),
    comments: await commentsOf(reviewId),
    report,
    signOff: await signOffOf(reviewId),
  };
}

/**
 * What the model was told at the last sign-off: the tools of the signed-off scan. Scans pass it to the
 * tool-descriptions check, which reports a description changed since (a connector can change what it tells the
 * model after review).
 */
export async function toolBaselineFor(connectorId: number): Promise<ToolBaseline | undefined> {
  const signOff = await latestSignOffFor(connectorId);
  const report = signOff ? await reportForScan(signOff.scanId) : null;
  if (!signOff || !report) return undefined;
  return {
    label: `the sign-off at ${signOff.commit.slice(0, 7)}`,
    tools: report.tools.map((t) => ({ name: t.name, description: t.description })),
  };
}
