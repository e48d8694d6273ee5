import type { Metadata } from "next";
import { pendingInvitation } from "@/lib/auth/users";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await pendingInvitation(token);
  return (
    <div className="panel auth-card">
      <h1>Join Launch Review</h1>
      {invitation ? (
        <>
          <p>
            Create the account for <strong>{invitation.email}</strong>.
          </p>
          <AcceptForm token={token} />
        </>
      ) : (
        <p className="form-error" role="alert">
          This invitation link is invalid, expired or already used. Ask an administrator for a new one.
        </p>
      )}
    </div>
  );
}
