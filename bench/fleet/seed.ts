// The fleet the bench measures, written into either database: 500 connectors with 50 daily scans each (25,000
// scans), 14 watched packages per scan (350,000 package rows). One generator makes the rows; each dialect writes them
// its fastest plain way (one SQLite transaction; batched `unnest` inserts on Postgres).
import pg from "pg";
import { openDb } from "@/db/client";
import { migratePg } from "@/db/client-pg";
import { watchedCounts } from "@/db/queries/fleet";
import { ms } from "../support/measure";

export const CONNECTORS = 500;
export const SCANS_PER_CONNECTOR = 50;
const PACKAGES = [
  "react",
  "react-dom",
  "next",
  "react-server-dom-webpack",
  "@modelcontextprotocol/sdk",
  "@modelcontextprotocol/ext-apps",
  "mcp-handler",
  "openai",
  "@openai/agents",
  "zod",
  "express",
  "typescript",
  "undici",
  "jose",
];
const LAGS = ["current", "patch", "minor", "major", "vulnerable"] as const;

interface ConnectorRow {
  id: number;
  name: string;
  location: string;
}
/** scans: id, connector_id, queued/finished at (ms), critical, high, advisories_critical, advisories_high, watched_vulnerable, watched_behind, watched_lag_risk */
type ScanRow = [number, number, number, number, number, number, number, number, number, number];
/** scan_packages: scan_id, connector_id, package, version, latest, lag, advisories (JSON), fixed_in */
type PackageRow = [number, number, string, string, string, string, string, string | null];

/** Every connector, then its scans oldest first (one a day), each with its package rows. */
function* fleet(now = Date.now()): Generator<{ connector: ConnectorRow; scans: Array<{ scan: ScanRow; packages: PackageRow[] }> }> {
  let scanId = 0;
  for (let c = 1; c <= CONNECTORS; c++) {
    const scans = [];
    for (let s = 0; s < SCANS_PER_CONNECTOR; s++) {
      scanId += 1;
      const at = now - (SCANS_PER_CONNECTOR - s) * 24 * 3600_000;
      const lags = PACKAGES.map((_, i) => LAGS[(c + s + i) % LAGS.length]!);
      const watched = watchedCounts(
        lags.map((lag) => ({ package: "", version: "", latest: null, lag, advisories: [], fixedIn: null })),
        true,
      );
      const scan: ScanRow = [
        scanId,
        c,
        at,
        (c * s) % 3,
        (c + s) % 5,
        (c + s) % 7 === 0 ? 1 : 0,
        (c + s) % 4 === 0 ? 1 : 0,
        watched.watchedVulnerable,
        watched.watchedBehind,
        watched.watchedLagRisk,
      ];
      const packages = PACKAGES.map((name, i): PackageRow => {
        const lag = lags[i]!;
        const vulnerable = lag === "vulnerable";
        return [scanId, c, name, `1.${i}.${s % 10}`, `1.${i + 1}.0`, lag, vulnerable ? `["GHSA-bnch-${i}-${c % 10}"]` : "[]", vulnerable ? `1.${i}.9` : null];
      });
      scans.push({ scan, packages });
    }
    yield { connector: { id: c, name: `connector-${String(c).padStart(3, "0")}`, location: `acme/connector-${c}` }, scans };
  }
}

function report(started: number): void {
  const scans = CONNECTORS * SCANS_PER_CONNECTOR;
  console.log(`seeded ${CONNECTORS} connectors, ${scans} scans, ${scans * PACKAGES.length} package rows in ${ms(performance.now() - started)}`);
}

/** A migrated SQLite file holding the fleet. */
export function seedSqlite(file: string): void {
  const started = performance.now();
  const db = openDb(file);
  const sql = db.$client;
  sql.transaction(() => {
    sql.prepare("insert into teams (id, name) values (1, 'Bench team')").run();
    const connector = sql.prepare("insert into connectors (id, team_id, name, source_kind, location) values (?, 1, ?, 'github', ?)");
    const scan = sql.prepare(
      "insert into scans (id, connector_id, status, correlation_id, queued_at, finished_at, critical, high, advisories_critical, advisories_high, watched_vulnerable, watched_behind, watched_lag_risk, report) values (?, ?, 'succeeded', 'bench', ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
    );
    const pkg = sql.prepare(
      "insert into scan_packages (scan_id, connector_id, package, version, latest, lag, advisories, fixed_in) values (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const c of fleet()) {
      connector.run(c.connector.id, c.connector.name, c.connector.location);
      for (const { scan: [id, connectorId, at, ...counts], packages } of c.scans) {
        scan.run(id, connectorId, at, at, ...counts);
        for (const row of packages) pkg.run(...row);
      }
    }
    sql.prepare("analyze").run();
  })();
  sql.close();
  report(started);
}

/** Rows per insert statement on Postgres: big enough to be quick, small enough to keep each statement's arrays modest. */
const PG_BATCH = 5_000;

/** Migrates the database at `url` (as the app would) and writes the fleet into it. */
export async function seedPostgres(url: string): Promise<void> {
  const started = performance.now();
  await migratePg(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("insert into teams (id, name) values (1, 'Bench team')");
    const connectors: ConnectorRow[] = [];
    let scans: ScanRow[] = [];
    let packages: PackageRow[] = [];
    const flush = async () => {
      await insertConnectors(client, connectors.splice(0));
      await insertScans(client, scans);
      await insertPackages(client, packages);
      scans = [];
      packages = [];
    };
    for (const c of fleet()) {
      connectors.push(c.connector);
      for (const s of c.scans) {
        scans.push(s.scan);
        packages.push(...s.packages);
      }
      if (packages.length >= PG_BATCH) await flush();
    }
    await flush();
    // The ids were given, so the identity sequences never moved: move them past the rows, as inserts by the app expect.
    for (const table of ["teams", "connectors", "scans"])
      await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
    await client.query("commit");
    await client.query("analyze");
  } finally {
    await client.end();
  }
  report(started);
}

/** Column `i` of every row, as one array parameter. */
const column = <T extends unknown[]>(rows: T[], i: number) => rows.map((r) => r[i]);

async function insertConnectors(client: pg.Client, rows: ConnectorRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    "insert into connectors (id, team_id, name, source_kind, location) select id, 1, name, 'github', location from unnest($1::int[], $2::text[], $3::text[]) as t(id, name, location)",
    [rows.map((r) => r.id), rows.map((r) => r.name), rows.map((r) => r.location)],
  );
}

async function insertScans(client: pg.Client, rows: ScanRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `insert into scans (id, connector_id, status, correlation_id, queued_at, finished_at, critical, high, advisories_critical, advisories_high, watched_vulnerable, watched_behind, watched_lag_risk, report)
     select id, connector_id, 'succeeded', 'bench', to_timestamp(at / 1000.0), to_timestamp(at / 1000.0), c, h, ac, ah, wv, wb, wr, '{}'
     from unnest($1::int[], $2::int[], $3::bigint[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[])
       as t(id, connector_id, at, c, h, ac, ah, wv, wb, wr)`,
    Array.from({ length: 10 }, (_, i) => column(rows, i)),
  );
}

async function insertPackages(client: pg.Client, rows: PackageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `insert into scan_packages (scan_id, connector_id, package, version, latest, lag, advisories, fixed_in)
     select scan_id, connector_id, package, version, latest, lag, advisories::jsonb, fixed_in
     from unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as t(scan_id, connector_id, package, version, latest, lag, advisories, fixed_in)`,
    Array.from({ length: 8 }, (_, i) => column(rows, i)),
  );
}
