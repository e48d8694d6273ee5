// A fleet written straight into the test database (no scans run): connectors in two teams with an older and a latest
// scan, watched packages, reviews in every state, and the risk each connector should get, worked out here from the
// same numbers so the tests can check the SQL against it.
import { getDb } from "@/db/client";
import type { LaunchStatus } from "@/db/queries/fleet";

export interface SeededConnector {
  id: number;
  name: string;
  teamId: number;
  status: LaunchStatus;
  risk: number;
  packages: Array<{ package: string; lag: string }>;
}

const LAGS = ["current", "patch", "minor", "major", "vulnerable"] as const;
const LAG_RISK: Record<string, number> = { vulnerable: 100, major: 8, minor: 3, patch: 1, current: 0 };
const REVIEW: Array<[string | null, LaunchStatus]> = [
  [null, "not reviewed"],
  ["in-progress", "in review"],
  ["signed-off", "signed off"],
  ["stale", "stale"],
  [null, "not reviewed"],
];

/** `count` connectors; every 10th has never been scanned. `name(i)` names connector i (1-based). */
export function seedFleet(
  teams: [number, number],
  count: number,
  name = (i: number) => `connector-${String(i).padStart(4, "0")}`,
): SeededConnector[] {
  const sql = getDb().$client;
  const connector = sql.prepare("insert into connectors (team_id, name, source_kind, location) values (?, ?, 'github', ?)");
  const scan = sql.prepare(
    `insert into scans (connector_id, status, correlation_id, queued_at, finished_at, critical, high, advisories_critical, advisories_high, advisories_known, report)
     values (?, 'succeeded', 'seed', ?, ?, ?, ?, ?, ?, ?, '{}')`,
  );
  const pkg = sql.prepare(
    "insert into scan_packages (scan_id, connector_id, package, version, latest, lag, advisories, fixed_in) values (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const review = sql.prepare(
    "insert into reviews (connector_id, scan_id, checklist_version, status, created_by) values (?, ?, 1, ?, 'seed')",
  );
  const out: SeededConnector[] = [];
  sql.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const teamId = teams[i % 2]!;
      const id = Number(connector.run(teamId, name(i), `acme/c-${i}`).lastInsertRowid);
      if (i % 10 === 0) {
        out.push({ id, name: name(i), teamId, status: "not reviewed", risk: 0, packages: [] });
        continue;
      }
      // An older scan with other numbers: only the latest one may count.
      const old = Number(scan.run(id, 1, 1, 9, 9, 9, 9, 1).lastInsertRowid);
      pkg.run(old, id, "react", "0.0.1", "19.0.0", "vulnerable", '["GHSA-old"]', null);
      const [critical, high, advCritical, advHigh, known] = [i % 3, i % 4, i % 11 === 0 ? 1 : 0, i % 7 === 0 ? 1 : 0, i % 13 === 0 ? 0 : 1];
      const latest = Number(scan.run(id, 2, 2, critical, high, advCritical, advHigh, known).lastInsertRowid);
      const packages = [{ package: "react", lag: LAGS[i % 5]! }, ...(i % 3 === 0 ? [{ package: "next", lag: LAGS[(i + 2) % 5]! }] : [])];
      for (const p of packages)
        pkg.run(latest, id, p.package, `1.${i}.0`, "2.0.0", p.lag, p.lag === "vulnerable" ? `["GHSA-${i}"]` : "[]", null);
      const [reviewStatus, status] = REVIEW[i % 5]!;
      if (reviewStatus) review.run(id, latest, reviewStatus);
      const lagRisk = packages.reduce((n, p) => n + (p.lag === "vulnerable" ? 100 : known ? LAG_RISK[p.lag]! : 0), 0);
      const risk =
        advCritical * 1000 + advHigh * 300 + (known ? 0 : 150) + critical * 50 + high * 10 + (status === "stale" ? 40 : 0) + lagRisk;
      out.push({ id, name: name(i), teamId, status, risk, packages });
    }
  })();
  return out;
}

/** The dashboard's orders, in plain JavaScript. */
export const byName = (a: SeededConnector, b: SeededConnector) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);
export const byRisk = (a: SeededConnector, b: SeededConnector) => b.risk - a.risk || byName(a, b);
