import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getConnector } from "@/db/queries/connectors";
import { getScan, reportForScan } from "@/db/queries/scans";
import { CHECKLIST_TEMPLATES } from "@/lib/checklist/template";
import { SEVERITY_ORDER, type ReportFinding } from "@/lib/report/types";
import { StatusBadge } from "../../ui/badges";
import { FindingCard } from "../../ui/finding-card";
import { formatDuration, shortSha } from "../../ui/format";
import { idParam } from "../../ui/params";
import { Time } from "../../ui/time";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Scan #${await idParam(params)}` };
}

export default async function ScanPage({ params }: { params: Promise<{ id: string }> }) {
  const scan = getScan(await idParam(params));
  if (!scan) notFound();
  const connector = getConnector(scan.connectorId);
  const report = scan.status === "succeeded" ? reportForScan(scan.id) : null;
  if (!connector) notFound();

  if (!report) {
    return (
      <>
        <h1>Scan #{scan.id}</h1>
        <p>
          <StatusBadge status={scan.status} /> This scan has no results{scan.error ? `: ${scan.error}` : " yet"}.{" "}
          <Link href={`/connectors/${connector.id}`}>Back to {connector.name}</Link>
        </p>
      </>
    );
  }

  const template = CHECKLIST_TEMPLATES.get(report.checklistVersion);
  const byFingerprint = new Map<string, ReportFinding[]>();
  for (const f of report.findings) byFingerprint.set(f.fingerprint, [...(byFingerprint.get(f.fingerprint) ?? []), f]);
  const itemCounts = new Map<string, number>();
  for (const item of report.checklist) itemCounts.set(item.status, (itemCounts.get(item.status) ?? 0) + 1);
  const unavailable = report.checks.filter((c) => c.status === "unavailable");

  return (
    <>
      <div className="page-head">
        <div>
          <p className="subtle">
            <Link href={`/connectors/${connector.id}`}>{connector.name}</Link> › Scan #{scan.id}
          </p>
          <h1>Security review checklist</h1>
        </div>
      </div>

      <div className="panel">
        <dl className="meta-list">
          <dt>Source</dt>
          <dd className="mono">
            {report.source.kind === "github"
              ? `${report.source.repository}${report.source.ref ? `@${report.source.ref}` : ""}`
              : report.source.path}
          </dd>
          {report.source.subdirectory ? (
            <>
              <dt>Subfolder</dt>
              <dd className="mono">{report.source.subdirectory}</dd>
            </>
          ) : null}
          <dt>Commit</dt>
          <dd className="mono" title={report.source.commit ?? undefined}>
            {report.source.commit ? shortSha(report.source.commit) : "not a git commit (local folder)"}
          </dd>
          <dt>Scanned</dt>
          <dd>
            <Time value={scan.finishedAt} /> in {formatDuration(scan.durationMs)}, {report.stats.files.toLocaleString("en-US")} files
          </dd>
          <dt>Checklist</dt>
          <dd>
            version {report.checklistVersion}:{" "}
            {["fail", "warn", "unknown", "needs-attestation", "pass"]
              .filter((s) => itemCounts.has(s))
              .map((s) => `${itemCounts.get(s)} ${s.replace("-", " ")}`)
              .join(" · ")}
          </dd>
        </dl>
      </div>

      <div className="summary-bar" aria-label="Findings by severity" data-testid="summary-bar">
        {SEVERITY_ORDER.map((s) => (
          <div key={s} className={`cell ${s}`}>
            <strong>{report.summary[s]}</strong>
            {s}
          </div>
        ))}
      </div>

      {unavailable.length > 0 ? (
        <div className="notice" role="note">
          Some checks could not decide, so their items show “unknown”:{" "}
          {unavailable.map((c) => `${c.title} (${c.error ?? "no reason"})`).join("; ")}
        </div>
      ) : null}

      {(template?.sections ?? []).map((section) => (
        <section key={section.id} className="section" aria-labelledby={`section-${section.id}`} data-testid={`section-${section.id}`}>
          <header>
            <h2 id={`section-${section.id}`}>{section.title}</h2>
            <span className="subtle">{section.summary}</span>
          </header>
          {report.checklist
            .filter((item) => item.section === section.id)
            .map((item) => {
              const findings = item.findings.flatMap((fp) => byFingerprint.get(fp) ?? []);
              return (
                <div key={item.id} className="item" id={item.id} data-testid="checklist-item" data-status={item.status}>
                  <div className="item-head">
                    <StatusBadge status={item.status} />
                    <div className="title">
                      {item.title}
                      {item.blocking ? (
                        <span className="badge outline" style={{ marginLeft: "0.5rem" }}>
                          blocking
                        </span>
                      ) : null}
                    </div>
                    <span className="subtle">
                      {findings.length > 0 ? `${findings.length} finding${findings.length === 1 ? "" : "s"}` : ""}
                    </span>
                  </div>
                  <p className="reason">
                    {item.guidance} <em>{item.reason}</em>
                  </p>
                  {findings.map((f, i) => (
                    <FindingCard key={`${f.fingerprint}-${i}`} finding={f} webUrl={report.source.webUrl} commit={report.source.commit} />
                  ))}
                </div>
              );
            })}
        </section>
      ))}

      {report.coverage.omitted.length > 0 ? (
        <>
          <h2>Files not read</h2>
          <p className="subtle">These files count towards the scan but their content was not checked.</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {report.coverage.omitted.slice(0, 200).map((f) => (
                  <tr key={f.path}>
                    <td className="mono">{f.path}</td>
                    <td>{f.size.toLocaleString("en-US")} bytes</td>
                    <td>{f.reason === "too-large" ? "larger than the per-file limit" : "binary"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
