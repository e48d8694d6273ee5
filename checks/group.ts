// One finding per problem: findings that share a root cause become one finding, located at the first place, with
// the other places as `related`. Checks decide what a root cause is (the same rule in one file, one function, one
// repository); this only merges.
import type { Finding, Location, Severity } from "@/lib/core/types";
import { fingerprintOf } from "./rule";
import { compareText } from "@/lib/core/compare";

const ORDER: Severity[] = ["info", "low", "moderate", "high", "critical"];

function locationKey(l: Location): string {
  return `${l.path}:${l.line ?? ""}`;
}

/** Merges findings of one rule into one: the highest severity, every place once, the message the caller writes. */
export function mergeFindings(group: readonly Finding[], o: { message: string; subject: string }): Finding {
  const [first, ...rest] = [...group].sort(
    (a, b) => compareText(a.location?.path ?? "", b.location?.path ?? "") || (a.location?.line ?? 0) - (b.location?.line ?? 0),
  );
  if (!first) throw new Error("mergeFindings needs at least one finding");
  if (rest.length === 0 && !first.related) return { ...first, message: o.message };
  const seen = new Set(first.location ? [locationKey(first.location)] : []);
  const related: Location[] = [];
  for (const l of [...(first.related ?? []), ...rest.flatMap((f) => [f.location, ...(f.related ?? [])])]) {
    if (!l || seen.has(locationKey(l))) continue;
    seen.add(locationKey(l));
    related.push(l);
  }
  const severity = group.reduce<Severity>((s, f) => (ORDER.indexOf(f.severity) > ORDER.indexOf(s) ? f.severity : s), first.severity);
  return {
    ...first,
    severity,
    message: o.message,
    ...(related.length > 0 ? { related } : {}),
    fingerprint: fingerprintOf(first.ruleId, first.location?.path, o.subject),
  };
}

/** Groups findings by a key (findings without one stay as they are) and merges each group of two or more. */
export function groupFindings(
  findings: readonly Finding[],
  keyOf: (f: Finding) => string | null,
  describe: (group: readonly Finding[], key: string) => { message: string; subject: string },
): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = keyOf(f);
    if (key === null) out.push(f);
    else (groups.get(key) ?? groups.set(key, []).get(key)!).push(f);
  }
  for (const [key, group] of groups) out.push(group.length === 1 ? group[0]! : mergeFindings(group, describe(group, key)));
  return out;
}

/** "a, b and c", at most `max` names and "and N more". */
export function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(", ")} and ${more} more`;
  return shown.length <= 1 ? (shown[0] ?? "") : `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}
