import { fileUrl } from "@/lib/engine/report/links";
import type { ReportFinding } from "@/lib/core/report";
import { SeverityBadge } from "./badges";

export function FindingCard({
  finding,
  webUrl,
  commit,
  subdirectory,
}: {
  finding: ReportFinding;
  webUrl?: string;
  commit: string | null;
  subdirectory?: string;
}) {
  const loc = finding.location;
  const where = loc ? `${loc.path}${loc.line ? `:${loc.line}` : ""}` : null;
  const href = loc ? fileUrl(webUrl, commit, loc.path, loc.line, subdirectory) : null;
  return (
    <article className="finding" data-testid="finding" data-rule={finding.ruleId}>
      <div>
        <SeverityBadge severity={finding.severity} /> <strong>{finding.title}</strong> <code className="subtle">{finding.ruleId}</code>
      </div>
      <div>{finding.message}</div>
      {where ? (
        <div className="where mono">
          {href ? (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {where}
            </a>
          ) : (
            where
          )}
        </div>
      ) : null}
      {finding.evidence ? <pre className="evidence">{finding.evidence}</pre> : null}
      <p className="why">Why it matters: {finding.rationale}</p>
      <p className="fix">
        <strong>Fix:</strong> {finding.remediation}
      </p>
    </article>
  );
}
