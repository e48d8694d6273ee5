// Known-vulnerable locked dependencies and the patch status of watched packages (React, Next.js, the MCP SDK):
// every lockfile's packages asked about once, failing closed when a lockfile can't be read or the source can't answer.
import type { AuditedVulnerability } from "@/lib/engine/advisories/audit";
import { lineAt, lineStarts } from "@/lib/engine/text";
import { report, defineRule } from "./rule";
import type { Check, CheckContext } from "./types";
import semver from "semver";
import type { Finding, Severity } from "@/lib/core/types";

const ITEM = "operations.dependencies-patched";

export const rules = {
  vulnerable: defineRule({
    id: "dependencies/vulnerable",
    severity: "high",
    title: "A locked dependency has a known vulnerability",
    rationale:
      "The guidance asks that React, the SDKs and build tooling stay patched: a connector runs with its users' tokens and data, so a known hole in any package it ships (or builds with) is a way in.",
    remediation:
      "Upgrade to the fixed version shown (through the direct dependency named in the fix), regenerate the lockfile and rescan; if the vulnerable code path is unreachable, record a waiver with the reason.",
    item: ITEM,
  }),
  deprecated: defineRule({
    id: "dependencies/deprecated",
    severity: "low",
    title: "A watched package is locked at a deprecated version",
    rationale: "A deprecated release gets no fixes; the next advisory against it will have no patch in that line.",
    remediation: "Move to a supported release of the package (the Dependencies tab shows the latest and the latest in its major).",
    item: ITEM,
  }),
};


/**
 * Finds the 1-based line where a package's entry starts in one lockfile: the first mention of its name with its
 * version close after. The text is lowercased and split into lines once, however many packages are asked about.
 */
export function packageLineFinder(text: string): (name: string, version: string) => number | null {
  const haystack = text.toLowerCase();
  let starts: number[] | undefined;
  const found = new Map<string, number | null>();
  const search = (name: string, version: string): number | null => {
    const needle = name.toLowerCase();
    let at = haystack.indexOf(needle);
    for (let tries = 0; at !== -1 && tries < 10_000; tries++) {
      const before = haystack.charCodeAt(at - 1);
      // A name inside a longer one ("react" in "react-dom") doesn't count.
      const boundary = at === 0 || !/[a-z0-9_.-]/.test(String.fromCharCode(before));
      const after = haystack.slice(at + needle.length, at + needle.length + 1);
      if (boundary && !/[a-z0-9_-]/.test(after) && haystack.slice(at, at + needle.length + 400).includes(version.toLowerCase())) {
        return lineAt((starts ??= lineStarts(text)), at);
      }
      at = haystack.indexOf(needle, at + needle.length);
    }
    return null;
  };
  return (name, version) => {
    const key = `${name}\0${version}`;
    if (!found.has(key)) found.set(key, search(name, version));
    return found.get(key)!;
  };
}

const LOWER: Record<Severity, Severity> = { critical: "high", high: "moderate", moderate: "low", low: "low", info: "info" };
const RANK: Severity[] = ["info", "low", "moderate", "high", "critical"];
const PYTHON_LOCKFILE = /(?:^|\/)(?:uv\.lock|poetry\.lock|[^/]*requirements[^/]*\.txt|Pipfile\.lock|pylock\.toml)$/;

/** One vulnerable package: every advisory against it, in every lockfile that locks it. */
interface PackageGroup {
  name: string;
  hits: Array<AuditedVulnerability & { line: number | null }>;
}

function groupByPackage(vulnerabilities: ReadonlyArray<AuditedVulnerability & { line: number | null }>): PackageGroup[] {
  const groups = new Map<string, PackageGroup>();
  for (const v of vulnerabilities) {
    const key = `${PYTHON_LOCKFILE.test(v.lockfile) ? "pypi" : "npm"}:${v.package}`;
    (groups.get(key) ?? groups.set(key, { name: v.package, hits: [] }).get(key)!).hits.push(v);
  }
  return [...groups.values()];
}

/**
 * The upgrade that fixes every advisory: per direct dependency to upgrade, the highest version any advisory needs.
 * Advisories with no fixed release are said as such.
 */
function upgradeAdvice(hits: PackageGroup["hits"]): string {
  const target = new Map<string, string>();
  for (const h of hits) {
    if (!h.fix) continue;
    const had = target.get(h.fix.package);
    if (!had || (semver.valid(h.fix.version) && semver.valid(had) && semver.gt(h.fix.version, had))) target.set(h.fix.package, h.fix.version);
  }
  const upgrades = [...target].map(([pkg, version]) => `${pkg} to ${version}`);
  const unfixed = hits.filter((h) => !h.fix);
  const fixedUpstream = unfixed.filter((h) => h.fixedIn);
  const parts: string[] = [];
  if (upgrades.length > 0) parts.push(` Upgrade ${upgrades.join(" and ")}${target.size > 1 || hits.length > 1 ? " (fixes all of them)" : ""}.`);
  if (fixedUpstream.length > 0)
    parts.push(` Fixed in ${hits[0]!.package} ${[...new Set(fixedUpstream.map((h) => h.fixedIn))].join(", ")}; no release of a direct dependency pulls it in yet.`);
  else if (unfixed.length > 0 && upgrades.length === 0) parts.push(" No fixed version is published yet.");
  return parts.join("");
}

