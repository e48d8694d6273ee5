import "server-only";
// Reviews, their items, comments and sign-offs.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../client";
import {
  reviewComments,
  reviewItems,
  reviews,
  reviewWaiverProposals,
  signOffs,
  type Review,
  type ReviewComment,
  type ReviewItemRow,
  type SignOff,
  type WaiverProposalRow,
} from "../schema";

export function getReview(id: number): Review | undefined {
  return getDb().select().from(reviews).where(eq(reviews.id, id)).get();
}

export function latestReviewFor(connectorId: number): Review | undefined {
  return getDb().select().from(reviews).where(eq(reviews.connectorId, connectorId)).orderBy(desc(reviews.id)).limit(1).get();
}

export function reviewsOf(connectorId: number): Review[] {
  return getDb().select().from(reviews).where(eq(reviews.connectorId, connectorId)).orderBy(desc(reviews.id)).all();
}

export function reviewsWithStatus(status: Review["status"]): Review[] {
  return getDb().select().from(reviews).where(eq(reviews.status, status)).all();
}

export function insertReview(values: typeof reviews.$inferInsert, tx: DbOrTx = getDb()): Review {
  return tx.insert(reviews).values(values).returning().get();
}

export function insertReviewItems(rows: Array<typeof reviewItems.$inferInsert>, tx: DbOrTx = getDb()): void {
  if (rows.length > 0) tx.insert(reviewItems).values(rows).run();
}

export function itemsOf(reviewId: number): ReviewItemRow[] {
  return getDb().select().from(reviewItems).where(eq(reviewItems.reviewId, reviewId)).all();
}

/**
 * Updates an item and bumps its version. With `ifVersion`, only while the item is still at that version: returns
 * false (and changes nothing) when someone else changed it first.
 */
export function updateReviewItem(
  reviewId: number,
  itemId: string,
  values: Partial<typeof reviewItems.$inferInsert>,
  tx: DbOrTx = getDb(),
  ifVersion?: number,
): boolean {
  const where = [eq(reviewItems.reviewId, reviewId), eq(reviewItems.itemId, itemId)];
  if (ifVersion !== undefined) where.push(eq(reviewItems.version, ifVersion));
  return (
    tx
      .update(reviewItems)
      .set({ ...values, version: sql`${reviewItems.version} + 1` })
      .where(and(...where))
      .run().changes === 1
  );
}

export function setReviewStatus(
  id: number,
  values: Partial<Pick<Review, "status" | "staleAt" | "staleReasons" | "staleScanId">>,
  tx: DbOrTx = getDb(),
): void {
  tx.update(reviews).set(values).where(eq(reviews.id, id)).run();
}

/** Supersedes in-progress reviews of the connector other than `keepId`. */
export function supersedeOpenReviews(connectorId: number, keepId: number, tx: DbOrTx = getDb()): number[] {
  const open = tx
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.connectorId, connectorId), eq(reviews.status, "in-progress")))
    .all()
    .map((r) => r.id)
    .filter((id) => id !== keepId);
  if (open.length > 0) tx.update(reviews).set({ status: "superseded" }).where(inArray(reviews.id, open)).run();
  return open;
}

export function insertComment(values: typeof reviewComments.$inferInsert, tx: DbOrTx = getDb()): ReviewComment {
  return tx.insert(reviewComments).values(values).returning().get();
}

export function commentsOf(reviewId: number): ReviewComment[] {
  return getDb().select().from(reviewComments).where(eq(reviewComments.reviewId, reviewId)).orderBy(asc(reviewComments.id)).all();
}

export function insertSignOff(values: typeof signOffs.$inferInsert, tx: DbOrTx = getDb()): SignOff {
  return tx.insert(signOffs).values(values).returning().get();
}

export function signOffOf(reviewId: number): SignOff | undefined {
  return getDb().select().from(signOffs).where(eq(signOffs.reviewId, reviewId)).get();
}

/** The connector's most recent sign-off, whatever became of its review since. */
export function latestSignOffFor(connectorId: number): SignOff | undefined {
  return getDb().select().from(signOffs).where(eq(signOffs.connectorId, connectorId)).orderBy(desc(signOffs.id)).limit(1).get();
}

/** The answers given to the waivers a review's repository proposes. */
export function proposalDecisionsOf(reviewId: number): WaiverProposalRow[] {
  return getDb().select().from(reviewWaiverProposals).where(eq(reviewWaiverProposals.reviewId, reviewId)).all();
}

/** Records an answer to a proposed waiver; false (and nothing written) when it was already answered. */
export function insertProposalDecision(values: typeof reviewWaiverProposals.$inferInsert, tx: DbOrTx = getDb()): boolean {
  return tx.insert(reviewWaiverProposals).values(values).onConflictDoNothing().run().changes === 1;
}
