// A dependency cache that lives as long as the process: --no-cache, tests, and one-off library use.
import type { AdvisoryCacheKey, CachedAdvisories, CachedPackument, DependencyCache } from "@/lib/core/cache";

export function advisoryKeyString(k: AdvisoryCacheKey): string {
  return JSON.stringify([k.source, k.ecosystem, k.package, k.versionsKey]);
}

export function memoryDependencyCache(): DependencyCache {
  const advisories = new Map<string, CachedAdvisories>();
  const packuments = new Map<string, CachedPackument>();
  return {
    async advisories(key, freshSince) {
      const hit = advisories.get(advisoryKeyString(key));
      return hit && hit.fetchedAt > freshSince ? hit : undefined;
    },
    async storeAdvisories(rows) {
      for (const { fetchedAt, advisories: value, ...key } of rows) advisories.set(advisoryKeyString(key), { fetchedAt, advisories: value });
    },
    async packument(registry, name) {
      return packuments.get(JSON.stringify([registry, name]));
    },
    async storePackument({ registry, name, ...row }) {
      packuments.set(JSON.stringify([registry, name]), row);
    },
  };
}
