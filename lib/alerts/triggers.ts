// When alerts fire: after a scan (new critical or high advisories), and on the scheduler's tick (waivers about to
// expire). Stale sign-offs and repeated failures alert where they happen (lib/review, lib/jobs/scan-queue).
import { getConnector } from "@/db/queries/connectors";
import { itemsOf, reviewsWithStatus } from "@/db/queries/reviews";
import { reportForScan } from "@/db/queries/scans";
import { advisoriesKnown } from "../engine/report/patch-status";
import { notify, type DeliveryResult } from "./index";

const WAIVER_NOTICE_MS = 7 * 24 * 3600_000;

/** Critical and high advisories in `scanId` that the connector's previous successful scan did not have. */
export async function alertNewAdvisories(connectorId: number, scanId: number, previousScanId: number | null): Promise<DeliveryResult[]> {
  const report = await reportForScan(scanId);
  const connector = await getConnector(connectorId);
  if (!report || !connector) return [];
  // No answer is not "no new advisories": subscribers hear that this connector's advisories are unknown (once per
  // stretch of unknown scans), instead of silence that reads as all clear.
  if (!advisoriesKnown(report)) {
    const previous = previousScanId ? await reportForScan(previousScanId) : null;
    if (previous && !advisoriesKnown(previous)) return [];
    const reason = report.dependencies.advisorySource.error ?? "the advisory source did not answer";
    return notify({
      type: "advisory.new",
      title: `${connector.name}: advisories unknown, new critical or high advisories can't be ruled out (${reason})`,
      connector: { id: connector.id, name: connector.name },
      details: { advisories: "unknown", source: report.dependencies.advisorySource.name, reason },
      path: `/scans/${scanId}/dependencies`,
      dedupeKey: `advisory-unknown:${connectorId}:${scanId}`,
    });
  }
  const before = new Set(
    (previousScanId ? ((await reportForScan(previousScanId))?.dependencies.vulnerabilities ?? []) : []).map(
      (v) => `${v.package}@${v.version} ${v.advisory}`,
    ),
  );
  const fresh = report.dependencies.vulnerabilities.filter(
    (v) => (v.severity === "critical" || v.severity === "high") && !before.has(`${v.package}@${v.version} ${v.advisory}`),
  );
  const results: DeliveryResult[] = [];
  for (const v of fresh) {
    results.push(
      ...(await notify({
        type: "advisory.new",
        title: `${connector.name}: ${v.severity} advisory ${v.advisory} in ${v.package}@${v.version}${v.fixedIn ? ` (fixed in ${v.fixedIn})` : ""}`,
        connector: { id: connector.id, name: connector.name },
        details: {
          package: v.package,
          version: v.version,
          advisory: v.advisory,
          severity: v.severity,
          title: v.title,
          fixedIn: v.fixedIn,
          lockfile: v.lockfile,
        },
        path: `/scans/${scanId}/dependencies`,
        dedupeKey: `advisory:${connectorId}:${v.package}@${v.version}:${v.advisory}`,
      })),
    );
  }
  return results;
}

/** Waivers of signed-off reviews that expire within a week; each is announced once. */
export async function alertExpiringWaivers(now = new Date()): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (const review of await reviewsWithStatus("signed-off")) {
    const connector = await getConnector(review.connectorId);
    if (!connector) continue;
    for (const item of await itemsOf(review.id)) {
      if (item.decision !== "waive" || !item.waiverExpiresAt) continue;
      const left = item.waiverExpiresAt.getTime() - now.getTime();
      if (left <= 0 || left > WAIVER_NOTICE_MS) continue;
      results.push(
        ...(await notify({
          type: "waiver.expiring",
          title: `${connector.name}: the waiver on "${item.itemId}" expires ${item.waiverExpiresAt.toISOString().slice(0, 10)}`,
          connector: { id: connector.id, name: connector.name },
          details: { reviewId: review.id, itemId: item.itemId, expiresAt: item.waiverExpiresAt.toISOString() },
          path: `/reviews/${review.id}`,
          dedupeKey: `waiver:${review.id}:${item.itemId}:${item.waiverExpiresAt.getTime()}`,
        })),
      );
    }
  }
  return results;
}
