import "server-only";
// Caches for the dependency audit, and the offline advisories an administrator imported.
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { DependencyCache } from "@/lib/core/cache";
import { getDb } from "../client";
import { advisoryCache, offlineAdvisories, packumentCache } from "../schema";

function cachedAdvisories(
  key: { source: string; ecosystem: string; package: string; versionsKey: string },
  freshSince: Date,
): { fetchedAt: Date; advisories: unknown } | undefined {
  return getDb()
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
    .get();
}

function storeAdvisories(
  rows: Array<{ source: string; ecosystem: string; package: string; versionsKey: string; fetchedAt: Date; advisories: unknown }>,
): void {
  if (rows.length === 0) return;
  const db = getDb();
  db.transaction((tx) => {
    for (let i = 0; i < rows.length; i += 200) {
      tx.insert(advisoryCache)
        .values(rows.slice(i, i + 200))
        .onConflictDoUpdate({
          target: [advisoryCache.source, advisoryCache.ecosystem, advisoryCache.package, advisoryCache.versionsKey],
          set: { fetchedAt: sql`excluded.fetched_at`, advisories: sql`excluded.advisories` },
        })
        .run();
    }
  });
}

function cachedPackument(registry: string, name: string): { etag: string | null; fetchedAt: Date; body: unknown } | undefined {
  return getDb()
    .select({ etag: packumentCache.etag, fetchedAt: packumentCache.fetchedAt, body: packumentCache.body })
    .from(packumentCache)
    .where(and(eq(packumentCache.registry, registry), eq(packumentCache.name, name)))
    .get();
}

function storePackument(row: { registry: string; name: string; etag: string | null; fetchedAt: Date; body: unknown }): void {
  getDb()
    .insert(packumentCache)
    .values(row)
    .onConflictDoUpdate({
      target: [packumentCache.registry, packumentCache.name],
      set: { etag: row.etag, fetchedAt: row.fetchedAt, body: row.body },
    })
    .run();
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

export function offlineAdvisoryRecords(): unknown[] {
  return getDb()
    .select({ record: offlineAdvisories.record })
    .from(offlineAdvisories)
    .all()
    .map((r) => r.record);
}

export function countOfflineAdvisories(): number {
  return getDb().select({ n: count() }).from(offlineAdvisories).get()?.n ?? 0;
}

export function importOfflineAdvisories(records: Array<{ id: string; record: unknown }>, importedBy: string): number {
  const db = getDb();
  return db.transaction((tx) => {
    let n = 0;
    for (const r of records) {
      tx.insert(offlineAdvisories)
        .values({ id: r.id, record: r.record, importedBy, importedAt: new Date() })
        .onConflictDoUpdate({ target: offlineAdvisories.id, set: { record: r.record, importedBy, importedAt: new Date() } })
        .run();
      n += 1;
    }
    return n;
  });
}

export function clearOfflineAdvisories(): void {
  getDb().delete(offlineAdvisories).run();
}
