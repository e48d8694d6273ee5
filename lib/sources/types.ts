// What a scan reads from: a folder on this machine or a GitHub repository at a ref.
import type { Snapshot, SnapshotLimits } from "../snapshot";

export type SourceSpec =
  | { kind: "local"; path: string; subdirectory?: string }
  | { kind: "github"; repository: string; ref?: string | null; subdirectory?: string; token?: string | null; apiUrl?: string };

/** The `source` block of the report. */
export interface ReportSource {
  kind: "local" | "github";
  repository: string | null;
  ref: string | null;
  commit: string | null;
  /** Hash of every scanned file: identifies a local folder's state the way a commit does for git. */
  contentHash?: string;
  subdirectory: string;
  /** Local folder path, for local sources. */
  path?: string;
  /** Web URL of the repository, for links to files at the commit. */
  webUrl?: string;
}

export interface SourceResult {
  snapshot: Snapshot;
  source: ReportSource;
  githubRequests: number;
}

export interface SourceOptions {
  limits: SnapshotLimits;
  signal: AbortSignal;
  onProgress?: (files: number) => void;
}
