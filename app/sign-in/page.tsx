import fs from "node:fs";
import path from "node:path";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { INITIAL_ADMIN_FILE } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { currentUser } from "../_server/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  // The session is resolved once per request; right after signing out (a server action that redirects here in the
  // same request) that answer is stale, but the cookie jar already lacks the session cookie.
  const signedIn = (await cookies()).getAll().some((c) => c.name.includes("session_token") && c.value !== "");
  if (signedIn && (await currentUser())) redirect("/");
  const next = (await searchParams).next;
  const adminFile = path.join(env().dataDir, INITIAL_ADMIN_FILE);
  const firstRun = fs.existsSync(/*turbopackIgnore: true*/ adminFile);
  return (
    <div className="panel auth-card">
      <h1>Sign in</h1>
      <p className="subtle">Accounts are created by invitation. Ask an administrator if you don&apos;t have one.</p>
      {firstRun ? (
        <p className="notice">
          First start? The administrator&apos;s email and password were printed in the server&apos;s output and saved to{" "}
          <code>{adminFile}</code>.
        </p>
      ) : null}
      <SignInForm next={typeof next === "string" ? next : "/"} />
    </div>
  );
}
