import "server-only";
// The audit log: append-only, each entry hashing the one before it, so an edit anywhere breaks the chain.
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { stableJson } from "@/lib/core/stable-json";
import { getDb, type Db } from "../client";
import { jsonNumber } from "../dialect";
import { returnedRow } from "../rows";
import { inTransaction } from "../transaction";
import { auditLog, type AuditEntry } from "../schema";

export interface AuditInput {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  correlationId: string;
  details?: Record<string, unknown>;
}

const GENESIS = "0".repeat(64);

export function auditHash(prevHash: string, entry: Omit<AuditEntry, "id" | "hash" | "prevHash">): string {
  // `at` as milliseconds and `details` as read back from JSON: no dates reach the serialization.
  const body = stableJson({ ...entry, at: entry.at.getTime() });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

/** Appends one entry. Pass the caller's transaction so the entry commits (or rolls back) with the change. */
export async function appendAudit(input: AuditInput, tx?: Db): Promise<AuditEntry> {
  const write = async (tx: Db) => {
    const last = (await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];
    const prevHash = last?.hash ?? GENESIS;
    const entry = {
      at: new Date(),
      actor: input.actor,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId === undefined || input.targetId === null ? null : String(input.targetId),
      correlationId: input.correlationId,
      // Stored as JSON: drop undefined values now so the hash matches what reads back.
      details: input.details ? (JSON.parse(JSON.stringify(input.details)) as Record<string, unknown>) : null,
    };
    return returnedRow(
      tx
        .insert(auditLog)
        .values({ ...entry, prevHash, hash: auditHash(prevHash, entry) })
        .returning(),
    );
  };
  if (tx) return write(tx);
  return inTransaction(getDb(), write);
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  /** The first entry whose stored hashes don't match the chain. */
  brokenAt?: { id: number; reason: string };
}

export async function verifyAuditChain(): Promise<ChainVerification> {
  const db = getDb();
  let prevHash = GENESIS;
  let entries = 0;
  // Pages of rows keep memory flat however long the log grows.
  for (let afterId = 0; ;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(1000);
    if (page.length === 0) return { ok: true, entries };
    for (const row of page) {
      entries += 1;
      if (row.prevHash !== prevHash)
        return { ok: false, entries, brokenAt: { id: row.id, reason: "does not link to the entry before it" } };
      const { id: _id, hash, prevHash: _p, ...entry } = row;
      if (auditHash(prevHash, entry) !== hash)
        return { ok: false, entries, brokenAt: { id: row.id, reason: "content does not match its hash" } };
      prevHash = hash;
      afterId = row.id;
    }
  }
}

export async function listAudit(filter: { targetType?: string; targetId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  const conditions: SQL[] = [];
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  return await getDb()
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 200);
}

/**
 * Audit entries about one connector: the connector itself, its scans and its reviews, newest first.
 * `reviewIds` are the connector's reviews (entries about a review point at the review, not the connector).
 */
export async function listAuditForConnector(
  connectorId: number,
  reviewIds: readonly number[],
  filter: { action?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  const id = String(connectorId);
  const about = or(
    and(eq(auditLog.targetType, "connector"), eq(auditLog.targetId, id)),
    and(eq(auditLog.targetType, "scan"), sql`${jsonNumber(auditLog.details, "$.connectorId")} = ${connectorId}`),
    reviewIds.length > 0 ? and(eq(auditLog.targetType, "review"), inArray(auditLog.targetId, reviewIds.map(String))) : undefined,
  );
  return await getDb()
    .select()
    .from(auditLog)
    .where(filter.action ? and(about, eq(auditLog.action, filter.action)) : about)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 500);
}
