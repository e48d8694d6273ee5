// The npm registry's bulk advisory endpoint, asked the way npm audit asks it: one gzipped POST of
// { name: [versions] } per scan (batched only when huge), through npm-registry-fetch.
import { npmFetch, type NpmFetchOptions } from "../net/npm-fetch";
import { z } from "zod";
import { ghsaOf, normalizeSeverity, AdvisorySourceError, type Advisory, type AdvisoryQuery, type AdvisorySource } from "./types";

const BATCH = 5000;

const BulkAdvisory = z.object({
  id: z.union([z.number(), z.string()]),
  url: z.string().max(2048).nullish(),
  title: z.string().max(2000).nullish(),
  severity: z.string().max(40).nullish(),
  vulnerable_versions: z.string().max(2000),
});
const BulkResponse = z.record(z.string().max(214), z.array(BulkAdvisory).max(10_000));

export class NpmBulkSource implements AdvisorySource {
  readonly name = "npm";
  readonly ecosystems = new Set(["npm" as const]);

  constructor(
    readonly registry: string,
    readonly timeoutMs = 30_000,
  ) {}

  async fetch(queries: AdvisoryQuery[], signal: AbortSignal): Promise<{ advisories: Advisory[]; requests: number }> {
    const npmQueries = queries.filter((q) => q.ecosystem === "npm");
    const advisories: Advisory[] = [];
    let requests = 0;
    for (let i = 0; i < npmQueries.length; i += BATCH) {
      const body = Object.fromEntries(npmQueries.slice(i, i + BATCH).map((q) => [q.name, q.versions]));
      requests += 1;
      const fetch = await npmFetch();
      let raw: unknown;
      try {
        raw = await fetch.json("/-/npm/v1/security/advisories/bulk", {
          method: "POST",
          body,
          gzip: true,
          registry: this.registry,
          timeout: this.timeoutMs,
          retry: { retries: 1, minTimeout: 500 },
          signal,
        } as NpmFetchOptions);
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        throw new AdvisorySourceError(
          this.name,
          status ? `the registry answered ${status}` : `the registry could not be reached (${(error as Error).message.slice(0, 160)})`,
        );
      }
      const parsed = BulkResponse.safeParse(raw);
      if (!parsed.success) throw new AdvisorySourceError(this.name, "the registry's answer was not a valid advisory list");
      for (const [name, list] of Object.entries(parsed.data)) {
        for (const a of list) {
          advisories.push({
            id: ghsaOf(a.url) ?? `npm-${a.id}`,
            source: this.name,
            ecosystem: "npm",
            package: name,
            severity: normalizeSeverity(a.severity),
            title: a.title ?? "Untitled advisory",
            url: a.url ?? null,
            vulnerableRange: a.vulnerable_versions,
            firstPatched: null,
          });
        }
      }
    }
    return { advisories, requests };
  }
}
