import Link from "next/link";
import { listConnectorsWithLastScan } from "@/db/queries/connectors";
import { requireUser } from "./_server/session";
import { StatusBadge } from "./ui/badges";
import { Time } from "./ui/time";

export const dynamic = "force-dynamic";

export default async function ConnectorsPage() {
  const user = await requireUser();
  const rows = listConnectorsWithLastScan(user.isAdmin ? "all" : user.memberships.map((m) => m.teamId));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Connectors</h1>
          <p className="subtle">Every registered connector with its latest scan.</p>
        </div>
        <Link className="button" href="/connectors/new">
          Register a connector
        </Link>
      </div>
      {rows.length === 0 ? (
        <div className="panel empty">
          <h2>No connectors yet</h2>
          <p>
            Register the folder or repository of an MCP server or ChatGPT app. Launch Review reads its code (it never runs it), checks it
            against the Apps SDK security and privacy guidance, and fills a review checklist.
          </p>
          <p>
            <Link className="button" href="/connectors/new">
              Register your first connector
            </Link>
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Source</th>
                <th scope="col">Last scan</th>
                <th scope="col">Status</th>
                <th scope="col">Critical</th>
                <th scope="col">High</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ connector, lastScan }) => (
                <tr key={connector.id}>
                  <td>
                    <Link href={`/connectors/${connector.id}`}>{connector.name}</Link>
                  </td>
                  <td className="mono">
                    {connector.sourceKind === "github" ? `github:${connector.location}` : connector.location}
                    {connector.subdirectory ? ` / ${connector.subdirectory}` : ""}
                  </td>
                  <td>{lastScan ? <Time value={lastScan.finishedAt ?? lastScan.queuedAt} /> : <span className="subtle">never</span>}</td>
                  <td>{lastScan ? <StatusBadge status={lastScan.status} /> : <span className="subtle">—</span>}</td>
                  <td>{lastScan?.status === "succeeded" ? lastScan.critical : "—"}</td>
                  <td>{lastScan?.status === "succeeded" ? lastScan.high : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
