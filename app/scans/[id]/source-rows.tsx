// What a scan was pinned to, in the scan page's summary: the commit of a GitHub repository, or the exact version and
// tarball integrity of an npm package (a tag such as "latest" resolved at scan time).
import type { ReportSource } from "@/lib/core/types";

export function CommitRow({ src }: { src: ReportSource }) {
  return (
    <>
      <dt>Commit</dt>
      <dd className="mono" title={src.commit ?? undefined} data-testid="scan-commit">
        {src.commit && src.webUrl ? (
          <a href={`${src.webUrl}/commit/${src.commit}`} target="_blank" rel="noreferrer noopener">
            {src.commit}
          </a>
        ) : src.commit ? (
          src.commit
        ) : (
          "not a git commit (local folder)"
        )}
      </dd>
    </>
  );
}

export function PackageRows({ pkg, webUrl }: { pkg: NonNullable<ReportSource["package"]>; webUrl?: string }) {
  return (
    <>
      <dt>Package</dt>
      <dd className="mono" data-testid="scan-package">
        {webUrl && /^https:\/\//.test(webUrl) ? (
          <a href={webUrl} target="_blank" rel="noreferrer noopener">
            {pkg.name}@{pkg.version}
          </a>
        ) : (
          `${pkg.name}@${pkg.version}`
        )}
      </dd>
      <dt>Integrity</dt>
      <dd className="mono" data-testid="scan-integrity">
        {pkg.integrity}
      </dd>
    </>
  );
}
