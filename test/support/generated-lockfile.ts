// Synthetic npm lockfiles (lockfile version 3) of any size for benchmarks and limits tests: realistic names and
// versions, a dependency graph with nested duplicates, dev and optional subtrees, a few cycles and install scripts,
// and the dev/optional/devOptional flags npm itself would write. `npm ls --package-lock-only` accepts the output.
import { createHash } from "node:crypto";

export interface GeneratedLockfile {
  /** package.json text. */
  packageJson: string;
  /** package-lock.json text. */
  lockfile: string;
  /** Every locked (name, version), for picking packages to attach advisories to. */
  packages: Array<{ name: string; version: string }>;
}

/** Small seeded PRNG (mulberry32): the same seed gives the same lockfile on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ["ac", "bel", "cor", "dex", "ent", "fyr", "gal", "hex", "ion", "jax", "kin", "lum", "mor", "nex", "orb", "pix"];
const MORE = ["quo", "ryn", "syl", "tor", "umb", "vex", "wyn", "xen", "yul", "zed", "ar", "eo", "ul", "ix", "on", "ra"];
const SUFFIXES = ["", "", "", "-js", "-utils", "-core", "-parser", "-client", "-types", "-stream", "-plugin"];
const SCOPES = ["@acme", "@fluxlib", "@hyper", "@nodekit", "@webtools"];

interface Pkg {
  name: string;
  version: string;
  /** Index of the package a nested duplicate lives under; null when hoisted to the top node_modules. */
  nestedUnder: number | null;
  deps: number[];
  optionalDeps: number[];
  installScript: boolean;
}

function reach(pkgs: Pkg[], starts: number[], optionalEdges: boolean): Set<number> {
  const seen = new Set<number>();
  const stack = [...starts];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    for (const d of pkgs[i]!.deps) stack.push(d);
    if (optionalEdges) for (const d of pkgs[i]!.optionalDeps) stack.push(d);
  }
  return seen;
}

/**
 * A lockfile of `n` packages (n >= 40). About 5% are second copies of a name at another major version, nested
 * under the one package that needs them; 20 direct dependencies, 10 dev dependencies.
 */
