import type { Metadata } from "next";
import Link from "next/link";
import { listTeams } from "@/db/queries/teams";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireUser } from "../_server/session";

export const metadata: Metadata = { title: "Teams" };
export const dynamic = "force-dynamic";

export default async function TeamsPage() {
  const user = await requireUser();
  const teams = user.isAdmin
    ? (await listTeams()).map((t) => ({ id: t.id, name: t.name, role: user.memberships.find((m) => m.teamId === t.id)?.role }))
    : user.memberships.map((m) => ({ id: m.teamId, name: m.teamName, role: m.role }));
  return (
    <>
      <h1>Teams</h1>
      {teams.length === 0 ? (
        <div className="panel empty">
          <p>You are not in any team yet. An administrator adds you to the teams whose connectors you work on.</p>
        </div>
      ) : (
        <ul>
          {teams.map((t) => (
            <li key={t.id}>
              <Link href={`/teams/${t.id}`}>{t.name}</Link> <span className="subtle">{t.role ? ROLE_LABELS[t.role] : "administrator"}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
