import "server-only";
// Connectors: the repositories and folders teams register for review.
import { desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../client";
import { connectors, scans, type Connector, type NewConnector, type Scan } from "../schema";

export interface ConnectorListRow {
  connector: Connector;
  lastScan: Pick<Scan, "id" | "status" | "queuedAt" | "finishedAt" | "critical" | "high" | "commit" | "error"> | null;
}

/** Connectors of the given teams ("all" for administrators) with their latest scan, in one query. */
export function listConnectorsWithLastScan(teamIds: readonly number[] | "all"): ConnectorListRow[] {
  if (teamIds !== "all" && teamIds.length === 0) return [];
  const latest = getDb()
    .select({ connectorId: scans.connectorId, id: sql<number>`max(${scans.id})`.as("latest_id") })
    .from(scans)
    .groupBy(scans.connectorId)
    .as("latest");
  const rows = getDb()
    .select({ connector: connectors, scan: scans })
    .from(connectors)
    .leftJoin(latest, eq(latest.connectorId, connectors.id))
    .leftJoin(scans, eq(scans.id, latest.id))
    .where(teamIds === "all" ? undefined : inArray(connectors.teamId, [...teamIds]))
    .orderBy(connectors.name)
    .all();
  return rows.map(({ connector, scan }) => ({
    connector,
    lastScan: scan
      ? {
          id: scan.id,
          status: scan.status,
          queuedAt: scan.queuedAt,
          finishedAt: scan.finishedAt,
          critical: scan.critical,
          high: scan.high,
          commit: scan.commit,
          error: scan.error,
        }
      : null,
  }));
}

export function getConnector(id: number): Connector | undefined {
  return getDb().select().from(connectors).where(eq(connectors.id, id)).get();
}

export function findConnectorByName(name: string): Connector | undefined {
  return getDb().select().from(connectors).where(eq(connectors.name, name)).get();
}

export function countConnectors(): number {
  return (
    getDb()
      .select({ n: sql<number>`count(*)` })
      .from(connectors)
      .get()?.n ?? 0
  );
}

export function insertConnector(values: NewConnector, tx: DbOrTx = getDb()): Connector {
  return tx.insert(connectors).values(values).returning().get();
}

/** Deletes the connector; scans, findings and checklist rows go with it (ON DELETE CASCADE). */
export function deleteConnectorRow(id: number, tx: DbOrTx = getDb()): void {
  tx.delete(connectors).where(eq(connectors.id, id)).run();
}

export function latestScanFor(connectorId: number): Scan | undefined {
  return getDb().select().from(scans).where(eq(scans.connectorId, connectorId)).orderBy(desc(scans.id)).limit(1).get();
}