export function generateNpmLockfile(n: number, seed = 1): GeneratedLockfile {
  if (n < 40) throw new Error("generateNpmLockfile needs at least 40 packages");
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (max: number) => Math.floor(rand() * max);

  const names = new Set<string>();
  const pkgs: Pkg[] = [];
  for (let i = 0; i < n; i++) {
    const duplicateOf = i > 60 && rand() < 0.05 ? pkgs[int(i)] : undefined;
    if (duplicateOf && duplicateOf.nestedUnder === null) {
      const major = Number(duplicateOf.version.split(".")[0]) + 1 + int(3);
      pkgs.push({
        name: duplicateOf.name,
        version: `${major}.${int(20)}.${int(30)}`,
        nestedUnder: -1,
        deps: [],
        optionalDeps: [],
        installScript: false,
      });
      continue;
    }
    let name = "";
    do {
      const base = pick(SYLLABLES) + pick(MORE) + (rand() < 0.4 ? pick(SYLLABLES) : "") + pick(SUFFIXES);
      name = rand() < 0.12 ? `${pick(SCOPES)}/${base}` : base;
      if (names.has(name)) name = `${name}-${i}`;
    } while (names.has(name));
    names.add(name);
    pkgs.push({
      name,
      version: `${int(6)}.${int(20)}.${int(30)}`,
      nestedUnder: null,
      deps: [],
      optionalDeps: [],
      installScript: rand() < 0.01,
    });
  }
  const hoisted = pkgs.map((p, i) => (p.nestedUnder === null ? i : -1)).filter((i) => i >= 0);
  /** Position in `hoisted` of the first hoisted package after index i (hoisted is sorted): walk back, count down. */
  const firstAfter = new Int32Array(n);
  for (let i = n - 1, k = hoisted.length; i >= 0; i--) {
    firstAfter[i] = k;
    if (pkgs[i]!.nestedUnder === null) k--;
  }
  const laterHoisted = (i: number, window: number): number | undefined => {
    const from = firstAfter[i]!;
    const size = Math.min(hoisted.length - from, window);
    return size > 0 ? hoisted[from + int(size)] : undefined;
  };
  const hasName = (i: number, name: string) =>
    pkgs[i]!.name === name || [...pkgs[i]!.deps, ...pkgs[i]!.optionalDeps].some((d) => pkgs[d]!.name === name);

  // Dependencies point "down" the list (a DAG), plus a few back-edges for cycles as real trees have.
  const dependsOn = (from: number, to: number, optional = false) => {
    const p = pkgs[from]!;
    // One version per name in a package's dependencies, and never itself.
    if (from === to || hasName(from, pkgs[to]!.name)) return;
    (optional ? p.optionalDeps : p.deps).push(to);
  };
  for (let i = 0; i < n; i++) {
    if (pkgs[i]!.nestedUnder !== null) continue;
    const count = int(6);
    for (let k = 0; k < count; k++) {
      const to = laterHoisted(i, 400);
      if (to === undefined) break;
      dependsOn(i, to, rand() < 0.03);
    }
    if (i > 50 && rand() < 0.01) dependsOn(i, hoisted[int(50)]!);
  }
  // Each nested duplicate is needed by one hoisted package, under which it is installed.
  for (let i = 0; i < n; i++) {
    const p = pkgs[i]!;
    if (p.nestedUnder === null) continue;
    let parent = -1;
    for (let attempt = 0; attempt < 50 && parent === -1; attempt++) {
      const h = hoisted[int(firstAfter[i]!)]!;
      if (!hasName(h, p.name)) parent = h;
    }
    if (parent === -1) parent = hoisted.find((h) => !hasName(h, p.name))!;
    p.nestedUnder = parent;
    pkgs[parent]!.deps.push(i);
    for (let k = int(3); k > 0; k--) {
      const to = laterHoisted(i, 400);
      if (to !== undefined && pkgs[to]!.name !== p.name) dependsOn(i, to);
    }
  }

  const prodRoots = hoisted.slice(0, 20);
  const devRoots = hoisted.slice(20, 30);
  // Everything else must be reachable: an unreferenced package joins a random earlier package's dependencies.
  const referenced = new Set([...prodRoots, ...devRoots, ...pkgs.flatMap((p) => [...p.deps, ...p.optionalDeps])]);
  hoisted.forEach((i, position) => {
    for (let attempt = 0; attempt < 50 && !referenced.has(i) && position > 0; attempt++) {
      const from = hoisted[int(position)]!;
      if (hasName(from, pkgs[i]!.name)) continue;
      dependsOn(from, i);
      referenced.add(i);
    }
  });

  const prodAll = reach(pkgs, prodRoots, true);
  const anyRequired = reach(pkgs, [...prodRoots, ...devRoots], false);
  const prodRequired = reach(pkgs, prodRoots, false);

  const locationOf = (i: number): string => {
    const p = pkgs[i]!;
    return p.nestedUnder === null ? `node_modules/${p.name}` : `${locationOf(p.nestedUnder)}/node_modules/${p.name}`;
  };
  const range = (i: number) => `^${pkgs[i]!.version}`;
  const depMap = (list: number[]) =>
    Object.fromEntries(list.map((d) => [pkgs[d]!.name, range(d)]).sort((a, b) => a[0]!.localeCompare(b[0]!)));

  const rootDeps = depMap(prodRoots);
  const rootDevDeps = depMap(devRoots);
  const entries: Array<[string, Record<string, unknown>]> = pkgs.map((p, i) => {
    const base = p.name.includes("/") ? p.name.split("/")[1]! : p.name;
    const entry: Record<string, unknown> = {
      version: p.version,
      resolved: `https://registry.npmjs.org/${p.name}/-/${base}-${p.version}.tgz`,
      integrity: `sha512-${createHash("sha512").update(`${seed}:${p.name}@${p.version}`).digest("base64")}`,
    };
    const dev = !prodAll.has(i);
    const optional = !anyRequired.has(i);
    if (dev) entry.dev = true;
    if (optional) entry.optional = true;
    if (!dev && !optional && !prodRequired.has(i)) entry.devOptional = true;
    if (p.installScript) entry.hasInstallScript = true;
    entry.license = "MIT";
    if (p.deps.length > 0) entry.dependencies = depMap(p.deps);
    if (p.optionalDeps.length > 0) entry.optionalDependencies = depMap(p.optionalDeps);
    return [locationOf(i), entry];
  });
  entries.sort((a, b) => a[0].localeCompare(b[0]));

  const manifest = { name: "generated-connector", version: "1.0.0", private: true, dependencies: rootDeps, devDependencies: rootDevDeps };
  const lockfile = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: manifest.name, version: manifest.version, dependencies: rootDeps, devDependencies: rootDevDeps },
      ...Object.fromEntries(entries),
    },
  };
  return {
    packageJson: `${JSON.stringify(manifest, null, 2)}\n`,
    lockfile: `${JSON.stringify(lockfile, null, 2)}\n`,
    packages: pkgs.map((p) => ({ name: p.name, version: p.version })),
  };
}
