import type { Metadata } from "next";
import Link from "next/link";
import { listSecurityEvents } from "@/db/queries/security";
import { SECURITY_EVENT_TYPES, type SecurityEventType } from "@/db/schema";
import { requireAdmin } from "../../_server/session";
import { Time } from "../../ui/time";
import { DataTable } from "../../ui/data-table";

export const metadata: Metadata = { title: "Security events" };
export const dynamic = "force-dynamic";

export default async function SecurityEventsPage({ searchParams }: { searchParams: Promise<{ type?: string }> }) {
  await requireAdmin();
  const requested = (await searchParams).type;
  const type = SECURITY_EVENT_TYPES.includes(requested as SecurityEventType) ? (requested as SecurityEventType) : undefined;
  const events = await listSecurityEvents({ type, limit: 500 });
  return (
    <>
      <p className="row">
        Show:{" "}
        <Link href="/admin/security" aria-current={type ? undefined : "page"}>
          all
        </Link>
        {SECURITY_EVENT_TYPES.map((t) => (
          <Link key={t} href={`/admin/security?type=${t}`} aria-current={type === t ? "page" : undefined}>
            {t}
          </Link>
        ))}
      </p>
      {events.length === 0 ? (
        <div className="panel empty">
          <p>No security events{type ? ` of type ${type}` : ""}.</p>
        </div>
      ) : (
        <DataTable columns={["When", "Event", "Who", "IP", "Details"]} testId="security-events">
          {events.map((e) => (
            <tr key={e.id}>
              <td>
                <Time value={e.at} />
              </td>
              <td>{e.type}</td>
              <td className="mono">{e.actor ?? "—"}</td>
              <td className="mono">{e.ip ?? "—"}</td>
              <td className="mono">{e.details ? JSON.stringify(e.details) : ""}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
