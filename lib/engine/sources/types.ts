// What a scan reads from: a folder on this machine or a GitHub repository at a ref.
import type { ReportSource } from "@/lib/core/types";
import type { Snapshot, SnapshotLimits } from "../snapshot";
import type { NpmSourceSpec } from "./npm";

export type SourceSpec =
  | { kind: "local"; path: string; subdirectory?: string }
  | NpmSourceSpec
  | {
      kind: "github";
      /** "owner/repo" */
      repository: string;
      /** Branch, tag or commit; empty means the repository's default branch. */
      ref?: string | null;
      subdirectory?: string;
      /** Never logged, never stored in a report. */
      token?: string | null;
      /** Defaults to GITHUB_API_URL. */
      apiUrl?: string;
      /** Where a user fixes the token, for error messages: "on the connector page", "in GITHUB_TOKEN". */
      tokenHint?: string;
    };


export interface SourceResult {
  snapshot: Snapshot;
  source: ReportSource;
  githubRequests: number;
  /** Requests to the npm registry (npm sources). */
  registryRequests?: number;
}

/** Bounds on a downloaded archive, checked as it streams. */
export interface ArchiveLimits {
  /** The compressed download. */
  maxArchiveBytes: number;
  /** Everything the archive unpacks to, including files the snapshot skips: stops gzip bombs early. */
  maxUnpackedBytes: number;
  /** Entries of any kind (files, folders, links). */
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 100 * 1024 * 1024,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxEntries: 200_000,
};

/** Archive limits from the environment; entries scale with the file limit (folders and skipped files count too). */
export function archiveLimitsFromEnv(e: {
  LAUNCH_REVIEW_MAX_FILES: number;
  LAUNCH_REVIEW_MAX_ARCHIVE_BYTES: number;
  LAUNCH_REVIEW_MAX_UNPACKED_BYTES: number;
}): ArchiveLimits {
  return {
    maxArchiveBytes: e.LAUNCH_REVIEW_MAX_ARCHIVE_BYTES,
    maxUnpackedBytes: e.LAUNCH_REVIEW_MAX_UNPACKED_BYTES,
    maxEntries: Math.max(DEFAULT_ARCHIVE_LIMITS.maxEntries, e.LAUNCH_REVIEW_MAX_FILES * 10),
  };
}

export interface SourceOptions {
  limits: SnapshotLimits;
  archiveLimits?: ArchiveLimits;
  signal: AbortSignal;
  onProgress?: (files: number) => void;
  /** Called as soon as the ref is resolved, before the download, so the commit is recorded even if the scan fails. */
  onCommit?: (commit: string, ref: string) => void;
  /**
   * GitHub requests: `timeoutMs` is the idle deadline (no byte for that long), `totalTimeoutMs` the whole response's.
   * Tests also shorten retries against a local fake.
   */
  github?: { retryBaseDelayMs?: number; timeoutMs?: number; totalTimeoutMs?: number; retries?: number };
  /** Called between files read from a local folder; may block for a moment (ScanOptions.pace). */
  pace?: () => void;
}
