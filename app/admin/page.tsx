import type { Metadata } from "next";
import { listPendingInvitations } from "@/db/queries/invitations";
import { listTeams, listUsers } from "@/db/queries/teams";
import { TEAM_ROLES } from "@/db/schema";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireAdmin } from "../_server/session";
import { ActionForm } from "../ui/action-form";
import { Time } from "../ui/time";
import { inviteUserAction, revokeInvitationAction, setAdminAction, setUserDisabledAction } from "./actions";
import { InlineAction } from "../ui/inline-action";
import { DataTable } from "../ui/data-table";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function AdminUsersPage() {
  const me = await requireAdmin();
  const users = await listUsers();
  const invitations = await listPendingInvitations();
  const teams = await listTeams();
  return (
    <>
      <h2>Invite someone</h2>
      <div className="panel">
        <p className="subtle">Nobody can sign up on their own. An invitation link lets one person create their account within 7 days.</p>
        <ActionForm
          action={inviteUserAction}
          submitLabel="Create invitation"
          testId="invite"
          fields={[
            { name: "email", label: "Email", type: "email" },
            {
              name: "teamId",
              label: "Team",
              type: "select",
              options: [{ value: "", label: "(no team)" }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))],
            },
            {
              name: "role",
              label: "Role in the team",
              type: "select",
              options: [{ value: "", label: "(none)" }, ...TEAM_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))],
            },
            { name: "makeAdmin", label: "Make them an administrator", type: "checkbox" },
          ]}
        />
      </div>

      {invitations.length > 0 ? (
        <>
          <h2>Pending invitations</h2>
          <DataTable columns={["Email", "Team and role", "Expires", ""]}>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{i.makeAdmin ? "administrator" : `${i.teamName ?? "—"} · ${i.role ? ROLE_LABELS[i.role] : "—"}`}</td>
                <td>
                  <Time value={i.expiresAt} />
                </td>
                <td>
                  <InlineAction action={revokeInvitationAction} fields={{ id: i.id }} label="Revoke" />
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}

      <h2>Users</h2>
      <DataTable columns={["Name", "Email", "Administrator", "Status", ""]}>
        {users.map((u) => (
          <tr key={u.id}>
            <td>{u.name}</td>
            <td>{u.email}</td>
            <td>{u.isAdmin ? "yes" : "no"}</td>
            <td>{u.disabled ? "disabled" : "active"}</td>
            <td className="row">
              {u.id !== me.id ? (
                <>
                  <InlineAction
                    action={setUserDisabledAction}
                    fields={{ userId: u.id, disabled: u.disabled ? "false" : "true" }}
                    label={u.disabled ? "Enable" : "Disable"}
                  />
                  <InlineAction
                    action={setAdminAction}
                    fields={{ userId: u.id, isAdmin: u.isAdmin ? "false" : "true" }}
                    label={u.isAdmin ? "Remove admin" : "Make admin"}
                  />
                </>
              ) : (
                <span className="subtle">you</span>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
