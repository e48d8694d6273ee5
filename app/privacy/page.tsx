import type { Metadata } from "next";
import { retentionDays } from "@/lib/retention";

export const metadata: Metadata = { title: "Privacy" };
export const dynamic = "force-dynamic";

export default async function PrivacyPage() {
  const days = await retentionDays();
  return (
    <article className="panel">
      <h1>Privacy and data retention</h1>
      <p>
        Launch Review reviews connector code for security problems. This page says what it stores, for how long, and how to have it deleted.
      </p>
      <h2>What is stored</h2>
      <ul>
        <li>
          <strong>Accounts</strong>: your name, email address, a scrypt hash of your password (never the password itself), your team
          memberships, and your active sessions (with the IP address and browser they came from).
        </li>
        <li>
          <strong>Connectors</strong>: the repository or folder each team registered, and for private repositories an access token,
          encrypted at rest (AES-256-GCM) and never shown again.
        </li>
        <li>
          <strong>Scan results</strong>: findings with short excerpts of the scanned code (secrets in them are redacted to their first four
          characters), the tools a connector declares, and its dependency versions. The code itself is read in memory and never stored.
        </li>
        <li>
          <strong>Reviews and the audit log</strong>: who decided, commented, waived or signed off what, and when. The audit log is
          append-only and holds ids rather than names.
        </li>
        <li>
          <strong>Security records</strong>: failed and successful sign-ins (email typed and IP address), lockouts and permission denials.
        </li>
      </ul>
      <h2>How long</h2>
      <p>
        Scans, findings and security records are kept for <strong>{days} days</strong> and then deleted automatically; each connector&apos;s
        latest successful scan is kept while the connector exists. Sessions end after a period of inactivity and at the latest a week after
        sign-in. Application logs never contain tokens, passwords, cookies or email addresses.
      </p>
      <h2>Deletion</h2>
      <p>
        Deleting a connector deletes its scans, findings, tools, reviews and token at once; the audit log keeps only the fact and the ids.
        To have your account or a connector deleted, ask your Launch Review administrator or your team&apos;s maintainer; requests are
        handled within 30 days.
      </p>
    </article>
  );
}
