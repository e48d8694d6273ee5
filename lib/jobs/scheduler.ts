// The in-process scheduler of the embedded setup: scheduled rescans per connector, advisory refresh for signed-off
// connectors, expired and expiring waivers. Each tick takes "now" so tests control time; the timer only calls it.
import { connectorsDueForScan } from "@/db/queries/connectors";
import { reviewsWithStatus } from "@/db/queries/reviews";
import { activeScanFor, latestSucceededScan } from "@/db/queries/scans";
import type { Connector } from "@/db/schema";
import { alertExpiringWaivers } from "../alerts/triggers";
import { requestScan } from "../connectors";
import { env } from "../env";
import { logger } from "../logger";
import { expireWaivers } from "../review/service";

const log = logger("scheduler");

export interface TickResult {
  scheduled: number[];
  advisoryRefresh: number[];
  staleFromWaivers: number[];
}

/** When a connector's next scheduled scan is due, or null when it has no schedule. */
export function nextScanAt(connector: Pick<Connector, "scanIntervalMinutes" | "createdAt">, lastQueuedAt: Date | null): Date | null {
  if (connector.scanIntervalMinutes <= 0) return null;
  return new Date((lastQueuedAt ?? connector.createdAt).getTime() + connector.scanIntervalMinutes * 60_000);
}

export async function schedulerTick(now = new Date()): Promise<TickResult> {
  const actor = { id: "scheduler", correlationId: `schedule-${now.toISOString()}` };
  const scheduled: number[] = [];
  for (const { id } of await connectorsDueForScan(now)) {
    const { scan, alreadyActive } = await requestScan(id, "schedule", actor);
    if (!alreadyActive) scheduled.push(scan.id);
  }

  // Advisories change without code changing: signed-off connectors are rescanned on their own, shorter cadence so
  // a new advisory on a locked version turns the sign-off stale.
  const refreshMs = env().LAUNCH_REVIEW_ADVISORY_REFRESH_MINUTES * 60_000;
  const advisoryRefresh: number[] = [];
  for (const review of await reviewsWithStatus("signed-off")) {
    const last = await latestSucceededScan(review.connectorId);
    if ((await activeScanFor(review.connectorId)) || (last?.finishedAt && now.getTime() - last.finishedAt.getTime() < refreshMs)) continue;
    const { scan, alreadyActive } = await requestScan(review.connectorId, "advisory-refresh", actor);
    if (!alreadyActive) advisoryRefresh.push(scan.id);
  }

  const staleFromWaivers = await expireWaivers(now);
  await alertExpiringWaivers(now);
  if (scheduled.length + advisoryRefresh.length + staleFromWaivers.length > 0)
    log.info({ scheduled, advisoryRefresh, staleFromWaivers }, "scheduler tick");
  return { scheduled, advisoryRefresh, staleFromWaivers };
}

const globalForScheduler = globalThis as unknown as { launchReviewScheduler?: NodeJS.Timeout };

/** Ticks every minute in the app's process; the timer never keeps the process alive. */
export function startScheduler(): void {
  if (globalForScheduler.launchReviewScheduler) return;
  const tick = () => void schedulerTick().catch((error: unknown) => log.error({ err: error }, "scheduler tick failed"));
  globalForScheduler.launchReviewScheduler = setInterval(tick, 60_000);
  globalForScheduler.launchReviewScheduler.unref();
}
