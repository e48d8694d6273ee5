import { previousSucceededScan, reportForScan } from "@/db/queries/scans";
import { advisoryChanges } from "@/lib/engine/advisories/changes";
import { type ReportVulnerability } from "@/lib/core/report";
import { severityRank } from "@/lib/core/types";
import { SeverityBadge } from "../../../ui/badges";
import { Time } from "../../../ui/time";
import { loadScanView } from "../load";
import { DataTable } from "../../../ui/data-table";

export const dynamic = "force-dynamic";

type Vulnerability = ReportVulnerability & { fix?: { package: string; version: string } | null; url?: string | null };

const BEHIND_BADGE: Record<string, string> = { major: "fail", minor: "warn", patch: "low" };

function Path({ path }: { path: string[] }) {
  return <span className="mono">{path.join(" › ")}</span>;
}

export default async function ScanDependenciesPage({ params }: { params: Promise<{ id: string }> }) {
  const { report, scan, connector } = await loadScanView(params);
  if (!report) return null;
  const deps = report.dependencies;
  const vulnerabilities = [...(deps.vulnerabilities as Vulnerability[])].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) || a.package.localeCompare(b.package) || a.advisory.localeCompare(b.advisory),
  );
  const previous = await previousSucceededScan(connector.id, scan.id);
  const previousReport = previous ? await reportForScan(previous.id) : null;
  const changes = previousReport ? advisoryChanges(previousReport.dependencies.vulnerabilities, deps.vulnerabilities) : null;

  return (
    <section aria-labelledby="deps-heading">
      <h2 id="deps-heading">Dependencies</h2>
      {deps.advisorySource.status === "unavailable" ? (
        <div className="form-error" role="note" data-testid="advisories-unavailable">
          Advisory data unavailable from {deps.advisorySource.name}: {deps.advisorySource.error ?? "no reason given"}. The dependency
          checklist items stay “unknown” until a scan can ask.
        </div>
      ) : (
        <p className="subtle" data-testid="advisories-as-of">
          Advisory data from {deps.advisorySource.name} as of{" "}
          {deps.advisorySource.fetchedAt ? <Time value={new Date(deps.advisorySource.fetchedAt)} /> : "unknown"}.
        </p>
      )}
      <p className="subtle" data-testid="lockfiles">
        {deps.lockfiles.length === 0
          ? "No lockfile was found, so no locked version could be audited."
          : `Audited ${deps.lockfiles.length} lockfile${deps.lockfiles.length === 1 ? "" : "s"}: ${deps.lockfiles
              .map((l) => `${l.path} (${l.format}, ${l.packages} packages)`)
              .join(", ")}.`}
      </p>
      {deps.unreadable && deps.unreadable.length > 0 ? (
        <div className="form-error" role="note" data-testid="unreadable-lockfiles">
          Not audited, because they could not be read:
          <ul>
            {deps.unreadable.map((u) => (
              <li key={u.path}>
                <span className="mono">{u.path}</span>: {u.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {changes ? (
        <div className="panel" data-testid="advisory-changes">
          <strong>Since scan #{previous!.id}:</strong> {changes.added.length} new, {changes.resolved.length} resolved.
          {changes.added.length + changes.resolved.length > 0 ? (
            <ul>
              {changes.added.map((v) => (
                <li key={`a-${v.package}-${v.version}-${v.advisory}`}>
                  <span className="badge fail">new</span> {v.advisory} in <span className="mono">{`${v.package}@${v.version}`}</span> (
                  {v.severity})
                </li>
              ))}
              {changes.resolved.map((v) => (
                <li key={`r-${v.package}-${v.version}-${v.advisory}`}>
                  <span className="badge pass">resolved</span> {v.advisory} in <span className="mono">{`${v.package}@${v.version}`}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <h3>Vulnerable packages</h3>
      {vulnerabilities.length === 0 ? (
        <p className="subtle">
          {deps.advisorySource.status === "ok"
            ? "No locked version has a known advisory."
            : "Not known: the advisory source could not be asked."}
        </p>
      ) : (
        <DataTable columns={["Severity", "Package", "Advisory", "Comes in through", "Fix"]} testId="vulnerabilities">
          {vulnerabilities.map((v) => (
            <tr key={`${v.lockfile}-${v.package}-${v.version}-${v.advisory}`} data-package={v.package} data-advisory={v.advisory}>
              <td>
                <SeverityBadge severity={v.severity} />
              </td>
              <td>
                <span className="mono">{`${v.package}@${v.version}`}</span>
                <div className="subtle">
                  {v.direct ? "direct" : "transitive"}
                  {v.dev ? ", dev only" : ""} · {v.lockfile}
                </div>
              </td>
              <td>
                {v.url ? (
                  <a href={v.url} target="_blank" rel="noreferrer noopener">
                    {v.advisory}
                  </a>
                ) : (
                  v.advisory
                )}
                <div>{v.title}</div>
                <div className="subtle mono">vulnerable: {v.vulnerableRange}</div>
              </td>
              <td>
                <ul className="dep-paths">
                  {v.paths.slice(0, 3).map((p, i) => (
                    <li key={i}>
                      <Path path={p} />
                    </li>
                  ))}
                </ul>
                {v.paths.length > 3 ? <div className="subtle">…and more</div> : null}
              </td>
              <td data-testid="fix">
                {v.fix ? (
                  <>
                    Upgrade <span className="mono">{v.fix.package}</span> to <span className="mono">{v.fix.version}</span>
                  </>
                ) : (
                  <span className="subtle">no upgrade of a direct dependency fixes it yet</span>
                )}
                {v.fixedIn ? (
                  <div className="subtle">
                    fixed in {v.package} {v.fixedIn}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <h3>Patch status of watched packages</h3>
      {deps.watched.length === 0 ? (
        <p className="subtle">None of the watched packages (React, Next.js, the MCP SDK, …) is locked here.</p>
      ) : (
        <DataTable columns={["Package", "Locked", "Latest", "Latest in its major", "Status", "Superseded for"]} testId="patch-status">
          {deps.watched.map((w) => {
            const vulnerable = deps.vulnerabilities.some((v) => v.package === w.package && v.version === w.version);
            return (
              <tr key={`${w.package}@${w.version}`} data-package={w.package}>
                <td className="mono">{w.package}</td>
                <td className="mono">{w.version}</td>
                <td className="mono">{w.latest ?? <span className="subtle">{w.note ?? "unknown"}</span>}</td>
                <td className="mono">{w.latestInMajor ?? "—"}</td>
                <td>
                  {vulnerable ? <span className="badge fail">vulnerable</span> : null}{" "}
                  {w.behind ? (
                    <span className={`badge ${BEHIND_BADGE[w.behind]}`}>{w.behind} behind</span>
                  ) : w.latest ? (
                    <span className="badge pass">current</span>
                  ) : null}{" "}
                  {w.deprecated ? (
                    <span className="badge warn" title={w.deprecated}>
                      deprecated
                    </span>
                  ) : null}
                </td>
                <td>{w.daysSinceSuperseded !== undefined && w.daysSinceSuperseded !== null ? `${w.daysSinceSuperseded} days` : "—"}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