/**
 * One finding per vulnerable package: its advisories and every lockfile that locks it, with one upgrade. Dev-only
 * dependencies rank one step lower (they don't ship); so does a package only a stale lockfile locks (what would be
 * installed is what the manifest and the lockfile in use say: the stale file is a hygiene finding of its own).
 */
function packageFinding(group: PackageGroup, staleLockfiles: ReadonlySet<string>): Finding {
  const { hits } = group;
  const first = hits[0]!;
  const advisories = [...new Map(hits.map((h) => [h.advisory, h])).values()];
  const versions = [...new Set(hits.map((h) => h.version))];
  const dev = hits.every((h) => h.dev);
  const stale = hits.every((h) => staleLockfiles.has(h.lockfile));
  const top = hits.reduce<Severity>((s, h) => (RANK.indexOf(h.severity) > RANK.indexOf(s) ? h.severity : s), "info");
  const severity = stale ? "low" : dev ? LOWER[top] : top;
  const via = first.paths[0] && first.paths[0].length > 1 ? ` through ${first.paths[0].join(" › ")}` : "";
  const kind = `${first.direct ? "direct" : "transitive"}${dev ? ", dev only" : ""}${stale ? ", only in a stale lockfile" : ""}`;
  const what =
    advisories.length === 1
      ? `${first.advisory}: ${first.title} (vulnerable: ${first.vulnerableRange})`
      : `${advisories.length} advisories: ${advisories.map((a) => `${a.advisory} (${a.severity}, ${a.title})`).join("; ")}`;
  const places = [...new Map(hits.map((h) => [`${h.lockfile}:${h.line ?? ""}`, { path: h.lockfile, ...(h.line !== null ? { line: h.line } : {}) }])).values()];
  const inFiles = new Set(places.map((p) => p.path)).size;
  return report(rules.vulnerable, {
    severity,
    message: `${group.name}@${versions.join(", ")} (${kind}${via}) is affected by ${what}.${inFiles > 1 ? ` Locked in ${inFiles} lockfiles.` : ""}${upgradeAdvice(hits)}`,
    location: places[0]!,
    related: places.slice(1),
    evidence: `${group.name}@${versions.join(", ")} · ${advisories.map((a) => a.advisory).join(", ")}`,
    subject: `${group.name}:${advisories
      .map((a) => a.advisory)
      .sort()
      .join(",")}`,
  });
}

/**
 * Lockfiles side by side (npm and pnpm in one folder) where this one disagrees with package.json and another
 * doesn't: the other is the one in use, this one is stale.
 */
function staleLockfiles(audit: CheckContext["audit"]): Set<string> {
  const issues = audit.lockfiles.hygiene;
  const outOfSync = new Set(issues.flatMap((i) => (i.kind === "out-of-sync" ? [i.lockfile] : [])));
  const stale = new Set<string>();
  for (const i of issues) {
    if (i.kind !== "mixed-lockfiles") continue;
    const inSync = i.lockfiles.filter((f) => !outOfSync.has(f));
    if (inSync.length > 0) for (const f of i.lockfiles) if (outOfSync.has(f)) stale.add(f);
  }
  return stale;
}

export const dependenciesCheck: Check = {
  id: "dependencies",
  title: "Dependencies: known vulnerabilities and patch status",
  section: "operations",
  rules: Object.values(rules),
  run({ audit, snapshot }) {
    const finders = new Map<string, ReturnType<typeof packageLineFinder> | null>();
    const located = audit.dependencies.vulnerabilities.map((v) => {
      if (!finders.has(v.lockfile)) {
        const text = snapshot.text(v.lockfile);
        finders.set(v.lockfile, text === null ? null : packageLineFinder(text));
      }
      return { ...v, line: finders.get(v.lockfile)?.(v.package, v.version) ?? null };
    });
    const stale = staleLockfiles(audit);
    const findings: Finding[] = groupByPackage(located).map((g) => packageFinding(g, stale));
    for (const w of audit.dependencies.watched) {
      if (!w.deprecated) continue;
      const lockfile = audit.lockfiles.lockfiles.find((lf) => lf.packages.some((p) => p.name === w.package && p.version === w.version));
      findings.push(
        report(rules.deprecated, {
          message: `${w.package}@${w.version} is deprecated: ${w.deprecated}`.slice(0, 400),
          ...(lockfile ? { location: { path: lockfile.path } } : {}),
          evidence: `${w.package}@${w.version}`,
          subject: `${w.package}@${w.version}`,
        }),
      );
    }
    // Fail closed: the audit says when it could not decide, and the item stays unknown.
    return { status: audit.status, findings, ...(audit.gaps.length > 0 ? { error: audit.gaps.join("; ") } : {}) };
  },
};
