// Which advisory source and watch list a scan uses: the app's settings (an administrator picks them), or the CLI's
// flags. Builds the services that reach checks through ctx.services.
import { z } from "zod";
import { offlineAdvisoryRecords } from "@/db/queries/advisories";
import { getSetting } from "@/db/queries/settings";
import { env } from "../env";
import { createRegistryService, type RegistryService } from "../registry";
import { DEFAULT_WATCH_LIST } from "./audit";
import { GitHubAdvisorySource } from "./github";
import { npmRegistryUrl } from "./npm-config";
import { NpmBulkSource } from "./npm-bulk";
import { OfflineOsvSource, OsvRecord, type OsvRecord as OsvRecordType } from "./osv";
import { createAdvisoryService } from "./service";
import type { AdvisoryService } from "./types";

export const ADVISORY_SOURCES = ["npm", "github", "offline", "none"] as const;
export type AdvisorySourceName = (typeof ADVISORY_SOURCES)[number];

export const ADVISORY_SOURCE_LABELS: Record<AdvisorySourceName, string> = {
  npm: "npm registry (bulk advisory endpoint, as npm audit)",
  github: "GitHub Advisory Database (npm and Python)",
  offline: "Offline: imported OSV advisories only",
  none: "None (dependency items stay unknown)",
};

export const DependencySettings = z.object({
  source: z.enum(ADVISORY_SOURCES),
  watchList: z.array(z.string().min(1).max(220)).max(100),
});
export type DependencySettings = z.infer<typeof DependencySettings>;
export const DEPENDENCY_SETTINGS_KEY = "dependencies";
export const DEFAULT_DEPENDENCY_SETTINGS: DependencySettings = { source: "npm", watchList: [...DEFAULT_WATCH_LIST] };

export function dependencySettings(): DependencySettings {
  return getSetting(DEPENDENCY_SETTINGS_KEY, DependencySettings, DEFAULT_DEPENDENCY_SETTINGS);
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

export interface DependencyServices {
  advisories: AdvisoryService;
  registry: RegistryService;
  watchList: readonly string[];
}

export function buildDependencyServices(options: {
  source: AdvisorySourceName;
  watchList: readonly string[];
  offlineRecords?: readonly OsvRecordType[];
  /** Ask the source even when a cached answer is still fresh (the answer is cached again). */
  freshAdvisories?: boolean;
}): DependencyServices {
  const e = env();
  const registry = createRegistryService({ npmRegistry: npmRegistryUrl(e.projectRoot), pypiUrl: e.LAUNCH_REVIEW_PYPI_URL });
  const ttl = e.LAUNCH_REVIEW_ADVISORY_TTL_MINUTES * 60_000;
  let advisories: AdvisoryService;
  switch (options.source) {
    case "npm":
      advisories = createAdvisoryService(new NpmBulkSource(npmRegistryUrl(e.projectRoot)), {
        cacheTtlMs: ttl,
        fresh: options.freshAdvisories,
      });
      break;
    case "github":
      advisories = createAdvisoryService(new GitHubAdvisorySource({ baseUrl: e.GITHUB_API_URL, token: process.env.GITHUB_TOKEN ?? null }), {
        cacheTtlMs: ttl,
        fresh: options.freshAdvisories,
      });
      break;
    case "offline":
      // Local data: nothing to cache.
      advisories = createAdvisoryService(new OfflineOsvSource(options.offlineRecords ?? []), { cacheTtlMs: 0 });
      break;
    default:
      advisories = NO_SOURCE;
  }
  return { advisories, registry, watchList: options.watchList };
}

/** The app's services, from its settings and its imported offline advisories. */
export function dependencyServicesFromSettings(options: { freshAdvisories?: boolean } = {}): DependencyServices {
  const settings = dependencySettings();
  const offlineRecords =
    settings.source === "offline"
      ? offlineAdvisoryRecords().flatMap((r) => (OsvRecord.safeParse(r).success ? [OsvRecord.parse(r)] : []))
      : [];
  return buildDependencyServices({ source: settings.source, watchList: settings.watchList, offlineRecords, ...options });
}
