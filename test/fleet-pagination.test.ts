// The fleet at size: the dashboard's rows are filtered, sorted, counted and paged by the database, and the CSV export
// streams every row in batches. Checked against a seeded fleet whose risk and status are worked out independently.
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { fleetPage, fleetStatusCounts, type FleetQuery } from "@/db/queries/fleet-view";
import { databaseDialect } from "@/db/config";
import { deleteConnectorRow } from "@/db/queries/connectors";
import { history } from "@/db/queries/fleet";
import { matrixCsvStream } from "@/lib/fleet/csv";
import { cachedUntilScansChange } from "@/lib/fleet/scans-cache";
import { DASHBOARD_PAGE_SIZE, FleetFilters } from "@/lib/fleet/dashboard";
import { loadDashboard } from "@/lib/fleet/load";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";
import { byName, byRisk, seedFleet, type SeededConnector } from "./support/fleet-seed";
import { at, flag, insertedId, testExec, testRows } from "./support/sql";

const COUNT = 130;
let teams: [number, number];
let fleet: SeededConnector[];

beforeEach(async () => {
  await useTestDb();
  teams = [(await makeTeam("Even")).id, (await makeTeam("Odd")).id];
  fleet = await seedFleet(teams, COUNT);
});

/** Every page of a query, one after another, with the page sizes seen. */
async function allPages(q: FleetQuery, limit: number): Promise<{ ids: number[]; sizes: number[]; totals: number[] }> {
  const ids: number[] = [];
  const sizes: number[] = [];
  const totals: number[] = [];
  for (let offset = 0; ; offset += limit) {
    const { rows, total } = await fleetPage(q, { limit, offset });
    if (rows.length === 0) break;
    ids.push(...rows.map((r) => r.id));
    sizes.push(rows.length);
    totals.push(total);
  }
  return { ids, sizes, totals };
}

describe("fleet pages in SQL", () => {
  it("pages the whole fleet in risk order, each connector once, with the count of everything", async () => {
    const pages = await allPages({ scope: "all", sort: "risk" }, 50);
    expect(pages.sizes).toEqual([50, 50, 30]);
    expect(pages.totals).toEqual([COUNT, COUNT, COUNT]);
    expect(pages.ids).toEqual([...fleet].sort(byRisk).map((c) => c.id));
  });

  it("sorts by name, and gives each row the risk and status the seed worked out", async () => {
    const { rows } = await fleetPage({ scope: "all", sort: "name" }, { limit: COUNT, offset: 0 });
    expect(rows.map((r) => r.name)).toEqual([...fleet].sort(byName).map((c) => c.name));
    const seeded = new Map(fleet.map((c) => [c.id, c]));
    for (const r of rows)
      expect({ risk: r.risk, status: r.status }).toEqual({ risk: seeded.get(r.id)!.risk, status: seeded.get(r.id)!.status });
    expect(rows.find((r) => r.scanId === null)).toMatchObject({ critical: 0, advisoriesKnown: true, scannedAt: null });
  });

  it("takes each connector's latest succeeded scan: newer failed, queued or running scans leave its row as it was", async () => {
    const rowOf = async (id: number) =>
      (await fleetPage({ scope: "all", sort: "name" }, { limit: COUNT, offset: 0 })).rows.find((r) => r.id === id)!;
    const scanned = fleet.find((c) => c.packages.length > 0)!;
    const before = await rowOf(scanned.id);
    expect(before.scanId).not.toBeNull();
    for (const status of ["failed", "queued", "running"])
      await testExec(
        sql`insert into scans (connector_id, status, correlation_id, queued_at, critical, advisories_critical) values (${scanned.id}, ${status}, 'c', ${at(Date.now())}, 9, 9)`,
      );
    const after = await rowOf(scanned.id);
    expect(after).toEqual(before);
    expect(after.risk).toBe(scanned.risk);
  });

  it("filters by team, status and package, and keeps to the caller's teams", async () => {
    const expectIds = async (q: FleetQuery, keep: (c: SeededConnector) => boolean) => {
      const want = fleet.filter(keep).sort(q.sort === "name" ? byName : byRisk);
      expect(want.length).toBeGreaterThan(0);
      const pages = await allPages(q, 20);
      expect(pages.ids).toEqual(want.map((c) => c.id));
      expect(new Set(pages.totals)).toEqual(new Set([want.length]));
    };
    await expectIds({ scope: "all", team: teams[1], sort: "name" }, (c) => c.teamId === teams[1]);
    await expectIds({ scope: "all", status: "stale", sort: "risk" }, (c) => c.status === "stale");
    await expectIds({ scope: "all", package: "next", sort: "risk" }, (c) => c.packages.some((p) => p.package === "next"));
    await expectIds({ scope: [teams[0]], status: "in review", sort: "name" }, (c) => c.teamId === teams[0] && c.status === "in review");
    expect(await fleetPage({ scope: [teams[0]], team: teams[1], sort: "risk" }, { limit: 50, offset: 0 })).toMatchObject({
      rows: [],
      total: 0,
    });
    expect(await fleetPage({ scope: [], sort: "risk" }, { limit: 50, offset: 0 })).toMatchObject({ rows: [], total: 0 });
  });

  it("counts launch statuses over every page, and answers a page past the end with the total", async () => {
    const counts = await fleetStatusCounts({ scope: "all" });
    for (const status of ["not reviewed", "in review", "signed off", "stale"] as const)
      expect(counts[status]).toBe(fleet.filter((c) => c.status === status).length);
    expect((await fleetPage({ scope: "all", sort: "risk" }, { limit: 50, offset: 0 })).counts).toEqual(counts);
    expect((await fleetPage({ scope: "all", status: "stale", sort: "risk" }, { limit: 5, offset: 5 })).counts).toEqual(counts);
    expect(await fleetPage({ scope: "all", sort: "risk" }, { limit: 50, offset: 500 })).toEqual({ rows: [], total: COUNT, counts });
    expect((await fleetPage({ scope: "all", status: "stale", sort: "risk" }, { limit: 50, offset: 500 })).total).toBe(counts.stale);
  });

  it("puts a dashboard page together: the page's rows, their cells, the page count", async () => {
    const page2 = await loadDashboard("all", FleetFilters.parse({ sort: "name", page: "2" }));
    expect(page2.rows.map((r) => r.name)).toEqual(
      [...fleet]
        .sort(byName)
        .slice(DASHBOARD_PAGE_SIZE, 2 * DASHBOARD_PAGE_SIZE)
        .map((c) => c.name),
    );
    expect(page2).toMatchObject({ page: 2, pageCount: Math.ceil(COUNT / DASHBOARD_PAGE_SIZE), matching: COUNT, totalConnectors: COUNT });
    const withNext = page2.rows.find((r) => r.cells.has("next"))!;
    expect([...withNext.cells.keys()].sort()).toEqual(["next", "react"]);
    const onlyNext = await loadDashboard("all", FleetFilters.parse({ package: "next" }));
    expect(onlyNext.packages).toEqual(["next"]);
    expect(onlyNext.totalConnectors).toBe(COUNT);
    expect(onlyNext.matching).toBe(fleet.filter((c) => c.packages.some((p) => p.package === "next")).length);
  });
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, chunks };
    chunks += 1;
    text += decoder.decode(value, { stream: true });
  }
}

