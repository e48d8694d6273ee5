import "server-only";
// Connectors: the repositories and folders teams register for review.
import { count, desc, eq, getTableColumns, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, type Db } from "../client";
import { epochMs, selectRows } from "../dialect";
import { returnedRow } from "../rows";
import { connectors, scans, type Connector, type NewConnector, type Scan } from "../schema";

// Every column but the sealed token, plus whether one is set: what pages and jobs may see.
const { tokenCiphertext: _sealed, ...publicColumns } = getTableColumns(connectors);
const connectorView = { ...publicColumns, hasToken: sql<boolean>`${isNotNull(connectors.tokenCiphertext)}`.mapWith(Boolean) };

export interface ConnectorListRow {
  connector: Connector;
  lastScan: Pick<Scan, "id" | "status" | "queuedAt" | "finishedAt" | "critical" | "high" | "commit" | "error"> | null;
}

/** Connectors of the given teams ("all" for administrators) with their latest scan, in one query. */
export async function listConnectorsWithLastScan(teamIds: readonly number[] | "all"): Promise<ConnectorListRow[]> {
  if (teamIds !== "all" && teamIds.length === 0) return [];
  const latest = getDb()
    .select({ connectorId: scans.connectorId, id: sql<number>`max(${scans.id})`.as("latest_id") })
    .from(scans)
    .groupBy(scans.connectorId)
    .as("latest");
  const rows = await getDb()
    .select({ connector: connectorView, scan: scans })
    .from(connectors)
    .leftJoin(latest, eq(latest.connectorId, connectors.id))
    .leftJoin(scans, eq(scans.id, latest.id))
    .where(teamIds === "all" ? undefined : inArray(connectors.teamId, [...teamIds]))
    .orderBy(connectors.name);
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

export async function getConnector(id: number): Promise<Connector | undefined> {
  return (await getDb().select(connectorView).from(connectors).where(eq(connectors.id, id)))[0];
}

export async function findConnectorByName(name: string): Promise<Connector | undefined> {
  return (await getDb().select(connectorView).from(connectors).where(eq(connectors.name, name)))[0];
}

/** The sealed access token of a GitHub connector, for the scan job only. */
export async function connectorTokenCiphertext(id: number): Promise<string | null> {
  return (await getDb().select({ sealed: connectors.tokenCiphertext }).from(connectors).where(eq(connectors.id, id)))[0]?.sealed ?? null;
}

/** Stores (or, with null, removes) a connector's sealed access token; false when there is no such connector. */
export async function setConnectorTokenCiphertext(id: number, sealed: string | null, tx: Db = getDb()): Promise<boolean> {
  const updated = await tx
    .update(connectors)
    .set({ tokenCiphertext: sealed })
    .where(eq(connectors.id, id))
    .returning({ id: connectors.id });
  return updated.length === 1;
}

export async function countConnectors(): Promise<number> {
  return (await getDb().select({ n: count() }).from(connectors))[0]?.n ?? 0;
}

export async function insertConnector(values: NewConnector, tx: Db = getDb()): Promise<Connector> {
  return returnedRow(tx.insert(connectors).values(values).returning(connectorView));
}

/** Deletes the connector; scans, findings and checklist rows go with it (ON DELETE CASCADE). */
export async function deleteConnectorRow(id: number, tx: Db = getDb()): Promise<void> {
  await tx.delete(connectors).where(eq(connectors.id, id));
}

export async function latestScanFor(connectorId: number): Promise<Scan | undefined> {
  return (await getDb().select().from(scans).where(eq(scans.connectorId, connectorId)).orderBy(desc(scans.id)).limit(1))[0];
}

/** Every connector's sealed token, for the key-rotation command. */
export async function allTokenCiphertexts(tx: Db = getDb()): Promise<Array<{ id: number; sealed: string }>> {
  return (
    await tx.select({ id: connectors.id, sealed: connectors.tokenCiphertext }).from(connectors).where(isNotNull(connectors.tokenCiphertext))
  ).map((r) => ({ id: r.id, sealed: r.sealed! }));
}

/** Connectors whose scheduled scan is due: interval set, nothing queued or running, last scan (or creation) long enough ago. */
export async function connectorsDueForScan(now: Date): Promise<Array<{ id: number }>> {
  const lastQueuedOrCreated = sql`coalesce((SELECT max(s.queued_at) FROM scans s WHERE s.connector_id = c.id), c.created_at)`;
  const rows = await selectRows<{ id: number }>(
    getDb(),
    sql`SELECT c.id FROM connectors c
       WHERE c.scan_interval_minutes > 0
         AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.connector_id = c.id AND s.status IN ('queued', 'running'))
         AND ${epochMs(lastQueuedOrCreated)} + c.scan_interval_minutes * 60000 <= ${now.getTime()}
       ORDER BY c.id`,
  );
  return rows.map((r) => ({ id: Number(r.id) }));
}

export async function setScanInterval(id: number, minutes: number, tx: Db = getDb()): Promise<void> {
  await tx.update(connectors).set({ scanIntervalMinutes: minutes }).where(eq(connectors.id, id));
}
