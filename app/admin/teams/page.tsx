import type { Metadata } from "next";
import { listTeams, teamMembersOf } from "@/db/queries/teams";
import { TEAM_ROLES } from "@/db/schema";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireAdmin } from "../../_server/session";
import { ActionForm } from "../../ui/action-form";
import { createTeamAction, removeMembershipAction, setMembershipAction } from "../actions";
import { InlineAction } from "../../ui/inline-action";
import { DataTable } from "../../ui/data-table";

export const metadata: Metadata = { title: "Teams" };
export const dynamic = "force-dynamic";

export default async function AdminTeamsPage() {
  await requireAdmin();
  const teams = await listTeams();
  return (
    <>
      <h2>Create a team</h2>
      <div className="panel">
        <ActionForm
          action={createTeamAction}
          submitLabel="Create team"
          testId="create-team"
          fields={[{ name: "name", label: "Team name", type: "text" }]}
        />
      </div>
      {teams.map(async (team) => {
        const members = await teamMembersOf(team.id);
        return (
          <section key={team.id} className="section" aria-labelledby={`team-${team.id}`}>
            <header>
              <h2 id={`team-${team.id}`}>{team.name}</h2>
              <span className="subtle">{members.length} members</span>
            </header>
            {members.length > 0 ? (
              <DataTable columns={["Member", "Role", ""]}>
                {members.map((m) => (
                  <tr key={m.userId}>
                    <td>
                      {m.name} <span className="subtle">{m.email}</span>
                    </td>
                    <td>{ROLE_LABELS[m.role]}</td>
                    <td>
                      <InlineAction action={removeMembershipAction} fields={{ teamId: team.id, userId: m.userId }} label="Remove" />
                    </td>
                  </tr>
                ))}
              </DataTable>
            ) : null}
            <div className="panel">
              <ActionForm
                action={setMembershipAction}
                submitLabel="Add or change member"
                testId={`member-${team.id}`}
                fields={[
                  { name: "teamId", label: "Team", type: "select", options: [{ value: String(team.id), label: team.name }] },
                  { name: "email", label: "Member's email", type: "email" },
                  { name: "role", label: "Role", type: "select", options: TEAM_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })) },
                ]}
              />
            </div>
          </section>
        );
      })}
    </>
  );
}
