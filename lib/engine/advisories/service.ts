// The advisory service a scan uses: one configured source, answers cached (where the caller says) with their fetch time, and
// failing closed: if the source can't answer for every package, the lookup says "unavailable" and returns nothing.
import type { DependencyCache } from "@/lib/core/cache";
import {
  AdvisorySourceError,
  type Advisory,
  type AdvisoryLookup,
  type AdvisoryQuery,
  type AdvisoryService,
  type AdvisorySource,
} from "./types";

export interface ServiceOptions {
  cache: DependencyCache;
  /** How long a cached answer stays good. 0 disables the cache. */
  cacheTtlMs: number;
  /** Skip cached answers (still storing the new ones): for scans whose point is to see new advisories. */
  fresh?: boolean;
  now?: () => Date;
}

function versionsKey(q: AdvisoryQuery): string {
  return [...new Set(q.versions)].sort().join(",");
}

export function createAdvisoryService(source: AdvisorySource, options: ServiceOptions): AdvisoryService {
  const now = options.now ?? (() => new Date());
  return {
    async lookup(queries, signal): Promise<AdvisoryLookup> {
      const relevant = queries.filter((q) => source.ecosystems.has(q.ecosystem) && q.versions.length > 0);
      const started = now();
      const advisories: Advisory[] = [];
      const misses: AdvisoryQuery[] = [];
      let oldest: Date | null = null;
      for (const q of relevant) {
        const hit =
          options.cacheTtlMs > 0 && !options.fresh
            ? await options.cache.advisories(
                { source: source.name, ecosystem: q.ecosystem, package: q.name, versionsKey: versionsKey(q) },
                new Date(started.getTime() - options.cacheTtlMs),
              )
            : undefined;
        if (hit && Array.isArray(hit.advisories)) {
          advisories.push(...(hit.advisories as Advisory[]));
          if (!oldest || hit.fetchedAt < oldest) oldest = hit.fetchedAt;
        } else misses.push(q);
      }
      let requests = 0;
      if (misses.length > 0) {
        try {
          const fetched = await source.fetch(misses, signal);
          requests = fetched.requests;
          advisories.push(...fetched.advisories);
          const fetchedAt = now();
          if (options.cacheTtlMs > 0) {
            await options.cache.storeAdvisories(
              misses.map((q) => ({
                source: source.name,
                ecosystem: q.ecosystem,
                package: q.name,
                versionsKey: versionsKey(q),
                fetchedAt,
                advisories: fetched.advisories.filter((a) => a.ecosystem === q.ecosystem && a.package === q.name),
              })),
            );
          }
          if (!oldest) oldest = fetchedAt;
        } catch (error) {
          if (signal.aborted) throw error;
          const reason = error instanceof AdvisorySourceError ? error.message : `unexpected error: ${(error as Error).message}`;
          return { advisories: [], requests, source: { name: source.name, status: "unavailable", fetchedAt: null, error: reason } };
        }
      }
      const fetchedAt = (oldest ?? started).toISOString();
      // Packages of an ecosystem this source knows nothing about were not audited: say so, keep what was found.
      const uncovered = [...new Set(queries.filter((q) => !source.ecosystems.has(q.ecosystem)).map((q) => q.ecosystem))];
      if (uncovered.length > 0) {
        const names = uncovered.map((e) => (e === "pypi" ? "Python" : e)).join(", ");
        return {
          advisories,
          requests,
          source: {
            name: source.name,
            status: "unavailable",
            fetchedAt,
            error: `the ${source.name} source has no ${names} advisories: choose the GitHub or offline source to audit those packages`,
          },
        };
      }
      return { advisories, requests, source: { name: source.name, status: "ok", fetchedAt, error: null } };
    },
  };
}
