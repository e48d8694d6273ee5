// Results computed from succeeded scans alone (the fleet's history, the packages the filter offers), kept until a
// scan succeeds or one is deleted. The history of 500 connectors × 50 scans reads 25,000 scans, tens of ms each time;
// the dashboard asks for the same one on every page and every request, and it changes only when a scan finishes.
import { cache } from "react";
import { getDb, type Db } from "@/db/client";
import { succeededScansVersion } from "@/db/queries/fleet";

const MAX_ENTRIES = 50;

/** Read once per request: a page asks for several cached values. */
const versionForThisRequest = cache(succeededScansVersion);

interface Entry {
  version: number;
  value: unknown;
}

// Per database: the version is a counter each database starts at 0 (a test's fresh database, another DATABASE_URL).
const globalForCache = globalThis as unknown as { launchReviewScansCache?: WeakMap<Db, Map<string, Entry>> };

/** `compute()`, or what it gave last time for `key` if no scan has succeeded or been deleted since. */
export async function cachedUntilScansChange<T>(key: string, compute: () => T | Promise<T>): Promise<T> {
  const caches = (globalForCache.launchReviewScansCache ??= new WeakMap());
  const db = getDb();
  const cache = caches.get(db) ?? new Map<string, Entry>();
  caches.set(db, cache);
  const version = await versionForThisRequest();
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    // Most recently used last: the first entry is the one to drop when full.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as T;
  }
  const value = await compute();
  cache.delete(key);
  cache.set(key, { version, value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}
