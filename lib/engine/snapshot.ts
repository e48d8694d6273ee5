// The in-memory copy of a repository that checks read: bounded, never written to disk, never executed.
import { createHash } from "node:crypto";
import path from "node:path";
import { AppError } from "../core/errors";

export interface SnapshotLimits {
  maxFiles: number;
  maxTotalBytes: number;
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: SnapshotLimits = {
  maxFiles: 20_000,
  maxTotalBytes: 256 * 1024 * 1024,
  maxFileBytes: 8 * 1024 * 1024,
};

/** Why a file's content is not available to checks. */
export type OmittedReason = "too-large" | "binary";

export interface SnapshotFile {
  path: string;
  size: number;
  /** Content, or empty when `omitted` says why not. */
  bytes: Uint8Array;
  omitted?: OmittedReason;
}

export interface SkippedEntry {
  path: string;
  reason: "ignored-folder" | "symlink" | "hard-link" | "special-file" | "unsafe-path" | "skipped-by-config";
  /** For files skipped by the repository's launch-review.yml: the reason it gives. */
  detail?: string;
}

/** Folders that hold installed, generated or VCS content rather than the connector's own source. */
const IGNORED_FOLDERS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  ".next",
  ".nuxt",
  ".turbo",
  ".vercel",
  ".cache",
  "dist",
  "build",
  "out",
  "coverage",
  ".venv",
  "venv",
  "__pycache__",
  ".mypy_cache",
  ".pytest_cache",
  ".tox",
]);

const BINARY_EXTENSIONS = new Set([
  ".png",
  ".jpg",
  ".jpeg",
  ".gif",
  ".webp",
  ".avif",
  ".ico",
  ".bmp",
  ".tiff",
  ".psd",
  ".woff",
  ".woff2",
  ".ttf",
  ".otf",
  ".eot",
  ".pdf",
  ".zip",
  ".gz",
  ".tgz",
  ".bz2",
  ".xz",
  ".7z",
  ".rar",
  ".jar",
  ".war",
  ".class",
  ".exe",
  ".dll",
  ".so",
  ".dylib",
  ".node",
  ".wasm",
  ".pyc",
  ".pyo",
  ".mp3",
  ".mp4",
  ".mov",
  ".webm",
  ".wav",
  ".ogg",
  ".sqlite",
  ".db",
  ".bin",
  ".dat",
  ".p12",
  ".pfx",
  ".jks",
]);

export class SnapshotLimitError extends AppError {
  constructor(message: string, details: Record<string, unknown>) {
    super("limit:snapshot", message, details);
  }
}

/** Normalizes a repository-relative path; null when it escapes the root or is otherwise unsafe. */
export function normalizeRepoPath(raw: string): string | null {
  if (raw.length === 0 || raw.length > 4096 || raw.includes("\0")) return null;
  const slashed = raw.replace(/\\/g, "/");
  if (slashed.startsWith("/") || /^[a-zA-Z]:/.test(slashed)) return null;
  const normalized = path.posix.normalize(slashed);
  if (normalized === "." || normalized === ".." || normalized.startsWith("../")) return null;
  return normalized.replace(/\/+$/, "");
}

/** True when a path lies in a folder whose content is never the connector's own source. */
export function isIgnoredPath(repoPath: string): boolean {
  return repoPath.split("/").some((segment, i, all) => i < all.length - 1 && IGNORED_FOLDERS.has(segment));
}

export function isIgnoredFolderName(name: string): boolean {
  return IGNORED_FOLDERS.has(name);
}

function looksBinary(repoPath: string, bytes: Uint8Array): boolean {
  if (BINARY_EXTENSIONS.has(path.posix.extname(repoPath).toLowerCase())) return true;
  const probe = bytes.subarray(0, 8192);
  return probe.includes(0);
}

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

export class Snapshot {
  readonly #files: Map<string, SnapshotFile>;
  readonly #text = new Map<string, string>();

  constructor(
    files: Map<string, SnapshotFile>,
    readonly commit: string | null,
    readonly skipped: readonly SkippedEntry[],
    readonly totalBytes: number,
  ) {
    this.#files = files;
  }

  get fileCount(): number {
    return this.#files.size;
  }

