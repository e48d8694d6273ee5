import type { Metadata } from "next";
import { listPendingInvitations } from "@/db/queries/invitations";
import { listTeams, listUsers } from "@/db/queries/teams";
import { TEAM_ROLES } from "@/db/schema";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireAdmin } from "../_server/session";
import { ActionForm } from "../ui/action-form";
import { Time } from "../ui/time";
import { inviteUserAction, revokeInvitationAction, setAdminAction, setUserDisabledAction } from "./actions";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function AdminUsersPage() {
  const me = await requireAdmin();
  const users = listUsers();
  const invitations = listPendingInvitations();
  const teams = listTeams();
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
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Team and role</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{i.makeAdmin ? "administrator" : `${i.teamName ?? "—"} · ${i.role ? ROLE_LABELS[i.role] : "—"}`}</td>
                    <td>
                      <Time value={i.expiresAt} />
                    </td>
                    <td>
                      <form action={revokeInvitationAction}>
                        <input type="hidden" name="id" value={i.id} />
                        <button type="submit" className="secondary">
                          Revoke
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <h2>Users</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Administrator</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.isAdmin ? "yes" : "no"}</td>
                <td>{u.disabled ? "disabled" : "active"}</td>
                <td className="row">
                  {u.id !== me.id ? (
                    <>
                      <form action={setUserDisabledAction}>
                        <input type="hidden" name="userId" value={u.id} />
                        <input type="hidden" name="disabled" value={u.disabled ? "false" : "true"} />
                        <button type="submit" className="secondary">
                          {u.disabled ? "Enable" : "Disable"}
                        </button>
                      </form>
                      <form action={setAdminAction}>
                        <input type="hidden" name="userId" value={u.id} />
                        <input type="hidden" name="isAdmin" value={u.isAdmin ? "false" : "true"} />
                        <button type="submit" className="secondary">
                          {u.isAdmin ? "Remove admin" : "Make admin"}
                        </button>
                      </form>
                    </>
                  ) : (
                    <span className="subtle">you</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
