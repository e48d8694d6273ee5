// The fix for a vulnerable package: the first version of it the advisory no longer hits, and the smallest upgrade of
// the *direct* dependency that brings a fixed version in, resolved through packuments the way npm would (the highest
// version each declared range allows), along the shortest path to the vulnerable package.
import semver from "semver";
import type { LockedPackage } from "../parse/lockfiles/types";
import type { Packument, RegistryService } from "../registry";
import { isVulnerable } from "./match";
import type { Advisory } from "./types";

export interface DirectFix {
  /** The direct dependency to upgrade (the vulnerable package itself when it is direct). */
  package: string;
  version: string;
}

/** Upgrades worth trying per direct dependency, and packuments fetched per scan for fixes. */
export const FIX_LIMITS = { candidates: 60, packuments: 150 } as const;

function stableVersionsAbove(p: Packument, version: string): string[] {
  return Object.keys(p.versions)
    .filter((v) => semver.valid(v) && !semver.prerelease(v) && !p.versions[v]?.deprecated && semver.gt(v, version))
    .sort(semver.compare);
}

export class FixFinder {
  #fetches = 0;
  readonly #packuments = new Map<string, Promise<Packument | null>>();

  constructor(
    readonly registry: RegistryService,
    readonly signal: AbortSignal,
  ) {}

  async #packument(name: string): Promise<Packument | null> {
    let p = this.#packuments.get(name);
    if (!p) {
      if (this.#fetches >= FIX_LIMITS.packuments) return null;
      this.#fetches += 1;
      p = this.registry.packument("npm", name, this.signal).catch(() => null);
      this.#packuments.set(name, p);
    }
    return p;
  }

  /** The first version of the vulnerable package itself that the advisory doesn't hit. */
  async firstFixed(pkg: LockedPackage, advisory: Advisory): Promise<string | null> {
    if (advisory.firstPatched) return advisory.firstPatched;
    if (pkg.ecosystem !== "npm" || !semver.valid(pkg.version)) return null;
    const p = await this.#packument(pkg.name);
    return p ? (stableVersionsAbove(p, pkg.version).find((v) => !isVulnerable(advisory, v)) ?? null) : null;
  }

  /**
   * The smallest upgrade of the direct dependency through which `pkg` comes in that resolves to a version the
   * advisory doesn't hit (or drops the dependency). `directVersions` gives the locked version of each direct
   * dependency. Null when no upgrade within the limits does it.
   */
  async directFix(pkg: LockedPackage, advisory: Advisory, directVersions: ReadonlyMap<string, string>): Promise<DirectFix | null> {
    if (pkg.ecosystem !== "npm") return null;
    if (pkg.direct) {
      const fixed = await this.firstFixed(pkg, advisory);
      return fixed ? { package: pkg.name, version: fixed } : null;
    }
    const path = pkg.paths[0];
    if (!path || path.length < 2) return null;
    const direct = path[0]!;
    const locked = directVersions.get(direct);
    const top = await this.#packument(direct);
    if (!top || !locked || !semver.valid(locked)) return null;
    for (const candidate of stableVersionsAbove(top, locked).slice(0, FIX_LIMITS.candidates)) {
      const outcome = await this.#resolveAlong(path, candidate, top, advisory);
      if (outcome === "fixed") return { package: direct, version: candidate };
    }
    return null;
  }

  /** Walks the path from `direct@version`, taking the highest version each range allows. */
  async #resolveAlong(path: string[], version: string, top: Packument, advisory: Advisory): Promise<"fixed" | "vulnerable" | "unknown"> {
    let current = { packument: top, version };
    for (const next of path.slice(1)) {
      const range = current.packument.versions[current.version]?.dependencies?.[next];
      if (range === undefined) return "fixed";
      const p = await this.#packument(next);
      if (!p) return "unknown";
      const resolved = semver.maxSatisfying(Object.keys(p.versions), range);
      if (!resolved) return "unknown";
      current = { packument: p, version: resolved };
    }
    return isVulnerable(advisory, current.version) ? "vulnerable" : "fixed";
  }
}
