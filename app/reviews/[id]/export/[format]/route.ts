import { NextResponse } from "next/server";
import { getReview } from "@/db/queries/reviews";
import { userLabels } from "@/db/queries/teams";
import { reviewJson, reviewMarkdown } from "@/lib/review/report";
import { renderSarif } from "@/lib/engine/report/sarif";
import { loadReview } from "@/lib/review/service";
import { apiCaller, connectorForCaller, jsonError } from "../../../../_server/api";

export const dynamic = "force-dynamic";

const TYPES = { md: "text/markdown; charset=utf-8", json: "application/json", sarif: "application/sarif+json" } as const;

/** Downloads of a review: Markdown, JSON (the report plus decisions and sign-off) and SARIF 2.1.0 of its findings. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string; format: string }> }) {
  const caller = await apiCaller(request, { allowTokens: true });
  if (caller instanceof NextResponse) return caller;
  const { id, format } = await params;
  if (!/^[0-9]{1,15}$/.test(id) || !(format in TYPES)) return jsonError(404, "Not found.");
  const review = await getReview(Number(id));
  if (!review) return jsonError(404, "Not found.");
  const connector = await connectorForCaller(caller, review.connectorId, "connector.read", request);
  if (connector instanceof NextResponse) return connector;

  const view = await loadReview(review.id);
  const people = await userLabels([
    ...view.items.flatMap((i) => [i.decidedBy ?? "", i.attestedBy ?? ""]),
    ...view.comments.map((c) => c.authorId),
    view.signOff?.signedBy ?? "",
  ]);
  const input = { ...view, people, now: new Date() };
  const kind = format as keyof typeof TYPES;
  const body =
    kind === "md" ? reviewMarkdown(input) : JSON.stringify(kind === "json" ? reviewJson(input) : renderSarif(view.report), null, 2);
  const slug = connector.name.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 60) || "connector";
  return new NextResponse(body, {
    headers: {
      "content-type": TYPES[kind],
      "content-disposition": `attachment; filename="${slug}-review-${review.id}.${kind === "sarif" ? "sarif" : kind}"`,
      "cache-control": "no-store",
    },
  });
}
