// The dependency audit of one scan: every locked package asked about once, matched against the advisories, each
// vulnerability with its paths and fix, and the patch status of the watched packages. Produces the report's
// `dependencies` block; checks/dependencies.ts turns it into findings.
import semver from "semver";
import type { ReportDependencies, ReportVulnerability } from "../../core/report";
import type { ParsedLockfile } from "../parse/lockfiles/types";
import { patchStatus, type RegistryService } from "../registry";
import { FixFinder, type DirectFix } from "./fix";
import { matchAdvisories } from "./match";
import type { AdvisoryQuery, AdvisoryService } from "./types";
import { compareText } from "@/lib/core/compare";

export const DEFAULT_WATCH_LIST: readonly string[] = [
  "react",
  "react-dom",
  "next",
  "react-server-dom-webpack",
  "react-server-dom-turbopack",
  "@modelcontextprotocol/sdk",
  "@modelcontextprotocol/ext-apps",
  "mcp-handler",
  "openai",
  "@openai/agents",
  "zod",
  "express",
  "pypi:mcp",
  "pypi:fastmcp",
];

/** A watch-list entry names an npm package, or a Python one with the "pypi:" prefix. */
export function parseWatchEntry(entry: string): { ecosystem: "npm" | "pypi"; name: string } {
  return entry.startsWith("pypi:") ? { ecosystem: "pypi", name: entry.slice(5) } : { ecosystem: "npm", name: entry };
}

export type AuditedVulnerability = ReportVulnerability & { fix: DirectFix | null; url: string | null };

export interface AuditResult {
  dependencies: ReportDependencies & { vulnerabilities: AuditedVulnerability[] };
  /** Packument requests (patch status, fixes). */
  registryRequests: number;
  /** Requests to the advisory source (cache hits send none). */
  advisoryRequests: number;
}

export async function auditLockfiles(
  lockfiles: readonly ParsedLockfile[],
  services: { advisories: AdvisoryService; registry: RegistryService | null; watchList: readonly string[] },
  signal: AbortSignal,
  now = new Date(),
): Promise<AuditResult> {
  // One question per package, with every version any lockfile locks.
  const queries = new Map<string, AdvisoryQuery>();
  for (const lf of lockfiles) {
    for (const p of lf.packages) {
      const key = `${p.ecosystem}:${p.name}`;
      const q = queries.get(key) ?? { ecosystem: p.ecosystem, name: p.name, versions: [] };
      if (!q.versions.includes(p.version)) q.versions.push(p.version);
      queries.set(key, q);
    }
  }
  const lookup = await services.advisories.lookup([...queries.values()], signal);
  const registryBefore = services.registry?.requests ?? 0;
  const finder = services.registry ? new FixFinder(services.registry, signal) : null;

  const vulnerabilities: AuditedVulnerability[] = [];
  for (const lf of lockfiles) {
    const directVersions = new Map(lf.packages.filter((p) => p.direct).map((p) => [p.name, p.version]));
    for (const { pkg, advisory } of matchAdvisories(lf.packages, lookup.advisories)) {
      const fixedIn = finder ? await finder.firstFixed(pkg, advisory) : advisory.firstPatched;
      const fix = finder ? await finder.directFix(pkg, advisory, directVersions) : null;
      vulnerabilities.push({
        package: pkg.name,
        version: pkg.version,
        advisory: advisory.id,
        severity: advisory.severity,
        title: advisory.title,
        vulnerableRange: advisory.vulnerableRange,
        fixedIn,
        direct: pkg.direct,
        dev: pkg.dev,
        paths: pkg.paths,
        lockfile: lf.path,
        fix,
        url: advisory.url,
      });
    }
  }

  const watched: ReportDependencies["watched"] = [];
  const wanted = services.watchList.map(parseWatchEntry);
  for (const w of wanted) {
    const versions = [
      ...new Set(
        lockfiles.flatMap((lf) => lf.packages.filter((p) => p.ecosystem === w.ecosystem && p.name === w.name).map((p) => p.version)),
      ),
    ];
    versions.sort((a, b) => (semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : compareText(a, b)));
    for (const version of versions) {
      let status: ReturnType<typeof patchStatus> | null = null;
      let note: string | null = null;
      try {
        const packument = services.registry ? await services.registry.packument(w.ecosystem, w.name, signal) : null;
        status = packument ? patchStatus(packument, version, now) : null;
        if (!packument) note = services.registry ? "not found in the registry" : "no registry configured";
      } catch (error) {
        note = (error as Error).message;
      }
      watched.push({
        package: w.name,
        version,
        latest: status?.latest ?? null,
        behind: status?.behind ?? null,
        deprecated: status?.deprecated ?? false,
        ...(status ? { latestInMajor: status.latestInMajor, daysSinceSuperseded: status.daysSinceSuperseded } : {}),
        ...(note ? { note } : {}),
        ecosystem: w.ecosystem,
      });
    }
  }

  return {
    dependencies: {
      lockfiles: lockfiles.map((lf) => ({ path: lf.path, format: lf.format, packages: lf.packages.length })),
      vulnerabilities,
      watched,
      advisorySource: lookup.source,
    },
    registryRequests: (services.registry?.requests ?? 0) - registryBefore,
    advisoryRequests: lookup.requests,
  };
}