  paths(): string[] {
    return [...this.#files.keys()].sort();
  }

  get(repoPath: string): SnapshotFile | undefined {
    return this.#files.get(repoPath);
  }

  files(): IterableIterator<SnapshotFile> {
    return this.#files.values();
  }

  /** Files kept without content (binary or too large), so reports can say what was not read. */
  omitted(): SnapshotFile[] {
    return [...this.#files.values()].filter((f) => f.omitted);
  }

  /** UTF-8 text of a file; null when absent, binary or too large. Decoded once, then cached. */
  text(repoPath: string): string | null {
    const cached = this.#text.get(repoPath);
    if (cached !== undefined) return cached;
    const file = this.#files.get(repoPath);
    if (!file || file.omitted) return null;
    const value = decoder.decode(file.bytes);
    this.#text.set(repoPath, value);
    return value;
  }

  /**
   * A short digest of every file (content for text, size and kind for omitted files), to tell later which files a
   * new commit changed.
   */
  digests(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.paths()) {
      const file = this.#files.get(p)!;
      const h = createHash("sha256");
      if (file.omitted) h.update(`${file.omitted}:${file.size}`);
      else h.update(file.bytes);
      out[p] = h.digest("hex").slice(0, 16);
    }
    return out;
  }

  /** One hash of the whole file set: stands in for a commit SHA when the source is a local folder. */
  contentHash(digests: Record<string, string> = this.digests()): string {
    const h = createHash("sha256");
    for (const [p, d] of Object.entries(digests)) h.update(`${p}\0${d}\n`);
    return h.digest("hex");
  }

  /**
   * The same snapshot without the files `skip` names (with the reason it gives, listed in `skipped`): how a
   * repository's launch-review.yml keeps documentation dumps and examples out of the scan.
   */
  without(skip: (repoPath: string) => string | null): Snapshot {
    const kept = new Map<string, SnapshotFile>();
    const skipped: SkippedEntry[] = [...this.skipped];
    let bytes = 0;
    for (const [p, f] of this.#files) {
      const reason = skip(p);
      if (reason === null) {
        kept.set(p, f);
        if (!f.omitted) bytes += f.size;
      } else if (skipped.length < 1000) skipped.push({ path: p, reason: "skipped-by-config", detail: reason.slice(0, 300) });
    }
    return new Snapshot(kept, this.commit, skipped, bytes);
  }

  /** Paths matching a predicate on the path, sorted. */
  find(predicate: (repoPath: string) => boolean): string[] {
    return this.paths().filter(predicate);
  }

  /** Paths whose base name is one of `names`, sorted. */
  findByName(...names: string[]): string[] {
    const wanted = new Set(names);
    return this.find((p) => wanted.has(path.posix.basename(p)));
  }

  /** Paths with one of the given extensions (".ts"), sorted. */
  findByExtension(...extensions: string[]): string[] {
    const wanted = new Set(extensions);
    return this.find((p) => wanted.has(path.posix.extname(p).toLowerCase()));
  }
}

/** Collects files under the limits; sources feed it and call `build()`. */
export class SnapshotBuilder {
  readonly #files = new Map<string, SnapshotFile>();
  readonly #skipped: SkippedEntry[] = [];
  #totalBytes = 0;

  constructor(readonly limits: SnapshotLimits = DEFAULT_LIMITS) {}

  get fileCount(): number {
    return this.#files.size;
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  skip(rawPath: string, reason: SkippedEntry["reason"]): void {
    // Bounded so a hostile archive of a million symlinks can't grow this list without end.
    if (this.#skipped.length < 1000) this.#skipped.push({ path: rawPath.slice(0, 512), reason });
  }

  /**
   * Whether a file of `size` bytes at `rawPath` would be kept with content: lets sources avoid reading
   * bytes they will throw away. Returns the normalized path, or null when the entry is skipped.
   */
  accepts(rawPath: string): string | null {
    const repoPath = normalizeRepoPath(rawPath);
    if (repoPath === null) {
      this.skip(rawPath, "unsafe-path");
      return null;
    }
    if (isIgnoredPath(repoPath)) return null;
    return repoPath;
  }

  /** Adds a file whose content was too large to read; it still counts as a file. */
  addOmitted(rawPath: string, size: number, reason: OmittedReason): void {
    const repoPath = this.accepts(rawPath);
    if (repoPath === null) return;
    this.#put({ path: repoPath, size, bytes: new Uint8Array(0), omitted: reason });
  }

  add(rawPath: string, bytes: Uint8Array): void {
    const repoPath = this.accepts(rawPath);
    if (repoPath === null) return;
    if (bytes.byteLength > this.limits.maxFileBytes) {
      this.#put({ path: repoPath, size: bytes.byteLength, bytes: new Uint8Array(0), omitted: "too-large" });
      return;
    }
    if (looksBinary(repoPath, bytes)) {
      this.#put({ path: repoPath, size: bytes.byteLength, bytes: new Uint8Array(0), omitted: "binary" });
      return;
    }
    if (this.#totalBytes + bytes.byteLength > this.limits.maxTotalBytes) {
      throw new SnapshotLimitError(
        `The repository's text files exceed the ${formatBytes(this.limits.maxTotalBytes)} limit. Scan a subfolder, or raise LAUNCH_REVIEW_MAX_TOTAL_BYTES.`,
        { limit: this.limits.maxTotalBytes },
      );
    }
    this.#totalBytes += bytes.byteLength;
    this.#put({ path: repoPath, size: bytes.byteLength, bytes });
  }

  #put(file: SnapshotFile): void {
    if (!this.#files.has(file.path) && this.#files.size >= this.limits.maxFiles) {
      throw new SnapshotLimitError(
        `The repository has more than ${this.limits.maxFiles.toLocaleString("en-US")} files. Scan a subfolder, or raise LAUNCH_REVIEW_MAX_FILES.`,
        { limit: this.limits.maxFiles },
      );
    }
    const previous = this.#files.get(file.path);
    if (previous && !previous.omitted) this.#totalBytes -= previous.size;
    this.#files.set(file.path, file);
  }

  build(commit: string | null): Snapshot {
    return new Snapshot(new Map(this.#files), commit, [...this.#skipped], this.#totalBytes);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/** Limits from the environment, for the app and the CLI. */
export function limitsFromEnv(e: {
  LAUNCH_REVIEW_MAX_FILES: number;
  LAUNCH_REVIEW_MAX_TOTAL_BYTES: number;
  LAUNCH_REVIEW_MAX_FILE_BYTES: number;
}): SnapshotLimits {
  return {
    maxFiles: e.LAUNCH_REVIEW_MAX_FILES,
    maxTotalBytes: e.LAUNCH_REVIEW_MAX_TOTAL_BYTES,
    maxFileBytes: e.LAUNCH_REVIEW_MAX_FILE_BYTES,
  };
}
