// How a connector's source reads on its page: where the code comes from, what "Scan now" resolves first, and, for
// GitHub and npm, that a rescan found the same commit or version as the scan before it.
import type { Connector } from "@/db/schema";
import { shortSha } from "../../ui/format";

/** The source as one line: a folder, github:owner/repo@ref, or npm:name@version. */
export function sourceLine(connector: Pick<Connector, "sourceKind" | "location" | "ref" | "subdirectory">): string {
  const at = connector.ref ? `@${connector.ref}` : "";
  const where =
    connector.sourceKind === "github"
      ? `github:${connector.location}${at}`
      : connector.sourceKind === "npm"
        ? `npm:${connector.location}${at || " (latest)"}`
        : connector.location;
  return connector.subdirectory ? `${where} / ${connector.subdirectory}` : where;
}

/** What a scan resolves before it reads anything; nothing for a local folder. */
export function scanHint(connector: Pick<Connector, "sourceKind" | "ref">): string | null {
  if (connector.sourceKind === "github") return `Resolves ${connector.ref ? `“${connector.ref}”` : "the default branch"} to its latest commit first.`;
  if (connector.sourceKind === "npm") return `Resolves ${connector.ref ? `“${connector.ref}”` : "the latest release"} to an exact version first.`;
  return null;
}

/** The package the latest scan read, with the integrity its tarball was checked against. */
export function ScannedPackage({ pkg, scanId }: { pkg: { name: string; version: string; integrity: string }; scanId: number }) {
  return (
    <p className="subtle" data-testid="scanned-package">
      Scan #{scanId} read{" "}
      <span className="mono">
        {pkg.name}@{pkg.version}
      </span>
      , integrity{" "}
      <span className="mono" title={pkg.integrity}>
        {shortIntegrity(pkg.integrity)}
      </span>
    </p>
  );
}

/** "sha512-AbCd…wxyz==": enough to tell two tarballs apart at a glance; the whole value is in the title. */
export function shortIntegrity(integrity: string): string {
  return integrity.length > 32 ? `${integrity.slice(0, 20)}…${integrity.slice(-8)}` : integrity;
}

/** "No new commits" or "No new version": the rescan pinned what the scan before it pinned. */
export function UnchangedNotice({
  connector,
  unchanged,
}: {
  connector: Pick<Connector, "sourceKind" | "ref">;
  unchanged: { commit: string; previousScanId: number };
}) {
  if (connector.sourceKind === "npm") {
    return (
      <p className="notice" role="note" data-testid="commit-unchanged">
        No new version: {connector.ref ? `“${connector.ref}”` : "the latest release"} is still{" "}
        <span className="mono">{unchanged.commit}</span>, the version scan #{unchanged.previousScanId} already read.
      </p>
    );
  }
  return (
    <p className="notice" role="note" data-testid="commit-unchanged">
      No new commits: {connector.ref ? `“${connector.ref}”` : "the default branch"} is still at{" "}
      <span className="mono">{shortSha(unchanged.commit)}</span>, the commit scan #{unchanged.previousScanId} already read.
    </p>
  );
}
