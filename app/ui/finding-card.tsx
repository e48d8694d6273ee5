import { findingTags, ruleById } from "@/checks";
import { fileUrl } from "@/lib/engine/report/links";
import type { FindingTags, ReportFinding } from "@/lib/core/report";
import { SeverityBadge } from "./badges";

/** The OWASP MCP Top 10 category and CWE ids of the finding's rule; reports made before findings carried them ask the registry. */
function TagList({ tags }: { tags: FindingTags | undefined }) {
  if (!tags) return null;
  return (
    <ul className="tags" aria-label="Classification" data-testid="finding-tags">
      {tags.owasp ? (
        <li className="tag" title="OWASP MCP Top 10 (2025)">
          {tags.owasp}
        </li>
      ) : null}
      {(tags.cwe ?? []).map((cwe) => {
        const id = /^CWE-(\d{1,6})$/.exec(cwe)?.[1];
        return (
          <li key={cwe} className="tag">
            {id ? (
              <a href={`https://cwe.mitre.org/data/definitions/${id}.html`} target="_blank" rel="noreferrer noopener">
                {cwe}
              </a>
            ) : (
              cwe
            )}
          </li>
        );
      })}
    </ul>
  );
}

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
      <TagList tags={finding.tags ?? findingTags(ruleById(finding.ruleId))} />
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
