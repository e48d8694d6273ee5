// Rows of the scan page's summary: what the scan was pinned to (the commit of a GitHub repository, or the exact version
// and tarball integrity of an npm package, a tag such as "latest" resolved at scan time), and the submission file.
import type { ReportSource } from "@/lib/core/types";
import { SUBMISSION_FILE_NAME } from "@/lib/engine/submission/format";

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

/** The ChatGPT app submission file the scan generated: a download, with how much the team still has to fill in. */
export function SubmissionRow({ scanId, submission }: { scanId: number; submission: unknown }) {
  const file = submission as { tools?: Record<string, unknown>; launch_review?: { needs_input?: string[] } } | undefined;
  if (!file || typeof file !== "object") return null;
  const tools = Object.keys(file.tools ?? {}).length;
  const toFill = file.launch_review?.needs_input?.length ?? 0;
  return (
    <>
      <dt>Submission file</dt>
      <dd>
        <a className="mono" href={`/scans/${scanId}/${SUBMISSION_FILE_NAME}`} download={SUBMISSION_FILE_NAME} data-testid="submission-download">
          {SUBMISSION_FILE_NAME}
        </a>{" "}
        <span className="subtle">
          generated from the code: {tools} tool{tools === 1 ? "" : "s"} with hints and justifications
          {toFill > 0 ? `, ${toFill} field${toFill === 1 ? "" : "s"} to fill in before you upload it` : ""}
        </span>
      </dd>
    </>
  );
}