describe("the streamed CSV export", () => {
  it("writes every connector's latest packages, in batches, in the dashboard's order", async () => {
    const { text, chunks } = await readAll(await matrixCsvStream("all", FleetFilters.parse({ sort: "name", page: "3" }), 20));
    const lines = text.split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe("connector,team,status,package,version,latest,lag,advisories,fixed_in");
    const body = lines.slice(1);
    expect(body).toHaveLength(fleet.reduce((n, c) => n + c.packages.length, 0));
    // The page of the dashboard does not limit the export; connectors come in name order, across batches.
    const names = [...new Set(body.map((l) => l.split(",")[0]))];
    expect(names).toEqual(
      [...fleet]
        .sort(byName)
        .filter((c) => c.packages.length > 0)
        .map((c) => c.name),
    );
    // The header, then one chunk per batch of 20 connectors.
    expect(chunks).toBe(1 + Math.ceil(COUNT / 20));
    expect(body.some((l) => l.includes("GHSA-old"))).toBe(false);
  });

  it("keeps to the caller's teams and the filters", async () => {
    const { text } = await readAll(await matrixCsvStream([teams[0]], FleetFilters.parse({ package: "next" })));
    const body = text.trim().split("\r\n").slice(1);
    const want = fleet.filter((c) => c.teamId === teams[0] && c.packages.some((p) => p.package === "next"));
    expect(body).toHaveLength(want.length);
    expect(body.every((l) => l.split(",")[3] === "next" && l.split(",")[1] === "Even")).toBe(true);
  });

  it("neutralises spreadsheet formulas and quotes what needs quoting", async () => {
    await useTestDb();
    const teamId = (await makeTeam("=cmd|' /C calc'!A0")).id;
    const names = ['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "plain, with comma"];
    await seedFleet([teamId, teamId], names.length, (i) => names[i - 1]!);
    const { text } = await readAll(await matrixCsvStream("all", FleetFilters.parse({ sort: "name" })));
    const body = text.trim().split("\r\n").slice(1);
    const team = `'=cmd|' /C calc'!A0`;
    for (const start of [
      `'+1,${team},`,
      `'-2,${team},`,
      `"'=HYPERLINK(""http://evil"")",${team},`,
      `'@SUM(A1),${team},`,
      `"plain, with comma",${team},`,
    ])
      expect(body.filter((l) => l.startsWith(start)).length).toBeGreaterThan(0);
    expect(body.filter((l) => /^[=+\-@]/.test(l))).toEqual([]);
  });
});

describe("results kept until the scans change", () => {
  /** A cached value that counts how often it was computed: 1, then 2 after the scans change, … */
  const countingCache = () => {
    let computed = 0;
    const key = `test:${Math.random()}`;
    return () => cachedUntilScansChange(key, () => ++computed);
  };

  it("are computed again when a scan succeeds or a succeeded one is deleted, and only then", async () => {
    const get = countingCache();
    expect([await get(), await get()]).toEqual([1, 1]);
    const insert = (status: string) =>
      insertedId(sql`insert into scans (connector_id, status, correlation_id, queued_at) values (${fleet[0]!.id}, ${status}, 'c', ${at(0)}) returning id`);
    await insert("failed");
    expect(await get()).toBe(1);
    const scanId = await insert("succeeded");
    expect([await get(), await get()]).toEqual([2, 2]);
    // An older succeeded scan (retention): not the newest, and its deletion counts all the same.
    const [older] = (await testRows<{ id: number }>(sql`select min(id) as id from scans where status = 'succeeded'`)) as [{ id: number }];
    expect(older.id).toBeLessThan(scanId);
    await testExec(sql`delete from scan_packages where scan_id = ${older.id}`);
    await testExec(sql`delete from scans where id = ${older.id}`);
    expect(await get()).toBe(3);
  });

  it("follow a scan through the queue: queued, running and its progress change nothing, succeeding does", async () => {
    const get = countingCache();
    expect(await get()).toBe(1);
    const id = await insertedId(sql`insert into scans (connector_id, status, correlation_id, queued_at) values (${fleet[0]!.id}, 'queued', 'c', ${at(0)}) returning id`);
    await testExec(sql`update scans set status = 'running' where id = ${id}`);
    await testExec(sql`update scans set progress = ${JSON.stringify({ stage: "parse" })} where id = ${id}`);
    expect(await get()).toBe(1);
    await testExec(sql`update scans set status = 'succeeded' where id = ${id}`);
    expect(await get()).toBe(2);
  });

  it("are computed again when a connector's deletion takes its succeeded scans along", async () => {
    const get = countingCache();
    expect(await get()).toBe(1);
    const scanned = fleet.find((c) => c.packages.length > 0)!;
    await deleteConnectorRow(scanned.id);
    expect(await get()).toBe(2);
  });

  it("are computed again when every scan goes at once (PostgreSQL's TRUNCATE skips row triggers)", async () => {
    const get = countingCache();
    expect(await get()).toBe(1);
    if (databaseDialect() === "postgres") await testExec(sql`truncate scans cascade`);
    else for (const table of ["reviews", "scans"]) await testExec(sql`delete from ${sql.identifier(table)}`);
    expect(await get()).toBe(2);
  });

  it("are never shared between two databases, whose versions both start at zero", async () => {
    const key = `test:${Math.random()}`;
    await useTestDb();
    expect(await cachedUntilScansChange(key, () => "first database")).toBe("first database");
    await useTestDb();
    expect(await cachedUntilScansChange(key, () => "second database")).toBe("second database");
  });
});

describe("the fleet's history", () => {
  it("sums each connector's last scan of a day, carried forward, with unknown advisories as unknown", async () => {
    const connector = (name: string) =>
      insertedId(sql`insert into connectors (team_id, name, source_kind, location) values (${teams[0]}, ${name}, 'local', '/x') returning id`);
    const scan = (connectorId: number, finished: string, critical: number, vulnerable: number, known = 1) =>
      testExec(
        sql`insert into scans (connector_id, status, correlation_id, queued_at, finished_at, critical, watched_vulnerable, advisories_known)
            values (${connectorId}, 'succeeded', 'c', ${at(0)}, ${at(Date.parse(finished))}, ${critical}, ${vulnerable}, ${flag(known === 1)})`,
      );
    const a = await connector("history-a");
    const b = await connector("history-b");
    await scan(b, "2026-06-01T10:00:00Z", 5, 9, 0); // before the window: the state it opens with
    await scan(a, "2026-06-07T12:00:00Z", 2, 1);
    await scan(b, "2026-06-08T12:00:00Z", 0, 3);
    await scan(a, "2026-06-09T08:00:00Z", 7, 7);
    await scan(a, "2026-06-09T20:00:00Z", 1, 0); // the day's last scan counts
    await scan(a, "2026-06-10T11:00:00Z", 4, 0, 1);
    await testExec(sql`update scans set status = 'failed' where finished_at = ${at(Date.parse("2026-06-10T11:00:00Z"))}`);
    const points = (await history([a, b], 5, new Date("2026-06-10T12:00:00Z"))).map((p) => [p.day, p.critical, p.vulnerable]);
    expect(points).toEqual([
      ["2026-06-05", 5, null],
      ["2026-06-06", 5, null],
      ["2026-06-07", 7, null],
      ["2026-06-08", 2, 4],
      ["2026-06-09", 1, 3],
      ["2026-06-10", 1, 3],
    ]);
    expect((await history([a], 5, new Date("2026-06-10T12:00:00Z"))).map((p) => p.day)).toEqual([
      "2026-06-07",
      "2026-06-08",
      "2026-06-09",
      "2026-06-10",
    ]);
  });
});
