// Which locked versions an advisory hits. npm ranges are tested the way npm audit tests them (semver, loose, with
// prereleases); Python ranges with PEP 440.
import pep440 from "@renovatebot/pep440";
import semver from "semver";
import type { LockedPackage } from "../parse/lockfiles/types";
import type { Advisory } from "./types";

/** npm audit's own options (@npmcli/metavuln-calculator). */
const SEMVER_OPTIONS = { loose: true, includePrerelease: true } as const;

export function isVulnerable(advisory: Pick<Advisory, "ecosystem" | "vulnerableRange">, version: string): boolean {
  if (advisory.ecosystem === "npm") {
    try {
      return semver.satisfies(version, advisory.vulnerableRange, SEMVER_OPTIONS);
    } catch {
      return false;
    }
  }
  return advisory.vulnerableRange
    .split("||")
    .map((r) => r.trim())
    .filter(Boolean)
    .some((specifier) => {
      try {
        return pep440.satisfies(version, specifier);
      } catch {
        return false;
      }
    });
}

export interface Match {
  pkg: LockedPackage;
  advisory: Advisory;
}

/** Every (locked package, advisory) pair where the advisory's range includes the locked version. */
export function matchAdvisories(packages: readonly LockedPackage[], advisories: readonly Advisory[]): Match[] {
  const byPackage = new Map<string, Advisory[]>();
  for (const a of advisories) {
    const key = `${a.ecosystem}:${a.package}`;
    const list = byPackage.get(key);
    if (list) list.push(a);
    else byPackage.set(key, [a]);
  }
  const out: Match[] = [];
  for (const pkg of packages) {
    for (const advisory of byPackage.get(`${pkg.ecosystem}:${pkg.name}`) ?? []) {
      if (isVulnerable(advisory, pkg.version)) out.push({ pkg, advisory });
    }
  }
  return out;
}
