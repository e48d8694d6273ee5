// A review as a document: the scan report plus every decision, attestation, comment and the sign-off.
import type { ReviewComment, SignOff } from "@/db/schema";
import type { ChecklistItem, ChecklistTemplate } from "../engine/checklist/template";
import { settlement, type ReviewItemState } from "./model";
import { escapeMarkdown, inlineCode, renderMarkdown } from "../engine/report/markdown";
import type { ScanReport } from "../core/report";

export interface ReviewDocumentInput {
  review: { id: number; status: string; checklistVersion: number; createdAt: Date; scanId: number };
  template: ChecklistTemplate;
  items: ReviewItemState[];
  comments: ReviewComment[];
  report: ScanReport;
  signOff: SignOff | undefined;
  /** User id -> display label. */
  people: Map<string, string>;
  now: Date;
}

export function reviewJson(input: ReviewDocumentInput) {
  const who = (id: string | null) => (id ? (input.people.get(id) ?? id) : null);
  const defs = new Map<string, ChecklistItem>(input.template.items.map((i) => [i.id, i]));
  return {
    ...input.report,
    review: {
      id: input.review.id,
      status: input.review.status,
      checklistVersion: input.review.checklistVersion,
      createdAt: input.review.createdAt.toISOString(),
      scanId: input.review.scanId,
      items: input.items.map((i) => {
        const def = defs.get(i.itemId)!;
        return {
          id: i.itemId,
          section: def.section,
          title: def.title,
          blocking: def.blocking,
          automaticStatus: i.autoStatus,
          settlement: settlement(i, def, input.now),
          decision: i.decision,
          decidedBy: who(i.decidedBy),
          decidedAt: i.decidedAt?.toISOString() ?? null,
          note: i.decisionNote,
          waiverExpiresAt: i.waiverExpiresAt?.toISOString() ?? null,
          attestation: i.attestation,
          attestationEvidence: i.attestationEvidence,
          attestedBy: who(i.attestedBy),
          carriedOver: i.carriedOver,
          comments: input.comments
            .filter((c) => c.itemId === i.itemId)
            .map((c) => ({ by: who(c.authorId), at: c.createdAt.toISOString(), body: c.body })),
        };
      }),
      signOff: input.signOff
        ? {
            signedBy: who(input.signOff.signedBy),
            signedAt: input.signOff.signedAt.toISOString(),
            commit: input.signOff.commit,
            checklistVersion: input.signOff.checklistVersion,
            decisionsHash: input.signOff.decisionsHash,
          }
        : null,
    },
  };
}

export function reviewMarkdown(input: ReviewDocumentInput): string {
  const doc = reviewJson(input).review;
  const out = [renderMarkdown(input.report), "", `## Review #${doc.id} (${doc.status})`, ""];
  if (doc.signOff) {
    out.push(
      `Signed off by ${escapeMarkdown(doc.signOff.signedBy ?? "")} on ${doc.signOff.signedAt} at ${inlineCode(doc.signOff.commit)}, checklist version ${doc.signOff.checklistVersion}, decisions hash ${inlineCode(doc.signOff.decisionsHash)}.`,
      "",
    );
  } else out.push("Not signed off.", "");
  out.push("| Item | Blocking | Automatic | Decision | By | Note |", "| --- | --- | --- | --- | --- | --- |");
  for (const i of doc.items) {
    const decision = i.decision === "waive" ? `waived until ${i.waiverExpiresAt?.slice(0, 10)}` : (i.decision ?? i.settlement);
    out.push(
      `| ${escapeMarkdown(i.title)} | ${i.blocking ? "yes" : "no"} | ${i.automaticStatus} | ${escapeMarkdown(decision)} | ${escapeMarkdown(i.decidedBy ?? "")} | ${escapeMarkdown(i.note ?? "")} |`,
    );
  }
  const attested = doc.items.filter((i) => i.attestation);
  if (attested.length > 0) {
    out.push("", "### Attestations", "");
    for (const i of attested)
      out.push(
        `- ${escapeMarkdown(i.title)}: ${escapeMarkdown(i.attestation ?? "")} (evidence: ${escapeMarkdown(i.attestationEvidence ?? "")}; ${escapeMarkdown(i.attestedBy ?? "")})`,
      );
  }
  return `${out.join("\n")}\n`;
}
