// The GitHub Advisory Database through Octokit (GET /advisories, filtered by ecosystem and affected packages), for
// npm and pip. Uses the product's one GitHub client (lib/github/client.ts).
import { z } from "zod";
import { createGitHubClient, type GitHubClientOptions } from "../github/client";
import type { Ecosystem } from "../parse/lockfiles/types";
import { normalizeSeverity, AdvisorySourceError, type Advisory, type AdvisoryQuery, type AdvisorySource } from "./types";

const PER_REQUEST = 100;
const MAX_PAGES = 20;

const GlobalAdvisory = z.object({
  ghsa_id: z.string().max(64),
  summary: z.string().max(4000).nullish(),
  severity: z.string().max(40).nullish(),
  html_url: z.string().max(2048).nullish(),
  vulnerabilities: z
    .array(
      z.object({
        package: z.object({ ecosystem: z.string(), name: z.string().max(214) }).nullish(),
        vulnerable_version_range: z.string().max(2000).nullish(),
        first_patched_version: z.string().max(100).nullish(),
      }),
    )
    .nullish(),
});

/** GitHub writes ">= 1.0.0, < 1.2.3"; semver wants ">=1.0.0 <1.2.3". */
export function githubRangeToSemver(range: string): string {
  return range
    .split(",")
    .map((part) =>
      part
        .trim()
        .replace(/^(>=|<=|>|<|=)\s+/, "$1")
        .replace(/^=(?=\d)/, ""),
    )
    .filter(Boolean)
    .join(" ");
}

const GITHUB_ECOSYSTEM: Record<Ecosystem, "npm" | "pip"> = { npm: "npm", pypi: "pip" };

export class GitHubAdvisorySource implements AdvisorySource {
  readonly name = "github";
  readonly ecosystems = new Set<Ecosystem>(["npm", "pypi"]);

  constructor(readonly client: GitHubClientOptions = {}) {}

  async fetch(queries: AdvisoryQuery[], signal: AbortSignal): Promise<{ advisories: Advisory[]; requests: number }> {
    let requests = 0;
    const octokit = createGitHubClient({ ...this.client, onRequest: () => (requests += 1) });
    const advisories: Advisory[] = [];
    for (const ecosystem of this.ecosystems) {
      const wanted = queries.filter((q) => q.ecosystem === ecosystem);
      const names = new Set(wanted.map((q) => q.name));
      for (let i = 0; i < wanted.length; i += PER_REQUEST) {
        const affects = wanted.slice(i, i + PER_REQUEST).flatMap((q) => q.versions.map((v) => `${q.name}@${v}`));
        for (let page = 1; page <= MAX_PAGES; page++) {
          signal.throwIfAborted();
          let data: unknown;
          try {
            ({ data } = await octokit.request("GET /advisories", {
              ecosystem: GITHUB_ECOSYSTEM[ecosystem],
              affects: affects.join(","),
              per_page: 100,
              page,
              request: { signal },
            }));
          } catch (error) {
            const status = (error as { status?: number }).status;
            throw new AdvisorySourceError(
              this.name,
              status ? `GitHub answered ${status}` : `GitHub could not be reached (${(error as Error).message.slice(0, 160)})`,
            );
          }
          const parsed = z.array(GlobalAdvisory).max(1000).safeParse(data);
          if (!parsed.success) throw new AdvisorySourceError(this.name, "GitHub's answer was not a valid advisory list");
          for (const a of parsed.data) {
            for (const v of a.vulnerabilities ?? []) {
              if (!v.package || !names.has(v.package.name) || !v.vulnerable_version_range) continue;
              advisories.push({
                id: a.ghsa_id,
                source: this.name,
                ecosystem,
                package: v.package.name,
                severity: normalizeSeverity(a.severity),
                title: a.summary ?? "Untitled advisory",
                url: a.html_url ?? null,
                vulnerableRange: ecosystem === "npm" ? githubRangeToSemver(v.vulnerable_version_range) : v.vulnerable_version_range,
                firstPatched: v.first_patched_version ?? null,
              });
            }
          }
          if (parsed.data.length < 100) break;
        }
      }
    }
    return { advisories, requests };
  }
}
