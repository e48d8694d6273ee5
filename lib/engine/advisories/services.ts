// The dependency audit's services from plain settings: which advisory source, where the registries are, the watch
// list, and the cache to keep answers in. The app builds them from its settings and database, the CLI from its
// flags and the user's cache folder; neither is known here.
import type { DependencyCache } from "@/lib/core/cache";
import { createRegistryService, type RegistryService } from "../registry";
import { GitHubAdvisorySource } from "./github";
import { NpmBulkSource } from "./npm-bulk";
import { OfflineOsvSource, type OsvRecord } from "./osv";
import { createAdvisoryService } from "./service";
import type { AdvisoryService } from "./types";

export const ADVISORY_SOURCES = ["npm", "github", "offline", "none"] as const;
export type AdvisorySourceName = (typeof ADVISORY_SOURCES)[number];

export interface DependencyServices {
  advisories: AdvisoryService;
  /** Absent: fixes and patch status are left out, vulnerabilities are still reported. */
  registry: RegistryService | null;
  watchList: readonly string[];
}

export interface DependencyServiceSettings {
  source: AdvisorySourceName;
  watchList: readonly string[];
  cache: DependencyCache;
  /** How long an advisory answer is reused; 0 asks every time. */
  advisoryTtlMs: number;
  npmRegistry: string;
  pypiUrl: string;
  githubApiUrl: string;
  githubToken: string | null;
  offlineRecords?: readonly OsvRecord[];
  /** Ask the source even when a cached answer is still fresh (the answer is cached again). */
  freshAdvisories?: boolean;
}

/** A service that always says no source is configured: the dependency items stay unknown, never pass. */
const NO_SOURCE: AdvisoryService = {
  async lookup() {
    return {
      advisories: [],
      requests: 0,
      source: { name: "none", status: "unavailable", fetchedAt: null, error: "No advisory source is configured." },
    };
  },
};

export function buildDependencyServices(s: DependencyServiceSettings): DependencyServices {
  const registry = createRegistryService({ npmRegistry: s.npmRegistry, pypiUrl: s.pypiUrl, cache: s.cache });
  const cached = { cache: s.cache, cacheTtlMs: s.advisoryTtlMs, fresh: s.freshAdvisories };
  let advisories: AdvisoryService;
  switch (s.source) {
    case "npm":
      advisories = createAdvisoryService(new NpmBulkSource(s.npmRegistry), cached);
      break;
    case "github":
      advisories = createAdvisoryService(new GitHubAdvisorySource({ baseUrl: s.githubApiUrl, token: s.githubToken }), cached);
      break;
    case "offline":
      // Local data: nothing to cache.
      advisories = createAdvisoryService(new OfflineOsvSource(s.offlineRecords ?? []), { cache: s.cache, cacheTtlMs: 0 });
      break;
    default:
      advisories = NO_SOURCE;
  }
  return { advisories, registry, watchList: s.watchList };
}
