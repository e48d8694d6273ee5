// Turns one scan's check outcomes and findings into a state for every checklist item. Fails closed: a check
// that did not run or could not decide makes its items "unknown", never "pass".
import type { ChecklistItemResult, Finding, ItemId, ItemStatus, Severity } from "@/lib/core/types";
import type { Check } from "@/checks/types";
import type { ChecklistItem, ChecklistTemplate } from "./template";


export interface CheckRunSummary {
  status: "ok" | "unavailable";
  error?: string;
}

const FAILING: ReadonlySet<Severity> = new Set(["critical", "high", "moderate"]);

/** The checks that decide each item: those with a rule that names it. The one direction of the link. */
export function checksByItem(checks: readonly Check[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const check of checks) {
    for (const rule of check.rules) {
      // Informational rules (and their hints) decide nothing.
      if (rule.item === "informational") continue;
      const list = out.get(rule.item) ?? [];
      if (!list.includes(check.id)) list.push(check.id);
      out.set(rule.item, list);
    }
  }
  return out;
}

export function deriveChecklist(
  template: ChecklistTemplate,
  checks: readonly Check[],
  checkRuns: ReadonlyMap<string, CheckRunSummary>,
  findings: readonly Finding[],
  notApplicable: ReadonlyMap<ItemId, string> = new Map(),
): ChecklistItemResult[] {
  const deciding = checksByItem(checks);
  const byItem = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byItem.get(f.checklistItem) ?? [];
    list.push(f);
    byItem.set(f.checklistItem, list);
  }
  return template.items.map((item) => {
    const itemFindings = byItem.get(item.id) ?? [];
    const { status, reason } = itemStatus(item, deciding.get(item.id) ?? [], checkRuns, itemFindings, notApplicable.get(item.id));
    return {
      id: item.id,
      section: item.section,
      title: item.title,
      status,
      blocking: item.blocking,
      verification: item.verification,
      findings: itemFindings.map((f) => f.fingerprint),
      reason,
    };
  });
}

function itemStatus(
  item: ChecklistItem,
  checks: readonly string[],
  checkRuns: ReadonlyMap<string, CheckRunSummary>,
  itemFindings: readonly Finding[],
  notApplicable: string | undefined,
): { status: ItemStatus; reason: string } {
  if (item.verification === "manual") {
    return { status: "needs-attestation", reason: "A reviewer must attest this item with evidence." };
  }
  if (notApplicable !== undefined && !itemFindings.some((f) => FAILING.has(f.severity))) {
    return { status: "not-applicable", reason: `Not applicable: ${notApplicable}` };
  }
  const automatic = automaticStatus(checks, checkRuns, itemFindings);
  if (item.verification === "automatic" || automatic.status === "fail" || automatic.status === "unknown") return automatic;
  return {
    status: "needs-attestation",
    reason: `${automatic.reason} A reviewer must also attest this item with evidence.`,
  };
}

function automaticStatus(
  checks: readonly string[],
  checkRuns: ReadonlyMap<string, CheckRunSummary>,
  itemFindings: readonly Finding[],
): { status: ItemStatus; reason: string } {
  const failing = itemFindings.filter((f) => FAILING.has(f.severity));
  if (failing.length > 0) {
    return { status: "fail", reason: `${plural(failing.length, "finding")} at moderate severity or above.` };
  }
  const undecided = checks.map((id) => ({ id, run: checkRuns.get(id) })).filter(({ run }) => run === undefined || run.status !== "ok");
  if (undecided.length > 0 || checks.length === 0) {
    const why = undecided.map(({ id, run }) =>
      run === undefined ? `the "${id}" check is not available` : `the "${id}" check could not decide (${run.error ?? "no reason given"})`,
    );
    return { status: "unknown", reason: `Not decided automatically: ${why.join("; ") || "no check covers it"}.` };
  }
  const low = itemFindings.filter((f) => f.severity === "low");
  if (low.length > 0) return { status: "warn", reason: `${plural(low.length, "low-severity finding")}.` };
  return { status: "pass", reason: `Checked automatically: ${checks.join(", ")} found nothing.` };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
