// The scheduler with time under the test's control: ticks are called with a chosen "now", nothing waits.
import { sql } from "drizzle-orm";
import path from "node:path";
import { actorFor } from "@/lib/auth/actor";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getConnector, setScanInterval } from "@/db/queries/connectors";
import { getScan, insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { storeScanResult } from "@/lib/scan-results";
import type { Principal } from "@/lib/auth/permissions";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { scanQueue } from "@/lib/jobs/scan-queue";
import { nextScanAt, schedulerTick } from "@/lib/jobs/scheduler";
import { attestItem, decideItem, loadReview, signOffReview, startReview } from "@/lib/review/service";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";
import { reportWith } from "./support/reports";
import { at, testExec } from "./support/sql";

const HOUR = 3600_000;
let teamId: number;

async function connector(name: string, intervalMinutes: number, createdHoursAgo: number): Promise<number> {
  const { connector } = await registerLocalConnector(
    { name, path: "demo-connector", subdirectory: "", scanNow: false, teamId },
    { id: "u", correlationId: "c" },
  );
  await setScanInterval(connector.id, intervalMinutes);
  await testExec(sql`update connectors set created_at = ${at(Date.now() - createdHoursAgo * HOUR)} where id = ${connector.id}`);
  return connector.id;
}

/** Pretends the connector's scans all happened `hoursAgo`. */
async function ageScans(connectorId: number, hoursAgo: number) {
  const when = at(Date.now() - hoursAgo * HOUR);
  await testExec(sql`update scans set queued_at = ${when}, finished_at = ${when} where connector_id = ${connectorId}`);
}

describe("scheduler", () => {
  beforeEach(async () => {
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
    resetEnvForTests();
    await useTestDb();
    teamId = (await makeTeam("T")).id;
  });
  afterEach(() => scanQueue().whenIdle());

  it("rescans a connector once its interval has passed, and not before", async () => {
    const id = await connector("Hourly", 60, 2);
    const first = await schedulerTick(new Date());
    expect(first.scheduled).toHaveLength(1);
    // While that scan is queued or running, nothing more is scheduled.
    expect((await schedulerTick(new Date())).scheduled).toEqual([]);
    await scanQueue().whenIdle();
    expect((await getScan(first.scheduled[0]!))!.status).toBe("succeeded");

    await ageScans(id, 0.5);
    expect((await schedulerTick(new Date())).scheduled).toEqual([]);
    await ageScans(id, 1.1);
    expect((await schedulerTick(new Date())).scheduled).toHaveLength(1);
  });

  it("leaves connectors without a schedule alone, and says when the next run is", async () => {
    const off = await connector("Manual only", 0, 48);
    const daily = await connector("Daily", 1440, 1);
    expect((await schedulerTick(new Date())).scheduled).toEqual([]);
    expect(nextScanAt((await getConnector(off))!, null)).toBeNull();
    const lastRun = new Date("2026-11-27T10:00:00Z");
    expect(nextScanAt((await getConnector(daily))!, lastRun)).toEqual(new Date("2026-11-28T10:00:00Z"));
  });

  it("rescans signed-off connectors on the advisory cadence, even when their own schedule is off", async () => {
    const id = await connector("Signed off", 0, 48);
    const scan = await insertQueuedScan(id, "manual", "c");
    await markScanRunning(scan.id);
    await storeScanResult(scan.id, reportWith(), "t");
    const reviewer: Principal = { id: "rev", isAdmin: false, memberships: [{ teamId, teamName: "T", role: "security-lead" }] };
    const actor = actorFor(reviewer, "c");
    const review = await startReview(id, actor);
    for (const item of (await loadReview(review.id)).items) {
      const def = (await loadReview(review.id)).template.items.find((d) => d.id === item.itemId)!;
      if (!def.blocking || (def.verification === "automatic" && item.autoStatus === "pass")) continue;
      if (def.verification !== "automatic") await attestItem(review.id, def.id, "Checked on the review call.", "https://wiki/x", actor);
      await decideItem(review.id, def.id, { kind: "accept", note: "" }, actor);
    }
    await signOffReview(review.id, actor);

    await ageScans(id, 1);
    expect((await schedulerTick(new Date())).advisoryRefresh).toEqual([]);
    await ageScans(id, 7);
    const tick = await schedulerTick(new Date());
    expect(tick.advisoryRefresh).toHaveLength(1);
    expect(tick.scheduled).toEqual([]);
  });
});
