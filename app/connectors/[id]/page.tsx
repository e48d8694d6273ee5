import type { Metadata } from "next";
import Link from "next/link";
import { latestReviewFor, signOffOf } from "@/db/queries/reviews";
import { listScans, scannedPackageOf } from "@/db/queries/scans";
import { userLabels } from "@/db/queries/teams";
import { can } from "@/lib/auth/permissions";
import { unchangedCommit } from "@/lib/scan-history";
import { requireConnector } from "../../_server/session";
import { scanNowAction } from "../actions";
import { DeleteConnectorForm } from "./delete-form";
import { history } from "@/db/queries/fleet";
import { FINDINGS_AND_LAG_SERIES, TrendChart } from "../../ui/trend-chart";
import { ReviewPanel } from "./review-panel";
import { SchedulePanel } from "./schedule-panel";
import { StatusBadge } from "../../ui/badges";
import { formatDuration, shortSha } from "../../ui/format";
import { idParam } from "../../ui/params";
import { ScanProgressPanel } from "../../ui/scan-progress";
import { Time } from "../../ui/time";
import { TokenForm } from "./token-form";
import { ScannedPackage, scanHint, sourceLine, UnchangedNotice } from "./source";
import { DataTable } from "../../ui/data-table";
import { Name, visibleName } from "../../ui/name";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { connector } = await requireConnector(await idParam(params));
  return { title: visibleName(connector.name) };
}

export default async function ConnectorPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ schedule?: string | string[] }>;
}) {
  const { user, connector } = await requireConnector(await idParam(params));
  const scheduleProblem = (await searchParams).schedule;
  const mayScan = can(user, "connector.scan", connector.teamId);
  const mayManage = can(user, "connector.manage", connector.teamId);
  const review = await latestReviewFor(connector.id);
  const signOff = review ? await signOffOf(review.id) : undefined;
  const scans = await listScans(connector.id);
  const active = scans.find((s) => s.status === "queued" || s.status === "running");
  const latest = scans[0];
  const unchanged = connector.sourceKind !== "local" && !active ? unchangedCommit(scans) : null;
  const latestSucceeded = scans.find((s) => s.status === "succeeded");
  const scannedPackage = connector.sourceKind === "npm" && latestSucceeded ? await scannedPackageOf(latestSucceeded.id) : null;
  const hint = scanHint(connector);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            <Name value={connector.name} />
          </h1>
          <p className="subtle mono" data-testid="connector-source">
            {sourceLine(connector)}
          </p>
          {scannedPackage && latestSucceeded ? <ScannedPackage pkg={scannedPackage} scanId={latestSucceeded.id} /> : null}
        </div>
        {mayScan ? (
          <div className="actions">
            <Link className="button secondary" href={`/connectors/${connector.id}/live`}>
              Compare with a running server
            </Link>
            <form action={scanNowAction}>
              <input type="hidden" name="connectorId" value={connector.id} />
              <button type="submit" disabled={Boolean(active)}>
                {active ? "Scan in progress" : "Scan now"}
              </button>
              {hint ? <p className="subtle">{hint}</p> : null}
            </form>
          </div>
        ) : null}
      </div>

      {unchanged ? <UnchangedNotice connector={connector} unchanged={unchanged} /> : null}

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

      <ReviewPanel
        connectorId={connector.id}
        review={review}
        signOff={signOff}
        signerLabel={signOff ? ((await userLabels([signOff.signedBy])).get(signOff.signedBy) ?? signOff.signedBy) : null}
        mayReview={can(user, "review.decide", connector.teamId)}
        hasScan={scans.some((s) => s.status === "succeeded")}
      />

      {connector.sourceKind === "github" && mayManage ? <TokenForm connectorId={connector.id} hasToken={connector.hasToken} /> : null}

      <SchedulePanel
        connector={connector}
        lastQueuedAt={scans[0]?.queuedAt ?? null}
        mayManage={mayManage}
        problem={
          scheduleProblem === "invalid"
            ? "Choose one of the offered intervals."
            : scheduleProblem === "failed"
              ? "The schedule could not be saved. Try again."
              : null
        }
      />

      <h2>Scan history</h2>
      {scans.length === 0 ? (
        <div className="panel empty">
          <p>This connector has not been scanned yet. Use “Scan now” to read its files and fill the checklist.</p>
        </div>
      ) : (
        <DataTable
          columns={["Scan", "Status", "Started", "Duration", connector.sourceKind === "npm" ? "Version" : "Commit", "Findings"]}
          testId="scan-history"
        >
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
              <td className="mono">{connector.sourceKind === "npm" ? (s.commit ?? "—") : shortSha(s.commit)}</td>
              <td>
                {s.status === "succeeded"
                  ? `${s.critical} critical · ${s.high} high · ${s.moderate} moderate · ${s.low} low · ${s.info} info`
                  : "—"}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>Over time</h2>
      <TrendChart
        title={`${visibleName(connector.name)}: open findings and watched-package lag, last 90 days`}
        points={await history([connector.id])}
        series={FINDINGS_AND_LAG_SERIES}
      />

      {mayManage ? (
        <>
          <h2>Delete this connector</h2>
          <div className="panel">
            <DeleteConnectorForm connectorId={connector.id} name={visibleName(connector.name)} />
          </div>
        </>
      ) : null}
    </>
  );
}
