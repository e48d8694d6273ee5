// The fleet dashboard's query reads each connector's latest scan through the (connector_id, id) index, one connector
// at a time, on both databases: never every scan (Postgres hashed the whole table on every request when the latest
// scan was joined on its max(id); db/dialect.ts, joinLatest).
import { sql, type SQL } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { databaseDialect } from "@/db/config";
import { fleetPageQuery } from "@/db/queries/fleet-view";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";
import { seedFleet } from "./support/fleet-seed";
import { at, testExec, testRows } from "./support/sql";

const CONNECTORS = 200;
const MORE_SCANS = 30;

beforeAll(async () => {
  await useTestDb();
  await seedFleet([(await makeTeam("Even")).id, (await makeTeam("Odd")).id], CONNECTORS);
  await testExec(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MORE_SCANS})
    INSERT INTO scans (connector_id, status, correlation_id, queued_at, finished_at, report)
    SELECT c.id, 'succeeded', 'plan', ${at(Date.now())}, ${at(Date.now())}, '{}' FROM connectors c, n`);
  await testExec(sql`ANALYZE`);
}, 60_000);

async function planOf(query: SQL): Promise<string> {
  if (databaseDialect() === "postgres") {
    const rows = await testRows<{ "QUERY PLAN": string }>(sql`EXPLAIN ${query}`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  }
  const rows = await testRows<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${query}`);
  return rows.map((r) => r.detail).join("\n");
}

it("looks each connector's latest scan up through the (connector_id, id) index and never reads every scan", async () => {
  const plan = await planOf(fleetPageQuery({ scope: "all", sort: "risk" }, { limit: 25, offset: 0 }));
  expect(plan).toContain("scans_connector_idx");
  // PostgreSQL names a full read "Seq Scan on scans"; SQLite "SCAN <alias>" without an index.
  expect(plan).not.toMatch(/Seq Scan on scans\b/);
  expect(plan).not.toMatch(/^SCAN (ls|x|scans)\b(?!.*USING)/m);
});

it("takes each row's lag risk from its scan, reading no package rows unless a package is the filter", async () => {
  expect(await planOf(fleetPageQuery({ scope: "all", sort: "risk" }, { limit: 25, offset: 0 }))).not.toContain("scan_packages");
  expect(await planOf(fleetPageQuery({ scope: "all", sort: "risk", package: "next" }, { limit: 25, offset: 0 }))).toContain("scan_packages");
});
