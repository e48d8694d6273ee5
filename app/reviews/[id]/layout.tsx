import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { StatusBadge } from "../../ui/badges";
import { Stepper } from "../../ui/stepper";
import { shortSha } from "../../ui/format";
import { Time } from "../../ui/time";
import { loadReviewView, personLabel } from "./load";
import { Name, visibleName } from "../../ui/name";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { connector } = await loadReviewView(params);
  return { title: `Review · ${visibleName(connector.name)}` };
}

export default async function ReviewLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const { review, connector, report, progress, signOff, people, proposals, template } = await loadReviewView(params);
  const total = progress.reduce((n, s) => n + s.total, 0);
  const settled = progress.reduce((n, s) => n + s.settled, 0);
  const base = `/reviews/${review.id}`;
  const commit = report.source.commit ?? report.source.contentHash ?? null;
  return (
    <>
      <div className="page-head">
        <div>
          <p className="subtle">
            <Link href={`/connectors/${connector.id}`}>
              <Name value={connector.name} />
            </Link>{" "}
            › Review #{review.id} of <Link href={`/scans/${review.scanId}`}>scan #{review.scanId}</Link>
          </p>
          <h1>Security review</h1>
          <p className="row">
            <StatusBadge status={review.status} />
            <span className="mono" title={commit ?? undefined}>
              {report.source.commit
                ? `commit ${shortSha(report.source.commit)}`
                : report.source.package
                  ? `${report.source.package.name}@${report.source.package.version}`
                  : `content ${shortSha(commit)}`}
            </span>
            <span className="subtle">checklist v{review.checklistVersion}</span>
            <span className="subtle">
              {settled} of {total} items settled
            </span>
          </p>
          {signOff ? (
            <p className="notice" data-testid="signed-off">
              Signed off at {shortSha(signOff.commit)} by {personLabel(people, signOff.signedBy)} on <Time value={signOff.signedAt} />.
            </p>
          ) : null}
          <ProposalsSummary proposals={proposals} template={template} base={base} />
          {review.status === "stale" ? (
            <div className="form-error" role="note" data-testid="stale-reasons">
              <strong>This sign-off is stale.</strong> Since it was given:
              <ul>
                {(review.staleReasons ?? []).map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
              Start a new review from the connector page: unchanged items keep their decisions.
            </div>
          ) : null}
        </div>
        <div className="row">
          <Link className="button secondary" href={`${base}/print`}>
            Print
          </Link>
          <a className="button secondary" href={`${base}/export/md`}>
            Markdown
          </a>
          <a className="button secondary" href={`${base}/export/json`}>
            JSON
          </a>
          <a className="button secondary" href={`${base}/export/sarif`}>
            SARIF
          </a>
        </div>
      </div>
      <Stepper
        label="Checklist sections"
        steps={[
          ...progress.map((s) => ({
            href: `${base}?section=${s.id}`,
            label: s.title,
            detail: `${s.settled}/${s.total}`,
            complete: s.settled === s.total,
          })),
          { href: `${base}/sign-off`, label: "Sign-off" },
        ]}
      />
      {children}
    </>
  );
}

/** Where the repository's proposed waivers are, so none goes unanswered in a section nobody opened. */
function ProposalsSummary({
  proposals,
  template,
  base,
}: {
  proposals: ReadonlyArray<{ key: string; itemId: string; decision: string | null; source: string }>;
  template: { items: ReadonlyArray<{ id: string; section: string; title: string }> };
  base: string;
}) {
  if (proposals.length === 0) return null;
  const open = proposals.filter((p) => p.decision === null);
  return (
    <div className="notice" role="note" data-testid="proposals-summary">
      {proposals[0]!.source} proposes {proposals.length} waiver{proposals.length === 1 ? "" : "s"}
      {open.length > 0 ? `, ${open.length} not answered yet: ` : ", all answered."}
      {open.map((p, i) => {
        const def = template.items.find((d) => d.id === p.itemId);
        return (
          <span key={`${p.itemId}-${p.key}`}>
            {i > 0 ? ", " : ""}
            <Link href={`${base}?section=${def?.section ?? ""}#${p.itemId}`}>{def?.title ?? p.itemId}</Link>
          </span>
        );
      })}
    </div>
  );
}
