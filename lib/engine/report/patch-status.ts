// Patch status of watched packages: how far each locked version lags (the colour of a patch-matrix cell; a known
// advisory outranks any lag), and the advisories hitting it.
import semver from "semver";
import type { ScanReport, WatchedPackage } from "@/lib/core/report";
import type { LagLevel } from "@/lib/core/types";

export function classifyLag(version: string, latest: string | null, advisories: readonly string[]): LagLevel {
  if (advisories.length > 0) return "vulnerable";
  const v = semver.valid(semver.coerce(version));
  const l = latest ? semver.valid(semver.coerce(latest)) : null;
  if (!v || !l) return "unknown";
  if (!semver.lt(v, l)) return "current";
  return semver.major(v) < semver.major(l) ? "major" : semver.minor(v) < semver.minor(l) ? "minor" : "patch";
}

/** The checklist item that says whether dependencies have known vulnerabilities. */
export const DEPENDENCY_ITEM = "operations.dependencies-patched";

/**
 * Whether a scan's advisory answer is the whole answer. It is not when the dependency audit could not decide for every
 * locked package (the advisory source was unavailable, a lockfile unreadable, dependencies unpinned, Python packages
 * and no Python advisories): then every view says "unknown", never 0, even if it found some.
 */
export function advisoriesKnown(report: Pick<ScanReport, "checklist" | "dependencies"> & { checks?: ScanReport["checks"] }): boolean {
  const run = report.checks?.find((c) => c.id === "dependencies");
  if (run) return run.status === "ok";
  const item = report.checklist.find((c) => c.id === DEPENDENCY_ITEM);
  if (item) return item.status !== "unknown";
  return report.dependencies.advisorySource.status === "ok";
}


/** The report's watched packages with their lag and the advisories hitting each locked version. */
export function watchedPackages(report: ScanReport): WatchedPackage[] {
  const seen = new Map<string, WatchedPackage>();
  for (const w of report.dependencies.watched) {
    const key = `${w.package}@${w.version}`;
    if (seen.has(key)) continue;
    const hits = report.dependencies.vulnerabilities.filter((v) => v.package === w.package && v.version === w.version);
    const advisories = [...new Set(hits.map((v) => v.advisory))].sort();
    const fixes = hits.map((v) => v.fixedIn).filter((f): f is string => Boolean(f && semver.valid(f)));
    const fixedIn = fixes.length > 0 ? fixes.sort(semver.compare).at(-1)! : null;
    seen.set(key, {
      package: w.package,
      version: w.version,
      latest: w.latest,
      lag: classifyLag(w.version, w.latest, advisories),
      advisories,
      fixedIn,
    });
  }
  return [...seen.values()];
}
