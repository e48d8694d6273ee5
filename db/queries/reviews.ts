import "server-only";
// Reviews, their items, comments and sign-offs.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { returnedRow } from "../rows";
import { getDb, type Db } from "../client";
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

export async function getReview(id: number): Promise<Review | undefined> {
  return (await getDb().select().from(reviews).where(eq(reviews.id, id)))[0];
}

export async function latestReviewFor(connectorId: number): Promise<Review | undefined> {
  return (await getDb().select().from(reviews).where(eq(reviews.connectorId, connectorId)).orderBy(desc(reviews.id)).limit(1))[0];
}

export async function reviewsOf(connectorId: number): Promise<Review[]> {
  return await getDb().select().from(reviews).where(eq(reviews.connectorId, connectorId)).orderBy(desc(reviews.id));
}

export async function reviewsWithStatus(status: Review["status"]): Promise<Review[]> {
  return await getDb().select().from(reviews).where(eq(reviews.status, status));
}

export async function insertReview(values: typeof reviews.$inferInsert, tx: Db = getDb()): Promise<Review> {
  return returnedRow(tx.insert(reviews).values(values).returning());
}

export async function insertReviewItems(rows: Array<typeof reviewItems.$inferInsert>, tx: Db = getDb()): Promise<void> {
  if (rows.length > 0) await tx.insert(reviewItems).values(rows);
}

export async function itemsOf(reviewId: number): Promise<ReviewItemRow[]> {
  return await getDb().select().from(reviewItems).where(eq(reviewItems.reviewId, reviewId));
}

/**
 * Updates an item and bumps its version. With `ifVersion`, only while the item is still at that version: returns
 * false (and changes nothing) when someone else changed it first.
 */
export async function updateReviewItem(
  reviewId: number,
  itemId: string,
  values: Partial<typeof reviewItems.$inferInsert>,
  tx: Db = getDb(),
  ifVersion?: number,
): Promise<boolean> {
  const where = [eq(reviewItems.reviewId, reviewId), eq(reviewItems.itemId, itemId)];
  if (ifVersion !== undefined) where.push(eq(reviewItems.version, ifVersion));
  return (
    (
      await tx
        .update(reviewItems)
        .set({ ...values, version: sql`${reviewItems.version} + 1` })
        .where(and(...where))
        .returning({ itemId: reviewItems.itemId })
    ).length === 1
  );
}

export async function setReviewStatus(
  id: number,
  values: Partial<Pick<Review, "status" | "staleAt" | "staleReasons" | "staleScanId">>,
  tx: Db = getDb(),
): Promise<void> {
  await tx.update(reviews).set(values).where(eq(reviews.id, id));
}

/** Supersedes in-progress reviews of the connector other than `keepId`. */
export async function supersedeOpenReviews(connectorId: number, keepId: number, tx: Db = getDb()): Promise<number[]> {
  const open = (
    await tx
      .select({ id: reviews.id })
      .from(reviews)
      .where(and(eq(reviews.connectorId, connectorId), eq(reviews.status, "in-progress")))
  )
    .map((r) => r.id)
    .filter((id) => id !== keepId);
  if (open.length > 0) await tx.update(reviews).set({ status: "superseded" }).where(inArray(reviews.id, open));
  return open;
}

export async function insertComment(values: typeof reviewComments.$inferInsert, tx: Db = getDb()): Promise<ReviewComment> {
  return returnedRow(tx.insert(reviewComments).values(values).returning());
}

export async function commentsOf(reviewId: number): Promise<ReviewComment[]> {
  return await getDb().select().from(reviewComments).where(eq(reviewComments.reviewId, reviewId)).orderBy(asc(reviewComments.id));
}

export async function insertSignOff(values: typeof signOffs.$inferInsert, tx: Db = getDb()): Promise<SignOff> {
  return returnedRow(tx.insert(signOffs).values(values).returning());
}

export async function signOffOf(reviewId: number): Promise<SignOff | undefined> {
  return (await getDb().select().from(signOffs).where(eq(signOffs.reviewId, reviewId)))[0];
}

/** The connector's most recent sign-off, whatever became of its review since. */
export async function latestSignOffFor(connectorId: number): Promise<SignOff | undefined> {
  return (await getDb().select().from(signOffs).where(eq(signOffs.connectorId, connectorId)).orderBy(desc(signOffs.id)).limit(1))[0];
}

/** The answers given to the waivers a review's repository proposes. */
export async function proposalDecisionsOf(reviewId: number): Promise<WaiverProposalRow[]> {
  return await getDb().select().from(reviewWaiverProposals).where(eq(reviewWaiverProposals.reviewId, reviewId));
}

/** Records an answer to a proposed waiver; false (and nothing written) when it was already answered. */
export async function insertProposalDecision(values: typeof reviewWaiverProposals.$inferInsert, tx: Db = getDb()): Promise<boolean> {
  return (
    (await tx.insert(reviewWaiverProposals).values(values).onConflictDoNothing().returning({ itemId: reviewWaiverProposals.itemId }))
      .length === 1
  );
}
