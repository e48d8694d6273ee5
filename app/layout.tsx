import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "./account/actions";
import { currentUser } from "./_server/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Launch Review", template: "%s · Launch Review" },
  description: "Pre-launch security review for ChatGPT apps and MCP connectors.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <div className="inner">
            <Link href="/" className="brand">
              Launch Review
            </Link>
            <nav aria-label="Main">
              {user ? (
                <>
                  <Link href="/">Connectors</Link>
                  <Link href="/connectors/new">Register a connector</Link>
                  <Link href="/teams">Teams</Link>
                  {user.isAdmin ? <Link href="/admin">Admin</Link> : null}
                </>
              ) : null}
              <Link href="/privacy">Privacy</Link>
            </nav>
            {user ? (
              <div className="who">
                <Link href="/account">{user.email}</Link>
                <form action={signOutAction} className="inline-form">
                  <button type="submit">Sign out</button>
                </form>
              </div>
            ) : null}
          </div>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
