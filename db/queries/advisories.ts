import "server-only";
// Caches for the dependency audit, and the offline advisories an administrator imported.
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { DependencyCache } from "@/lib/core/cache";
import { getDb } from "../client";
import { inTransaction } from "../transaction";
import { advisoryCache, offlineAdvisories, packumentCache } from "../schema";

async function cachedAdvisories(
  key: { source: string; ecosystem: string; package: string; versionsKey: string },
  freshSince: Date,
): Promise<{ fetchedAt: Date; advisories: unknown } | undefined> {
  return (
    await getDb()
      .select({ fetchedAt: advisoryCache.fetchedAt, advisories: advisoryCache.advisories })
      .from(advisoryCache)
      .where(
        and(
          eq(advisoryCache.source, key.source),
          eq(advisoryCache.ecosystem, key.ecosystem),
          eq(advisoryCache.package, key.package),
          eq(advisoryCache.versionsKey, key.versionsKey),
          gt(advisoryCache.fetchedAt, freshSince),
        ),
      )
  )[0];
}

async function storeAdvisories(
  rows: Array<{ source: string; ecosystem: string; package: string; versionsKey: string; fetchedAt: Date; advisories: unknown }>,
): Promise<void> {
  if (rows.length === 0) return;
  await inTransaction(getDb(), async (tx) => {
    for (let i = 0; i < rows.length; i += 200) {
      await tx
        .insert(advisoryCache)
        .values(rows.slice(i, i + 200))
        .onConflictDoUpdate({
          target: [advisoryCache.source, advisoryCache.ecosystem, advisoryCache.package, advisoryCache.versionsKey],
          set: { fetchedAt: sql`excluded.fetched_at`, advisories: sql`excluded.advisories` },
        });
    }
  });
}

async function cachedPackument(
  registry: string,
  name: string,
): Promise<{ etag: string | null; fetchedAt: Date; body: unknown } | undefined> {
  return (
    await getDb()
      .select({ etag: packumentCache.etag, fetchedAt: packumentCache.fetchedAt, body: packumentCache.body })
      .from(packumentCache)
      .where(and(eq(packumentCache.registry, registry), eq(packumentCache.name, name)))
  )[0];
}

async function storePackument(row: { registry: string; name: string; etag: string | null; fetchedAt: Date; body: unknown }): Promise<void> {
  await getDb()
    .insert(packumentCache)
    .values(row)
    .onConflictDoUpdate({
      target: [packumentCache.registry, packumentCache.name],
      set: { etag: row.etag, fetchedAt: row.fetchedAt, body: row.body },
    });
}

/** The app's dependency cache: advisory answers and packuments in SQLite, shared by every scan. */
export function sqliteDependencyCache(): DependencyCache {
  return {
    advisories: async (key, freshSince) => cachedAdvisories(key, freshSince),
    storeAdvisories: async (rows) => storeAdvisories([...rows]),
    packument: async (registry, name) => cachedPackument(registry, name),
    storePackument: async (row) => storePackument(row),
  };
}

export async function offlineAdvisoryRecords(): Promise<unknown[]> {
  return (await getDb().select({ record: offlineAdvisories.record }).from(offlineAdvisories)).map((r) => r.record);
}

export async function countOfflineAdvisories(): Promise<number> {
  return (await getDb().select({ n: count() }).from(offlineAdvisories))[0]?.n ?? 0;
}

export async function importOfflineAdvisories(records: Array<{ id: string; record: unknown }>, importedBy: string): Promise<number> {
  return inTransaction(getDb(), async (tx) => {
    let n = 0;
    for (const r of records) {
      await tx
        .insert(offlineAdvisories)
        .values({ id: r.id, record: r.record, importedBy, importedAt: new Date() })
        .onConflictDoUpdate({ target: offlineAdvisories.id, set: { record: r.record, importedBy, importedAt: new Date() } });
      n += 1;
    }
    return n;
  });
}

export async function clearOfflineAdvisories(): Promise<void> {
  await getDb().delete(offlineAdvisories);
}
