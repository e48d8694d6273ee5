import Link from "next/link";
import { previousSucceededScan, toolsForScan } from "@/db/queries/tools";
import type { ReportTool } from "@/lib/core/report";
import { diffManifests, scopesText, type ToolChange } from "@/lib/tools/manifest-diff";
import { showHidden } from "@/lib/engine/unicode";
import { WordDiff } from "../../../ui/word-diff";
import { loadScanView } from "../load";
import { DataTable } from "../../../ui/data-table";

export const dynamic = "force-dynamic";

const HINTS = [
  ["readOnlyHint", "read-only"],
  ["destructiveHint", "destructive"],
  ["idempotentHint", "idempotent"],
  ["openWorldHint", "open-world"],
] as const;

const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  description: "Description",
  annotations: "Annotations",
  scopes: "Security schemes",
  meta: "_meta",
  input: "Input",
};

export default async function ScanToolsPage({ params }: { params: Promise<{ id: string }> }) {
  const { scan, connector, report } = await loadScanView(params);
  if (!report) return null;
  const tools = report.tools;
  const previous = await previousSucceededScan(connector.id, scan.id);
  const diff = previous ? diffManifests(await toolsForScan(previous.id), tools) : null;
  const findingCounts = new Map<string, number>();
  for (const f of report.findings) {
    if (!f.checkId.startsWith("tool-") && f.checkId !== "widget-csp") continue;
    const key = `${f.location?.path}:${f.location?.line}`;
    findingCounts.set(key, (findingCounts.get(key) ?? 0) + 1);
  }

  return (
    <>
      <section aria-labelledby="tools-heading">
        <h2 id="tools-heading">Tools</h2>
        {tools.length === 0 ? (
          <p className="subtle">No tools were read from this connector.</p>
        ) : (
          <>
            <p className="subtle">
              {tools.length} tool{tools.length === 1 ? "" : "s"} read from the code, exactly as the model sees them. Hidden characters are
              shown as ⟦U+…⟧.
            </p>
            <DataTable columns={["Tool", "Annotations", "Security schemes", "Input", "Declared at", "Findings"]} testId="tools-table">
              {tools.map((t, i) => (
                <ToolRow
                  key={`${t.location.path}:${t.location.line}:${t.name}:${i}`}
                  tool={t}
                  findings={findingCounts.get(`${t.location.path}:${t.location.line}`) ?? 0}
                  scanId={scan.id}
                />
              ))}
            </DataTable>
          </>
        )}
      </section>

      {(report.widgets ?? []).length > 0 ? (
        <section aria-labelledby="widgets-heading">
          <h2 id="widgets-heading">Widgets</h2>
          <DataTable
            columns={["Widget", "Connect domains", "Resource domains", "Frame domains", "Widget domain", "Declared at"]}
            testId="widgets-table"
          >
            {(report.widgets ?? []).map((w) => (
              <tr key={w.uri} data-testid="widget-row" data-uri={w.uri}>
                <td>
                  <span className="mono">{w.uri}</span>
                  <div className="subtle">
                    {w.mimeType ?? "no MIME type"}
                    {w.cspSources.length > 0 ? ` · ${w.cspSources.join(", ")}` : " · no CSP declared"}
                  </div>
                </td>
                <td className="mono">{w.csp.connect.join(" ") || "—"}</td>
                <td className="mono">{w.csp.resource.join(" ") || "—"}</td>
                <td className="mono">{w.csp.frame.join(" ") || "—"}</td>
                <td className="mono">{w.domain ?? "none"}</td>
                <td className="mono">
                  {w.location.path}:{w.location.line}
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}

      <section aria-labelledby="changes-heading" data-testid="tool-changes">
        <h2 id="changes-heading">{previous ? `Changes since scan #${previous.id}` : "Changes"}</h2>
        {!diff ? (
          <p className="subtle">This is the connector&apos;s first successful scan: there is nothing to compare with yet.</p>
        ) : diff.changes.length === 0 ? (
          <p className="subtle">
            No tool changed since <Link href={`/scans/${previous!.id}/tools`}>scan #{previous!.id}</Link> ({diff.unchanged} unchanged).
          </p>
        ) : (
          <>
            <p className="subtle">
              Compared with <Link href={`/scans/${previous!.id}/tools`}>scan #{previous!.id}</Link>: {summary(diff.changes)},{" "}
              {diff.unchanged} unchanged. Words removed are struck through, words added are highlighted.
            </p>
            {diff.changes.map((c) => (
              <ChangeCard key={`${c.kind}:${c.name}`} change={c} />
            ))}
          </>
        )}
      </section>
    </>
  );
}

function ToolRow({ tool: t, findings, scanId }: { tool: ReportTool; findings: number; scanId: number }) {
  return (
    <tr data-testid="tool-row" data-tool={t.name}>
      <td>
        <strong className="mono">{t.name}</strong>
        {t.title ? <div>{showHidden(t.title)}</div> : null}
        {t.description ? <p className="tool-description">{showHidden(t.description)}</p> : <p className="subtle">No description.</p>}
        {t.dynamic.length > 0 ? <p className="subtle">Not statically known: {t.dynamic.join(", ")}</p> : null}
        {t.loop ? <p className="subtle">Registered in a loop over {t.loop}.</p> : null}
      </td>
      <td>
        {t.annotations ? (
          <ul className="hints">
            {HINTS.map(([key, label]) => {
              const v = t.annotations?.[key];
              return (
                <li
                  key={key}
                  className={v === true ? "on" : v === false ? "off" : "unset"}
                  title={`${key}: ${v === undefined ? "not set" : JSON.stringify(v)}`}
                >
                  {label}: {v === undefined ? "unset" : JSON.stringify(v)}
                </li>
              );
            })}
          </ul>
        ) : (
          <span className="badge moderate">none</span>
        )}
      </td>
      <td className="mono">{scopesText(t.securitySchemes)}</td>
      <td className="mono">
        {!t.inputSchema || t.inputSchema.kind === "none"
          ? "—"
          : t.inputSchema.kind === "dynamic"
            ? "not statically known"
            : [
                ...t.inputSchema.fields.map((f) => `${f.name}${f.optional ? "?" : ""}: ${f.type}`),
                ...(t.inputSchema.open ? ["(open)"] : []),
              ].join(", ") || "{}"}
      </td>
      <td className="mono">
        {t.location.path}:{t.location.line}
        {t.style ? <div className="subtle">{t.style}</div> : null}
      </td>
      <td>{findings > 0 ? <Link href={`/scans/${scanId}`}>{findings}</Link> : "—"}</td>
    </tr>
  );
}

function ChangeCard({ change: c }: { change: ToolChange }) {
  return (
    <article className="tool-change" data-testid="tool-change" data-kind={c.kind} data-tool={c.name}>
      <div>
        <span className={`badge ${c.kind === "removed" ? "high" : c.kind === "added" ? "info" : "moderate"}`}>{c.kind}</span>{" "}
        <strong className="mono">{c.name}</strong> <span className="subtle mono">{`${c.tool.location.path}:${c.tool.location.line}`}</span>
      </div>
      {c.kind === "added" && c.tool.description ? <p className="tool-description">{showHidden(c.tool.description)}</p> : null}
      {c.fields.map((f) => (
        <div key={f.field} className="field-change">
          <div className="subtle">{FIELD_LABELS[f.field] ?? f.field}</div>
          <WordDiff parts={f.parts} field={f.field} />
        </div>
      ))}
    </article>
  );
}

function summary(changes: ToolChange[]): string {
  const count = (k: ToolChange["kind"]) => changes.filter((c) => c.kind === k).length;
  return [`${count("added")} added`, `${count("removed")} removed`, `${count("changed")} changed`].join(", ");
}
