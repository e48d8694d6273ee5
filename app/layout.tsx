import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Launch Review", template: "%s · Launch Review" },
  description: "Pre-launch security review for ChatGPT apps and MCP connectors.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <div className="inner">
            <Link href="/" className="brand">
              Launch Review
            </Link>
            <nav aria-label="Main">
              <Link href="/">Connectors</Link>
              <Link href="/connectors/new">Register a connector</Link>
            </nav>
          </div>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
