import type { Metadata } from "next";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireUser } from "../_server/session";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <>
      <h1>Account</h1>
      <div className="panel">
        <dl className="meta-list">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Administrator</dt>
          <dd>{user.isAdmin ? "yes" : "no"}</dd>
          <dt>Teams</dt>
          <dd>{user.memberships.length ? user.memberships.map((m) => `${m.teamName} (${ROLE_LABELS[m.role]})`).join(", ") : "none"}</dd>
        </dl>
      </div>
      <h2>Change password</h2>
      <div className="panel">
        <PasswordForm />
      </div>
    </>
  );
}
