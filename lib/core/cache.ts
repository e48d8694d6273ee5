// The dependency audit's cache, as the engine sees it: the engine asks and stores, and whoever runs the scan decides
// where answers live (the app in its database, the CLI in the user's cache folder, tests and --no-cache in memory).

export interface AdvisoryCacheKey {
  source: string;
  ecosystem: string;
  package: string;
  /** The locked versions asked about, sorted and joined. */
  versionsKey: string;
}

export interface CachedAdvisories {
  fetchedAt: Date;
  advisories: unknown;
}

export interface CachedPackument {
  etag: string | null;
  fetchedAt: Date;
  body: unknown;
}

export interface DependencyCache {
  /** The stored answer when it was fetched after `freshSince`. */
  advisories(key: AdvisoryCacheKey, freshSince: Date): Promise<CachedAdvisories | undefined>;
  storeAdvisories(rows: ReadonlyArray<AdvisoryCacheKey & CachedAdvisories>): Promise<void>;
  /** The stored packument, however old: the registry revalidates it with its ETag. */
  packument(registry: string, name: string): Promise<CachedPackument | undefined>;
  storePackument(row: { registry: string; name: string } & CachedPackument): Promise<void>;
}
