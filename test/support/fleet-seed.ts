// A fleet written straight into the test database (no scans run; drizzle inserts, so it works on both databases): connectors in two teams with an older and a latest
// scan, watched packages, reviews in every state, and the risk each connector should get, worked out here from the
// same numbers so the tests can check the SQL against it.
import { getDb } from "@/db/client";
import { watchedCounts, type LaunchStatus } from "@/db/queries/fleet";
import { connectors, reviews, scanPackages, scans, type LagLevel, type ReviewStatus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";

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
const REVIEW: Array<[ReviewStatus | null, LaunchStatus]> = [
  [null, "not reviewed"],
  ["in-progress", "in review"],
  ["signed-off", "signed off"],
  ["stale", "stale"],
  [null, "not reviewed"],
];

/** `count` connectors; every 10th has never been scanned. `name(i)` names connector i (1-based). */
export async function seedFleet(
  teams: [number, number],
  count: number,
  name = (i: number) => `connector-${String(i).padStart(4, "0")}`,
): Promise<SeededConnector[]> {
  const out: SeededConnector[] = [];
  await inTransaction(getDb(), async (tx) => {
    type Package = { package: string; version: string; lag: LagLevel; advisories: string[] };
    // As completeScan writes one: the scan with its watched-package numbers, then the package rows.
    const insertScan = async (connectorId: number, at: number, counts: [number, number, number, number, number], seeded: Package[]) => {
      const [critical, high, advisoriesCritical, advisoriesHigh, known] = counts;
      const packages = seeded.map((p) => ({ ...p, latest: "2.0.0", fixedIn: null }));
      const [row] = await tx
        .insert(scans)
        .values({
          connectorId,
          status: "succeeded",
          correlationId: "seed",
          queuedAt: new Date(at),
          finishedAt: new Date(at),
          critical,
          high,
          advisoriesCritical,
          advisoriesHigh,
          advisoriesKnown: known === 1,
          ...watchedCounts(packages, known === 1),
          report: "{}",
        })
        .returning({ id: scans.id });
      for (const p of packages) await tx.insert(scanPackages).values({ scanId: row!.id, connectorId, ...p });
      return row!.id;
    };
    for (let i = 1; i <= count; i++) {
      const teamId = teams[i % 2]!;
      const [row] = await tx.insert(connectors).values({ teamId, name: name(i), sourceKind: "github", location: `acme/c-${i}` }).returning({ id: connectors.id });
      const id = row!.id;
      if (i % 10 === 0) {
        out.push({ id, name: name(i), teamId, status: "not reviewed", risk: 0, packages: [] });
        continue;
      }
      // An older scan with other numbers: only the latest one may count.
      await insertScan(id, 1, [9, 9, 9, 9, 1], [{ package: "react", version: "0.0.1", lag: "vulnerable", advisories: ["GHSA-old"] }]);
      const [critical, high, advCritical, advHigh, known] = [i % 3, i % 4, i % 11 === 0 ? 1 : 0, i % 7 === 0 ? 1 : 0, i % 13 === 0 ? 0 : 1];
      const packages = [{ package: "react", lag: LAGS[i % 5]! }, ...(i % 3 === 0 ? [{ package: "next", lag: LAGS[(i + 2) % 5]! }] : [])];
      const latest = await insertScan(
        id,
        2,
        [critical, high, advCritical, advHigh, known],
        packages.map((p) => ({ ...p, version: `1.${i}.0`, advisories: p.lag === "vulnerable" ? [`GHSA-${i}`] : [] })),
      );
      const [reviewStatus, status] = REVIEW[i % 5]!;
      if (reviewStatus) await tx.insert(reviews).values({ connectorId: id, scanId: latest, checklistVersion: 1, status: reviewStatus, createdBy: "seed" });
      const lagRisk = packages.reduce((n, p) => n + (p.lag === "vulnerable" ? 100 : known ? LAG_RISK[p.lag]! : 0), 0);
      const risk =
        advCritical * 1000 + advHigh * 300 + (known ? 0 : 150) + critical * 50 + high * 10 + (status === "stale" ? 40 : 0) + lagRisk;
      out.push({ id, name: name(i), teamId, status, risk, packages });
    }
  });
  return out;
}

/** The dashboard's orders, in plain JavaScript. */
export const byName = (a: SeededConnector, b: SeededConnector) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);
export const byRisk = (a: SeededConnector, b: SeededConnector) => b.risk - a.risk || byName(a, b);
