import { sql } from "drizzle-orm";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { listAudit, verifyAuditChain } from "@/db/queries/audit";
import { insertQueuedScan } from "@/db/queries/scans";
import { recordSignInAttempt } from "@/db/queries/security";
import { setSetting } from "@/db/queries/settings";
import { deleteConnector, registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { purgeExpired, RETENTION_KEY } from "@/lib/retention";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";
import { at, testExec, testRows } from "./support/sql";

const actor = { id: "u1", correlationId: "c" };
const DAY = 24 * 3600_000;

async function setScan(id: number, status: "succeeded" | "failed", finishedDaysAgo: number) {
  await testExec(sql`update scans set status = ${status}, finished_at = ${at(Date.now() - finishedDaysAgo * DAY)} where id = ${id}`);
}

describe("retention and deletion", () => {
  let teamId: number;
  beforeEach(async () => {
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
    resetEnvForTests();
    await useTestDb();
    teamId = (await makeTeam("T")).id;
  });

  it("purges scans past the retention period but keeps each connector's latest successful scan", async () => {
    await setSetting(RETENTION_KEY, { days: 30 }, "admin");
    const { connector } = await registerLocalConnector(
      { name: "C", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      actor,
    );
    const old1 = await insertQueuedScan(connector.id, "manual", "c");
    const old2 = await insertQueuedScan(connector.id, "manual", "c");
    const recent = await insertQueuedScan(connector.id, "manual", "c");
    await setScan(old1.id, "succeeded", 90);
    await setScan(old2.id, "failed", 60);
    await setScan(recent.id, "failed", 1);
    await recordSignInAttempt("a@example.com", "1.2.3.4", false, new Date(Date.now() - 60 * DAY));

    const result = await purgeExpired();
    const left = (await testRows<{ id: number }>(sql`select id from scans order by id`)).map((r) => r.id);
    // old1 is the latest *successful* scan: kept even though old.
    expect(left).toEqual([old1.id, recent.id]);
    expect(result).toMatchObject({ scans: 1, signInAttempts: 1 });
    expect((await listAudit())[0]).toMatchObject({ action: "retention.purged" });
  });

  it("deletes a connector with everything it owns, and the audit log keeps only ids", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Secret Project X", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      actor,
    );
    await insertQueuedScan(connector.id, "manual", "c");
    await deleteConnector(connector.id, actor);
    expect(await testRows(sql`select id from scans`)).toEqual([]);
    expect(await testRows(sql`select id from connectors`)).toEqual([]);
    const audit = JSON.stringify(await testRows(sql`select * from audit_log`));
    expect(audit).toContain("connector.deleted");
    expect(audit).not.toContain("Secret Project X");
    expect(audit).not.toContain("demo-connector");
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
