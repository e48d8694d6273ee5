import "server-only";
// Connectors: the repositories and folders teams register for review.
import { desc, eq, getTableColumns, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../client";
import { connectors, scans, type Connector, type NewConnector, type Scan } from "../schema";

// Every column but the sealed token, plus whether one is set: what pages and jobs may see.
const { tokenCiphertext: _sealed, ...publicColumns } = getTableColumns(connectors);
const connectorView = { ...publicColumns, hasToken: sql<boolean>`${isNotNull(connectors.tokenCiphertext)}`.mapWith(Boolean) };

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
    .select({ connector: connectorView, scan: scans })
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
  return getDb().select(connectorView).from(connectors).where(eq(connectors.id, id)).get();
}

export function findConnectorByName(name: string): Connector | undefined {
  return getDb().select(connectorView).from(connectors).where(eq(connectors.name, name)).get();
}

/** The sealed access token of a GitHub connector, for the scan job only. */
export function connectorTokenCiphertext(id: number): string | null {
  return getDb().select({ sealed: connectors.tokenCiphertext }).from(connectors).where(eq(connectors.id, id)).get()?.sealed ?? null;
}

/** Stores (or, with null, removes) a connector's sealed access token; false when there is no such connector. */
export function setConnectorTokenCiphertext(id: number, sealed: string | null, tx: DbOrTx = getDb()): boolean {
  return tx.update(connectors).set({ tokenCiphertext: sealed }).where(eq(connectors.id, id)).run().changes === 1;
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
  return tx.insert(connectors).values(values).returning(connectorView).get();
}

/** Deletes the connector; scans, findings and checklist rows go with it (ON DELETE CASCADE). */
export function deleteConnectorRow(id: number, tx: DbOrTx = getDb()): void {
  tx.delete(connectors).where(eq(connectors.id, id)).run();
}

export function latestScanFor(connectorId: number): Scan | undefined {
  return getDb().select().from(scans).where(eq(scans.connectorId, connectorId)).orderBy(desc(scans.id)).limit(1).get();
}

/** Every connector's sealed token, for the key-rotation command. */
export function allTokenCiphertexts(tx: DbOrTx = getDb()): Array<{ id: number; sealed: string }> {
  return tx
    .select({ id: connectors.id, sealed: connectors.tokenCiphertext })
    .from(connectors)
    .where(isNotNull(connectors.tokenCiphertext))
    .all()
    .map((r) => ({ id: r.id, sealed: r.sealed! }));
}

/** Connectors whose scheduled scan is due: interval set, nothing queued or running, last scan (or creation) long enough ago. */
export function connectorsDueForScan(now: Date): Array<{ id: number }> {
  return getDb().$client
    .prepare(
      `SELECT c.id FROM connectors c
       WHERE c.scan_interval_minutes > 0
         AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.connector_id = c.id AND s.status IN ('queued', 'running'))
         AND coalesce((SELECT max(s.queued_at) FROM scans s WHERE s.connector_id = c.id), c.created_at) + c.scan_interval_minutes * 60000 <= ?
       ORDER BY c.id`,
    )
    .all(now.getTime()) as Array<{ id: number }>;
}

export function setScanInterval(id: number, minutes: number, tx: DbOrTx = getDb()): void {
  tx.update(connectors).set({ scanIntervalMinutes: minutes }).where(eq(connectors.id, id)).run();
}
