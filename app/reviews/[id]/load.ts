import type { ChecklistItem } from "@/lib/engine/checklist/template";
import "server-only";
import { cache } from "react";
import { userLabels } from "@/db/queries/teams";
import { isSettled, settlement } from "@/lib/review/model";
import { can, type Capability } from "@/lib/auth/permissions";
import { proposalsOfReview } from "@/lib/review/proposal-service";
import { acceptProblem } from "@/lib/review/proposals";
import { loadReview } from "@/lib/review/service";
import { requireReview } from "../../_server/session";
import { idParam } from "../../ui/params";

/** The review with everything its pages show, loaded once per request after the access check. */
export const loadReviewView = cache(async (params: Promise<{ id: string }>) => {
  const { user, connector } = await requireReview(await idParam(params));
  const view = await loadReview(await idParam(params));
  const now = new Date();
  const defs = new Map<string, ChecklistItem>(view.template.items.map((i) => [i.id, i]));
  const settlements = new Map(view.items.map((i) => [i.itemId, settlement(i, defs.get(i.itemId)!, now)]));
  const caller = { can: (c: Capability) => can(user, c, connector.teamId) };
  const items = new Map(view.items.map((i) => [i.itemId, i]));
  // Whether this user could accept each open proposal now: the page says why not beside a disabled button.
  const proposals = (await proposalsOfReview(view.review.id, view.report, view.items)).map((p) => ({
    ...p,
    acceptProblem: p.decision ? null : acceptProblem(p, items.get(p.itemId)!, defs.get(p.itemId)!, caller, now),
  }));
  const people = await userLabels([
    ...view.items.flatMap((i) => [i.decidedBy ?? "", i.attestedBy ?? ""]),
    ...proposals.map((p) => p.decidedBy ?? ""),
    ...view.comments.map((c) => c.authorId),
    view.signOff?.signedBy ?? "",
    view.review.createdBy,
  ]);
  const progress = view.template.sections.map((s) => {
    const items = view.template.items.filter((i) => i.section === s.id);
    return { ...s, total: items.length, settled: items.filter((i) => isSettled(settlements.get(i.id)!)).length };
  });
  return { user, connector, ...view, settlements, proposals, people, progress, now };
});

export function personLabel(people: Map<string, string>, id: string | null): string {
  if (!id) return "—";
  return people.get(id) ?? id;
}
