import "server-only";
// Sign-in attempts (for lockout) and security events (for the admin page and alerts).
import { and, count, desc, eq, gt, lt, type SQL } from "drizzle-orm";
import { returnedRow } from "../rows";
import { getDb } from "../client";
import { securityEvents, signInAttempts, type SecurityEvent, type SecurityEventType } from "../schema";

export async function recordSignInAttempt(email: string, ip: string, succeeded: boolean, at = new Date()): Promise<void> {
  await getDb().insert(signInAttempts).values({ email, ip, succeeded, at });
}

/** Failed attempts for an account since `since`, not counting those before its last success. */
export function failuresForEmail(email: string, since: Date): Promise<{ count: number; last: Date | null }> {
  return failuresSinceLastSuccess(and(eq(signInAttempts.email, email), gt(signInAttempts.at, since))!);
}

/** Failed attempts for an account from one address since `since`, not counting those before a success from there. */
export function failuresForEmailAndIp(email: string, ip: string, since: Date): Promise<{ count: number; last: Date | null }> {
  return failuresSinceLastSuccess(and(eq(signInAttempts.email, email), eq(signInAttempts.ip, ip), gt(signInAttempts.at, since))!);
}

async function failuresSinceLastSuccess(where: SQL): Promise<{ count: number; last: Date | null }> {
  const rows = await getDb()
    .select({ at: signInAttempts.at, succeeded: signInAttempts.succeeded })
    .from(signInAttempts)
    .where(where)
    .orderBy(desc(signInAttempts.id))
    .limit(100);
  let failures = 0;
  let last: Date | null = null;
  for (const r of rows) {
    if (r.succeeded) break;
    failures += 1;
    last ??= r.at;
  }
  return { count: failures, last };
}

export async function failuresForIp(ip: string, since: Date): Promise<{ count: number; last: Date | null }> {
  const rows = await getDb()
    .select({ at: signInAttempts.at })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.ip, ip), eq(signInAttempts.succeeded, false), gt(signInAttempts.at, since)))
    .orderBy(desc(signInAttempts.id))
    .limit(1000);
  return { count: rows.length, last: rows[0]?.at ?? null };
}

export async function failuresSince(since: Date): Promise<number> {
  return (
    (
      await getDb()
        .select({ n: count() })
        .from(signInAttempts)
        .where(and(eq(signInAttempts.succeeded, false), gt(signInAttempts.at, since)))
    )[0]?.n ?? 0
  );
}

export async function insertSecurityEvent(event: {
  type: SecurityEventType;
  actor?: string | null;
  ip?: string | null;
  correlationId?: string | null;
  details?: Record<string, unknown>;
  at?: Date;
}): Promise<SecurityEvent> {
  return returnedRow(
    getDb()
      .insert(securityEvents)
      .values({ ...event, at: event.at ?? new Date(), details: event.details ?? null })
      .returning(),
  );
}

export async function countSecurityEvents(type: SecurityEventType, since: Date): Promise<number> {
  return (
    (
      await getDb()
        .select({ n: count() })
        .from(securityEvents)
        .where(and(eq(securityEvents.type, type), gt(securityEvents.at, since)))
    )[0]?.n ?? 0
  );
}

export async function listSecurityEvents(filter: { type?: SecurityEventType; limit?: number } = {}): Promise<SecurityEvent[]> {
  const where: SQL[] = [];
  if (filter.type) where.push(eq(securityEvents.type, filter.type));
  return await getDb()
    .select()
    .from(securityEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(securityEvents.id))
    .limit(filter.limit ?? 200);
}

export async function purgeSecurityRecords(before: Date): Promise<{ attempts: number; events: number }> {
  const attempts = (await getDb().delete(signInAttempts).where(lt(signInAttempts.at, before)).returning({ id: signInAttempts.id })).length;
  const events = (await getDb().delete(securityEvents).where(lt(securityEvents.at, before)).returning({ id: securityEvents.id })).length;
  return { attempts, events };
}
