import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listApiTokens } from "@/db/queries/api-tokens";
import { getTeam, teamMembersOf } from "@/db/queries/teams";
import { can, isMember, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireUser } from "../../_server/session";
import { ActionForm } from "../../ui/action-form";
import { idParam } from "../../ui/params";
import { Time } from "../../ui/time";
import { createApiTokenAction, revokeApiTokenAction } from "../actions";
import { InlineAction } from "../../ui/inline-action";
import { DataTable } from "../../ui/data-table";

export const metadata: Metadata = { title: "Team" };
export const dynamic = "force-dynamic";

export default async function TeamPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const team = await getTeam(await idParam(params));
  if (!team || !isMember(user, team.id)) notFound();
  const members = await teamMembersOf(team.id);
  const mayManageTokens = can(user, "team.api-tokens", team.id);
  const tokens = mayManageTokens ? await listApiTokens(team.id) : [];
  return (
    <>
      <h1>{team.name}</h1>
      <h2>Members</h2>
      <ul>
        {members.map((m) => (
          <li key={m.userId}>
            {m.name} <span className="subtle">{m.email}</span> · {ROLE_LABELS[m.role]}
          </li>
        ))}
      </ul>
      {mayManageTokens ? (
        <>
          <h2>API tokens for CI</h2>
          <p className="subtle">
            A token lets CI start scans of this team&apos;s connectors and read their reports:{" "}
            <code>POST /api/v1/connectors/&lt;id&gt;/scans</code> and <code>GET /api/v1/scans/&lt;id&gt;?report=1</code> with{" "}
            <code>Authorization: Bearer &lt;token&gt;</code>. Only a hash is stored.
          </p>
          <div className="panel">
            <ActionForm
              action={createApiTokenAction}
              submitLabel="Create token"
              testId="api-token"
              fields={[
                { name: "teamId", label: "Team", type: "select", options: [{ value: String(team.id), label: team.name }] },
                { name: "name", label: "Name", type: "text", placeholder: "GitHub Actions" },
                {
                  name: "role",
                  label: "Access",
                  type: "select",
                  options: [
                    { value: "maintainer", label: "Scan and read" },
                    { value: "viewer", label: "Read only" },
                  ],
                },
                { name: "expiresInDays", label: "Expires after (days)", type: "number", defaultValue: "90" },
              ]}
            />
          </div>
          {tokens.length > 0 ? (
            <DataTable columns={["Name", "Token", "Access", "Expires", "Last used", ""]}>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td className="mono">lrt_{t.prefix}_…</td>
                  <td>{t.role === "maintainer" ? "scan and read" : "read only"}</td>
                  <td>
                    <Time value={t.expiresAt} />
                  </td>
                  <td>
                    <Time value={t.lastUsedAt} />
                  </td>
                  <td>
                    {t.revokedAt ? (
                      <span className="subtle">revoked</span>
                    ) : (
                      <InlineAction action={revokeApiTokenAction} fields={{ teamId: team.id, tokenId: t.id }} label="Revoke" />
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </>
      ) : null}
    </>
  );
}
