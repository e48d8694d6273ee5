import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getConnector } from "@/db/queries/connectors";
import { listScans } from "@/db/queries/scans";
import { scanNowAction } from "../actions";
import { StatusBadge } from "../../ui/badges";
import { formatDuration, shortSha } from "../../ui/format";
import { idParam } from "../../ui/params";
import { ScanProgressPanel } from "../../ui/scan-progress";
import { Time } from "../../ui/time";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const connector = getConnector(await idParam(params));
  return { title: connector?.name ?? "Connector" };
}

export default async function ConnectorPage({ params }: { params: Promise<{ id: string }> }) {
  const connector = getConnector(await idParam(params));
  if (!connector) notFound();
  const scans = listScans(connector.id);
  const active = scans.find((s) => s.status === "queued" || s.status === "running");
  const latest = scans[0];

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{connector.name}</h1>
          <p className="subtle mono">
            {connector.sourceKind === "github"
              ? `github:${connector.location}${connector.ref ? `@${connector.ref}` : ""}`
              : connector.location}
            {connector.subdirectory ? ` / ${connector.subdirectory}` : ""}
          </p>
        </div>
        <div className="actions">
          <Link className="button secondary" href={`/connectors/${connector.id}/live`}>
            Compare with a running server
          </Link>
          <form action={scanNowAction}>
            <input type="hidden" name="connectorId" value={connector.id} />
            <button type="submit" disabled={Boolean(active)}>
              {active ? "Scan in progress" : "Scan now"}
            </button>
          </form>
        </div>
      </div>

      {active ? (
        <ScanProgressPanel
          key={active.id}
          initial={{ id: active.id, status: active.status, progress: active.progress ?? null, error: active.error }}
        />
      ) : latest?.status === "failed" ? (
        <div className="form-error" role="alert">
          The last scan failed: {latest.error ?? "no reason recorded"}
        </div>
      ) : null}

      <h2>Scan history</h2>
      {scans.length === 0 ? (
        <div className="panel empty">
          <p>This connector has not been scanned yet. Use “Scan now” to read its files and fill the checklist.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Scan</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Commit</th>
                <th scope="col">Findings</th>
              </tr>
            </thead>
            <tbody>
              {scans.map((s) => (
                <tr key={s.id}>
                  <td>{s.status === "succeeded" ? <Link href={`/scans/${s.id}`}>#{s.id}</Link> : `#${s.id}`}</td>
                  <td>
                    <StatusBadge status={s.status} />
                    {s.status === "failed" && s.error ? <div className="field-error">{s.error}</div> : null}
                  </td>
                  <td>
                    <Time value={s.startedAt ?? s.queuedAt} />
                  </td>
                  <td>{formatDuration(s.durationMs)}</td>
                  <td className="mono">{shortSha(s.commit)}</td>
                  <td>
                    {s.status === "succeeded"
                      ? `${s.critical} critical · ${s.high} high · ${s.moderate} moderate · ${s.low} low · ${s.info} info`
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
