// The repository's own launch-review.yml: a file that can't be read is reported (and ignored whole), and an ignore
// past its expiry date stops applying and is reported, so a waiver written in code can't outlive its reason.
import type { Finding } from "@/lib/core/types";
import { defineRule, report } from "./rule";
import type { Check } from "./types";

export const rules = {
  invalid: defineRule({
    id: "config/invalid",
    item: "informational",
    severity: "moderate",
    title: "launch-review.yml could not be read",
    rationale:
      "The repository's launch-review.yml is ignored whole when it can't be read: its skips, watch list and ignores don't apply, so findings the team meant to ignore are reported.",
    remediation: "Fix the file as the message says (YAML syntax, field names, dates as YYYY-MM-DD, a reason for every skip and ignore).",
  }),
  expiredIgnore: defineRule({
    id: "config/expired-ignore",
    item: "informational",
    severity: "low",
    title: "An ignore in launch-review.yml has expired",
    rationale: "An ignore is a decision with a date on it: once the date passes, the findings it covered are reported again until someone decides anew.",
    remediation: "Fix the findings it covered, or renew the ignore with a new expiry date and a reason that still holds.",
  }),
};

export const repoConfigCheck: Check = {
  id: "repo-config",
  title: "The repository's launch-review.yml: readable, ignores in date",
  section: "operations",
  rules: Object.values(rules),
  run({ repoConfig }) {
    const findings: Finding[] = [];
    if (repoConfig.status === "invalid") {
      const path = repoConfig.path ?? "launch-review.yml";
      const error = repoConfig.error ?? "unreadable";
      findings.push(report(rules.invalid, { message: `${path}: ${error}`, location: { path }, evidence: error.slice(0, 200), subject: "config" }));
    }
    for (const i of repoConfig.ignores.filter((x) => x.state === "expired")) {
      const what = i.rule ?? i.fingerprint ?? "";
      findings.push(
        report(rules.expiredIgnore, {
          message: `The ignore of ${what}${i.path ? ` under ${i.path}` : ""} expired on ${i.expires} ("${i.reason}"); the findings it covered are reported again.`,
          location: { path: repoConfig.path ?? "launch-review.yml" },
          evidence: `${what} · expired ${i.expires}`,
          subject: `${what}:${i.path ?? ""}:${i.expires}`,
        }),
      );
    }
    return { status: "ok", findings };
  },
};
