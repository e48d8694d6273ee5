// Known-vulnerable locked dependencies and the patch status of watched packages (React, Next.js, the MCP SDK):
// every lockfile's packages asked about once, failing closed when a lockfile can't be read or the source can't answer.
import type { AuditedVulnerability } from "@/lib/engine/advisories/audit";
import { lineAt, lineStarts } from "@/lib/engine/text";
import { report, defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

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

function vulnerabilityFinding(v: AuditedVulnerability, line: number | null): Finding {
  const via = v.paths[0] && v.paths[0].length > 1 ? ` through ${v.paths[0].join(" › ")}` : "";
  const kind = `${v.direct ? "direct" : "transitive"}${v.dev ? ", dev only" : ""}`;
  const fix = v.fix
    ? ` Upgrade ${v.fix.package} to ${v.fix.version}.`
    : v.fixedIn
      ? ` Fixed in ${v.package} ${v.fixedIn}; no release of a direct dependency pulls it in yet.`
      : " No fixed version is published yet.";
  return report(rules.vulnerable, {
    severity: v.severity,
    message: `${v.package}@${v.version} (${kind}${via}) is affected by ${v.advisory}: ${v.title} (vulnerable: ${v.vulnerableRange}).${fix}`,
    location: { path: v.lockfile, ...(line !== null ? { line } : {}) },
    evidence: `${v.package}@${v.version} · ${v.advisory}`,
    subject: `${v.package}@${v.version}:${v.advisory}`,
  });
}

export const dependenciesCheck: Check = {
  id: "dependencies",
  title: "Dependencies: known vulnerabilities and patch status",
  section: "operations",
  rules: Object.values(rules),
  run({ audit, snapshot }) {
    const finders = new Map<string, ReturnType<typeof packageLineFinder> | null>();
    const findings: Finding[] = audit.dependencies.vulnerabilities.map((v) => {
      if (!finders.has(v.lockfile)) {
        const text = snapshot.text(v.lockfile);
        finders.set(v.lockfile, text === null ? null : packageLineFinder(text));
      }
      return vulnerabilityFinding(v, finders.get(v.lockfile)?.(v.package, v.version) ?? null);
    });
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
