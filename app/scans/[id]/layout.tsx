import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SEVERITY_ORDER } from "@/lib/core/types";
import { StatusBadge } from "../../ui/badges";
import { formatDuration } from "../../ui/format";
import { idParam } from "../../ui/params";
import { Tabs } from "../../ui/tabs";
import { Time } from "../../ui/time";
import { loadScanView } from "./load";
import { Name } from "../../ui/name";
import { CommitRow, PackageRows, SubmissionRow } from "./source-rows";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Scan #${await idParam(params)}` };
}

export default async function ScanLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const { scan, connector, report } = await loadScanView(params);

  if (!report) {
    return (
      <>
        <h1>Scan #{scan.id}</h1>
        <p>
          <StatusBadge status={scan.status} /> This scan has no results{scan.error ? `: ${scan.error}` : " yet"}.{" "}
          <Link href={`/connectors/${connector.id}`}>
            Back to <Name value={connector.name} />
          </Link>
        </p>
      </>
    );
  }

  const itemCounts = new Map<string, number>();
  for (const item of report.checklist) itemCounts.set(item.status, (itemCounts.get(item.status) ?? 0) + 1);
  const base = `/scans/${scan.id}`;
  const src = report.source;

  return (
    <>
      <div className="page-head">
        <div>
          <p className="subtle">
            <Link href={`/connectors/${connector.id}`}>
              <Name value={connector.name} />
            </Link>{" "}
            › Scan #{scan.id}
          </p>
          <h1>Security review checklist</h1>
        </div>
      </div>

      <div className="panel">
        <dl className="meta-list">
          <dt>Source</dt>
          <dd className="mono" data-testid="scan-source">
            {src.kind === "github" && src.webUrl ? (
              <a href={src.webUrl} target="_blank" rel="noreferrer noopener">
                {src.repository}
              </a>
            ) : src.kind === "github" ? (
              src.repository
            ) : src.kind === "npm" && src.package ? (
              `npm:${src.package.name}`
            ) : (
              src.path
            )}
            {src.kind === "github" && src.ref ? ` @ ${src.ref}` : ""}
          </dd>
          {src.subdirectory ? (
            <>
              <dt>Subfolder</dt>
              <dd className="mono">{src.subdirectory}</dd>
            </>
          ) : null}
          {src.kind === "npm" && src.package ? <PackageRows pkg={src.package} webUrl={src.webUrl} /> : <CommitRow src={src} />}
          <dt>Scanned</dt>
          <dd>
            <Time value={scan.finishedAt} /> in {formatDuration(scan.durationMs)}, {report.stats.files.toLocaleString("en-US")} files
          </dd>
          <SubmissionRow scanId={scan.id} submission={report.submission} />
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

      <Tabs
        label="Scan results"
        tabs={[
          { href: base, label: "Checklist" },
          { href: `${base}/dependencies`, label: `Dependencies (${report.dependencies.vulnerabilities.length})` },
          { href: `${base}/tools`, label: `Tools (${report.tools.length})` },
        ]}
      />
      {children}
    </>
  );
}
