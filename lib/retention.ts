// Retention: scans, findings and security records older than the configured period are purged on a schedule.
import { z } from "zod";
import { appendAudit } from "@/db/queries/audit";
import { purgeScansBefore } from "@/db/queries/scans";
import { purgeSecurityRecords } from "@/db/queries/security";
import { purgeExpiredSessions } from "@/db/queries/sessions";
import { getSetting } from "@/db/queries/settings";
import { env } from "./env";
import { logger } from "./logger";

const log = logger("retention");

export const RetentionSettings = z.object({ days: z.number().int().min(1).max(3650) });
export type RetentionSettings = z.infer<typeof RetentionSettings>;
export const RETENTION_KEY = "retention";
export const DEFAULT_RETENTION: RetentionSettings = { days: 180 };

export async function retentionDays(): Promise<number> {
  return (await getSetting(RETENTION_KEY, RetentionSettings, DEFAULT_RETENTION)).days;
}

export interface PurgeResult {
  scans: number;
  signInAttempts: number;
  securityEvents: number;
  sessions: number;
}

export async function purgeExpired(now = new Date()): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - (await retentionDays()) * 24 * 3600_000);
  const scans = await purgeScansBefore(cutoff);
  const { attempts, events } = await purgeSecurityRecords(cutoff);
  const sessions = await purgeExpiredSessions(now, new Date(now.getTime() - env().LAUNCH_REVIEW_SESSION_IDLE_MINUTES * 60_000));
  const result = { scans, signInAttempts: attempts, securityEvents: events, sessions };
  if (scans + attempts + events > 0) {
    await appendAudit({
      actor: "system",
      action: "retention.purged",
      targetType: "system",
      correlationId: `retention-${now.toISOString()}`,
      details: { ...result, cutoff: cutoff.toISOString() },
    });
  }
  return result;
}

const EVERY_MS = 6 * 3600_000;
const globalForJob = globalThis as unknown as { launchReviewRetentionTimer?: NodeJS.Timeout };

/** Purges now and then every six hours; the timer never keeps the process alive. */
export async function startRetentionJob(): Promise<void> {
  if (globalForJob.launchReviewRetentionTimer) return;
  const run = async () => {
    try {
      const result = await purgeExpired();
      log.info(result, "retention purge done");
    } catch (error) {
      log.error({ err: error }, "retention purge failed");
    }
  };
  await run();
  globalForJob.launchReviewRetentionTimer = setInterval(() => void run(), EVERY_MS);
  globalForJob.launchReviewRetentionTimer.unref();
}
