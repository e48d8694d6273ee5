import type { Metadata } from "next";
import Link from "next/link";
import { listAuditForConnector } from "@/db/queries/audit";
import { reviewsOf } from "@/db/queries/reviews";
import { userLabels } from "@/db/queries/teams";
import { requireConnector } from "../../../_server/session";
import { idParam } from "../../../ui/params";
import { Time } from "../../../ui/time";
import { DataTable } from "../../../ui/data-table";
import { Name } from "../../../ui/name";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const ACTIONS = [
  "connector.registered",
  "scan.queued",
  "scan.succeeded",
  "scan.failed",
  "review.started",
  "review.decision",
  "review.waiver",
  "review.waiver-rejected",
  "review.attestation",
  "review.comment",
  "review.signed-off",
  "review.stale",
];

export default async function ConnectorAuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ action?: string }>;
}) {
  const { connector } = await requireConnector(await idParam(params));
  const requested = (await searchParams).action;
  const action = requested && ACTIONS.includes(requested) ? requested : undefined;
  const entries = await listAuditForConnector(
    connector.id,
    (await reviewsOf(connector.id)).map((r) => r.id),
    { action },
  );
  const people = await userLabels(entries.map((e) => e.actor));
  return (
    <>
      <p className="subtle">
        <Link href={`/connectors/${connector.id}`}>
          <Name value={connector.name} />
        </Link>{" "}
        › Audit log
      </p>
      <h1>Audit log</h1>
      <p className="subtle">
        Append-only: every entry hashes the one before it. Check the whole chain with <code>npx launch-review audit verify</code>.
      </p>
      <div className="filters">
        <span>Show:</span>
        <Link href={`/connectors/${connector.id}/audit`} aria-current={action ? undefined : "true"}>
          all
        </Link>
        {ACTIONS.map((a) => (
          <Link key={a} href={`/connectors/${connector.id}/audit?action=${a}`} aria-current={action === a ? "true" : undefined}>
            {a}
          </Link>
        ))}
      </div>
      {entries.length === 0 ? (
        <div className="panel empty">
          <p>No entries{action ? ` for ${action}` : ""}.</p>
        </div>
      ) : (
        <DataTable columns={["When", "Who", "What", "Target", "Details", "Correlation id"]} testId="audit-log">
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <Time value={e.at} />
              </td>
              <td>{people.get(e.actor) ?? e.actor}</td>
              <td className="mono">{e.action}</td>
              <td className="mono">
                {e.targetType} {e.targetId}
              </td>
              <td className="mono">{e.details ? JSON.stringify(e.details) : ""}</td>
              <td className="mono subtle">{e.correlationId}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
