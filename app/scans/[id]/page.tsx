import { CHECKLIST_TEMPLATES } from "@/lib/engine/checklist/template";
import type { ReportFinding } from "@/lib/core/report";
import { StatusBadge } from "../../ui/badges";
import { FindingCard } from "../../ui/finding-card";
import { loadScanView } from "./load";
import { DataTable } from "../../ui/data-table";

export const dynamic = "force-dynamic";

export default async function ScanChecklistPage({ params }: { params: Promise<{ id: string }> }) {
  const { report } = await loadScanView(params);
  if (!report) return null;

  const template = CHECKLIST_TEMPLATES.get(report.checklistVersion);
  const byFingerprint = new Map<string, ReportFinding[]>();
  for (const f of report.findings) byFingerprint.set(f.fingerprint, [...(byFingerprint.get(f.fingerprint) ?? []), f]);
  const unavailable = report.checks.filter((c) => c.status === "unavailable");

  return (
    <>
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
                      {item.blocking ? <span className="badge outline">blocking</span> : null}
                    </div>
                    <span className="subtle">
                      {findings.length > 0 ? `${findings.length} finding${findings.length === 1 ? "" : "s"}` : ""}
                    </span>
                  </div>
                  <p className="reason">
                    {item.guidance} <em>{item.reason}</em>
                  </p>
                  {findings.map((f, i) => (
                    <FindingCard
                      key={`${f.fingerprint}-${i}`}
                      finding={f}
                      webUrl={report.source.webUrl}
                      commit={report.source.commit}
                      subdirectory={report.source.subdirectory}
                    />
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
          <DataTable columns={["File", "Size", "Why"]}>
            {report.coverage.omitted.slice(0, 200).map((f) => (
              <tr key={f.path}>
                <td className="mono">{f.path}</td>
                <td>{f.size.toLocaleString("en-US")} bytes</td>
                <td>{f.reason === "too-large" ? "larger than the per-file limit" : "binary"}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </>
  );
}
