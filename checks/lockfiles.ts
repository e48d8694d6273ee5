// Lockfile hygiene: every manifest pinned by a lockfile in sync with it, one package manager per folder, lockfiles
// that can be read, and the packages that run install scripts named for the reviewer.
import type { HygieneIssue } from "@/lib/engine/parse/lockfiles";
import { groupFindings } from "./group";
import { report, defineRule } from "./rule";
import type { Check, Rule } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "operations.dependency-hygiene";

export const rules = {
  noLockfile: defineRule({
    id: "lockfiles/missing",
    severity: "moderate",
    title: "Dependencies declared without a lockfile",
    rationale:
      "Without a lockfile every install resolves versions afresh: what was reviewed is not what ships, and a compromised new release of any dependency goes straight to production.",
    remediation:
      "Commit the lockfile your package manager writes (package-lock.json, pnpm-lock.yaml, yarn.lock, bun.lock, uv.lock, poetry.lock).",
    item: ITEM,
  }),
  mixed: defineRule({
    id: "lockfiles/mixed-managers",
    severity: "low",
    title: "Lockfiles of two package managers side by side",
    rationale: "Which versions get installed depends on which tool a developer or CI happens to run, and one of the lockfiles is stale.",
    remediation: "Pick one package manager, delete the other lockfile, and set `packageManager` in package.json.",
    item: ITEM,
  }),
  outOfSync: defineRule({
    id: "lockfiles/out-of-sync",
    severity: "moderate",
    title: "Lockfile out of sync with its manifest",
    rationale:
      "A dependency the manifest declares is missing from the lockfile or locked outside the declared range, so `npm ci` fails or installs something nobody reviewed.",
    remediation: "Run the package manager's install to update the lockfile, review the diff, and commit both files together.",
    item: ITEM,
  }),
  installScript: defineRule({
    id: "lockfiles/install-script",
    severity: "info",
    title: "A dependency runs an install script",
    rationale: "Install scripts run arbitrary code on every developer machine and CI runner that installs the package.",
    remediation:
      "Confirm each package needs its script; install with scripts disabled (`npm ci --ignore-scripts`, an allow list) where you can.",
    item: "informational",
    hint: ITEM,
  }),
  unparseable: defineRule({
    id: "lockfiles/unparseable",
    severity: "moderate",
    title: "Unparseable lockfile",
    rationale: "Packages in a lockfile that can't be read are not audited for advisories, so the dependency items can't pass.",
    remediation: "Regenerate the lockfile with its package manager, or commit a text lockfile the audit can read.",
    item: ITEM,
  }),
  unpinned: defineRule({
    id: "lockfiles/unpinned-requirement",
    severity: "low",
    title: "A requirements entry is not pinned to one version",
    rationale: "An unpinned requirement installs whatever is newest, so the audited version is not the deployed one.",
    remediation: "Pin with `==` (for example with `pip-compile` or `uv pip compile`), or lock with uv or Poetry.",
    item: ITEM,
  }),
};

const RULE_OF: Record<HygieneIssue["kind"], Rule> = {
  "no-lockfile": rules.noLockfile,
  "mixed-lockfiles": rules.mixed,
  "out-of-sync": rules.outOfSync,
  "install-script": rules.installScript,
};

export const lockfilesCheck: Check = {
  id: "lockfiles",
  title: "Lockfiles: present, readable, in sync, one manager",
  section: "operations",
  rules: Object.values(rules),
  run({ audit }) {
    const found = audit.lockfiles;
    const findings: Finding[] = found.hygiene.map((h) =>
      report(RULE_OF[h.kind], {
        message: h.message,
        location: { path: h.path, ...(h.line !== null ? { line: h.line } : {}) },
        ...(h.related ? { related: [{ path: h.related.path, ...(h.related.line !== null ? { line: h.related.line } : {}) }] } : {}),
        subject: h.subject,
      }),
    );
    for (const u of found.unparseable) {
      findings.push(
        report(rules.unparseable, {
          message: `Unparseable lockfile ${u.path} (${u.format}): ${u.reason}. Its packages were not audited.`,
          location: { path: u.path },
          subject: u.path,
        }),
      );
    }
    for (const lf of found.lockfiles) {
      for (const s of lf.skipped ?? []) {
        findings.push(
          report(rules.unpinned, {
            message: `${s.entry}: ${s.reason}.`,
            location: { path: lf.path, ...(s.line !== null ? { line: s.line } : {}) },
            evidence: s.entry,
            subject: s.entry,
          }),
        );
      }
    }
    return { status: "ok", findings: onePerLockfile(findings) };
  },
};

/** One out-of-sync finding and one unpinned-requirements finding per lockfile, listing what each covers. */
function onePerLockfile(findings: Finding[]): Finding[] {
  const grouped = new Set<string>([rules.outOfSync.id, rules.unpinned.id]);
  return groupFindings(
    findings,
    (f) => (grouped.has(f.ruleId) ? `${f.ruleId}\0${f.location?.path ?? ""}` : null),
    (group) => {
      const path = group[0]!.location?.path ?? "";
      const what = group.map((f) => f.message.replace(/\.$/, ""));
      const shown = what.slice(0, 6).join("; ") + (what.length > 6 ? `; and ${what.length - 6} more` : "");
      return {
        message:
          group[0]!.ruleId === rules.unpinned.id
            ? `${group.length} entries of ${path} don't pin one version: ${shown}.`
            : `The lockfile disagrees with ${path} on ${group.length} dependencies: ${shown}.`,
        subject: path,
      };
    },
  );
}
