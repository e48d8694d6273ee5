import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { isSettled } from "@/lib/review/model";
import { type ReportFinding } from "@/lib/core/report";
import { SEVERITY_ORDER, severityRank } from "@/lib/core/types";
import type { Severity } from "@/lib/core/types";
import { loadReviewView } from "./load";
import { ReviewItemCard } from "./item-card";

export const dynamic = "force-dynamic";

type Search = { section?: string; status?: string; severity?: string };

export default async function ReviewSectionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Search>;
}) {
  const view = await loadReviewView(params);
  const { review, template, items, report, settlements, comments, people, user, connector, proposals } = view;
  const q = await searchParams;
  const section = template.sections.find((s) => s.id === q.section) ?? template.sections[0]!;
  const status = q.status === "open" || q.status === "settled" ? q.status : "all";
  const minSeverity = SEVERITY_ORDER.includes(q.severity as Severity) ? (q.severity as Severity) : "info";
  const editable = review.status === "in-progress" && can(user, "review.decide", connector.teamId);

  const byFingerprint = new Map<string, ReportFinding>(report.findings.map((f) => [f.fingerprint, f]));
  const defs = template.items.filter((i) => i.section === section.id);
  const shown = defs.filter((d) => {
    const settled = isSettled(settlements.get(d.id)!);
    return status === "all" || (status === "settled" ? settled : !settled);
  });
  const base = `/reviews/${review.id}?section=${section.id}`;
  const link = (patch: Partial<Search>) => {
    const next = { status, severity: minSeverity, ...patch };
    return `${base}${next.status !== "all" ? `&status=${next.status}` : ""}${next.severity !== "info" ? `&severity=${next.severity}` : ""}`;
  };
  const sectionIndex = template.sections.indexOf(section);
  const nextSection = template.sections[sectionIndex + 1];

  return (
    <section aria-labelledby="section-title">
      <h2 id="section-title">{section.title}</h2>
      <p className="subtle">{section.summary}</p>
      <div className="filters no-print">
        <span>
          Items:{" "}
          {(["all", "open", "settled"] as const).map((s) => (
            <Link key={s} href={link({ status: s })} aria-current={status === s ? "true" : undefined}>
              {s}{" "}
            </Link>
          ))}
        </span>
        <span>
          Findings from:{" "}
          {SEVERITY_ORDER.map((s) => (
            <Link key={s} href={link({ severity: s })} aria-current={minSeverity === s ? "true" : undefined}>
              {s}{" "}
            </Link>
          ))}
        </span>
      </div>
      {shown.length === 0 ? <p className="panel empty">No {status} items in this section.</p> : null}
      {shown.map((def) => {
        const item = items.find((i) => i.itemId === def.id)!;
        const findings = item.findings
          .map((f) => byFingerprint.get(f.fingerprint))
          .filter((f): f is ReportFinding => f !== undefined && severityRank(f.severity) <= severityRank(minSeverity));
        return (
          <ReviewItemCard
            key={def.id}
            reviewId={review.id}
            def={def}
            item={item}
            settlement={settlements.get(def.id)!}
            findings={findings}
            comments={comments.filter((c) => c.itemId === def.id)}
            people={people}
            editable={editable}
            webUrl={report.source.webUrl}
            commit={report.source.commit}
            proposals={proposals.filter((p) => p.itemId === def.id)}
          />
        );
      })}
      <p className="row no-print">
        {nextSection ? (
          <Link className="button" href={`/reviews/${review.id}?section=${nextSection.id}`}>
            Next: {nextSection.title}
          </Link>
        ) : (
          <Link className="button" href={`/reviews/${review.id}/sign-off`}>
            Next: sign-off
          </Link>
        )}
      </p>
    </section>
  );
}
