import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { listTeams } from "@/db/queries/teams";
import { teamsWith } from "@/lib/auth/permissions";
import { env } from "@/lib/env";
import { githubWebUrl } from "@/lib/engine/github/client";
import { appNpmRegistry } from "@/lib/connectors-npm";
import { requireUser } from "../../_server/session";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Register a connector" };
export const dynamic = "force-dynamic";

export default async function NewConnectorPage() {
  const user = await requireUser();
  const teams = teamsWith(user, "connector.create", await listTeams());
  // An administrator may register into any team; before the first team exists there is none to pick, not a refusal.
  if (teams.length === 0 && user.isAdmin) return <NoTeamYet />;
  if (teams.length === 0) forbidden();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Register a connector</h1>
          <p className="subtle">Launch Review reads the connector&apos;s files and never runs, installs or imports them.</p>
        </div>
      </div>
      <div className="panel">
        <RegisterForm
          localRoot={env().localRoot}
          githubHost={new URL(githubWebUrl(env().GITHUB_API_URL)).host}
          npmRegistry={registryHost(appNpmRegistry())}
          teams={teams}
        />
      </div>
    </>
  );
}

function NoTeamYet() {
  return (
    <div className="panel empty">
      <h1>Register a connector</h1>
      <p>Every connector belongs to a team, and there is no team yet.</p>
      <p>
        <Link href="/admin/teams">Create a team</Link>, then come back to register the connector into it.
      </p>
    </div>
  );
}

/** The registry's host (and path, for registries served under one), never credentials a URL might carry. */
function registryHost(registry: string): string {
  try {
    const url = new URL(registry);
    return `${url.host}${url.pathname.replace(/\/$/, "")}`;
  } catch {
    return "the configured npm registry";
  }
}
