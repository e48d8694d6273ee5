// What every lockfile reader returns: the locked packages with their dev/direct flags and the paths that bring
// them in, plus what the root manifest declared (for the out-of-sync check).

export type LockfileFormat = "npm" | "pnpm" | "yarn" | "bun" | "uv" | "poetry" | "pip";
export type Ecosystem = "npm" | "pypi";

export const JS_LOCKFILE_FORMATS: ReadonlySet<LockfileFormat> = new Set(["npm", "pnpm", "yarn", "bun"]);

export interface LockedPackage {
  ecosystem: Ecosystem;
  /** The real package name (aliases resolved); Python names normalized per PEP 503. */
  name: string;
  version: string;
  /** Only reachable through dev dependencies. */
  dev: boolean;
  /** Only reachable through optional dependencies. */
  optional: boolean;
  /** Declared by the root manifest (or a workspace member). */
  direct: boolean;
  /** Up to MAX_PATHS shortest chains of package names from a direct dependency to this one (inclusive). */
  paths: string[][];
  /** npm lockfiles record packages that run install scripts. */
  hasInstallScript: boolean;
}

/** A dependency the root manifest declares, and the version the lockfile resolved it to (null: not in the lockfile). */
export interface RootDependency {
  name: string;
  spec: string;
  kind: "prod" | "dev" | "optional" | "peer";
  locked: string | null;
}

export interface ParsedLockfile {
  path: string;
  format: LockfileFormat;
  /** The format's own version marker ("3", "9.0", "v1", "berry 8"), for the report. */
  formatVersion: string;
  packages: LockedPackage[];
  /** What the root recorded in the lockfile itself declares, when the format records it (npm v2+, pnpm, Berry, bun, uv). */
  rootDependencies: RootDependency[] | null;
  /**
   * Every project the lockfile locks (the root "" and each workspace member, by folder relative to the lockfile) with
   * the version each declared dependency is locked at. Where the format doesn't record its projects (yarn classic,
   * npm v1), they come from the manifests. The out-of-sync check compares these with the package.json files.
   * Readers always set it; optional so hand-built values in tests stay short.
   */
  importers?: LockfileImporter[];
  /** Entries the reader could not use, with why (requirements.txt: unpinned, includes not followed, URLs). */
  skipped?: SkippedEntry[];
}

export interface LockfileImporter {
  /** Folder of the project's manifest relative to the lockfile's folder: "" for the root, "packages/server". */
  path: string;
  dependencies: RootDependency[];
}

export interface SkippedEntry {
  /** 1-based line in the lockfile, when the format is line-based. */
  line: number | null;
  /** What was skipped, shortened and without option values (an index URL may carry a token). */
  entry: string;
  reason: string;
}

/** A lockfile that could not be read: the scan reports it instead of crashing. */
export class UnparseableLockfileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`unparseable lockfile ${path}: ${reason}`);
    this.name = "UnparseableLockfileError";
  }
  get reason(): string {
    return this.message.slice(`unparseable lockfile ${this.path}: `.length);
  }
}

/** Bounds that keep a hostile lockfile from exhausting memory or time. */
export const LOCKFILE_LIMITS = {
  /** Characters of lockfile text read; larger files are reported unparseable. */
  maxChars: 32 * 1024 * 1024,
  /** Package entries in one lockfile. */
  maxEntries: 100_000,
  /** Dependency paths kept per package. */
  maxPaths: 5,
  /** Longest dependency path followed. */
  maxDepth: 64,
  /** Dependency edges in one lockfile: bounds the work a YAML alias or a shared object can multiply. */
  maxEdges: 1_000_000,
  /** Characters of a manifest (package.json, pyproject.toml) read beside a lockfile. */
  maxManifestChars: 4 * 1024 * 1024,
} as const;

/** The inputs a reader gets: the lockfile's text and, when present, the manifest beside it. */
export interface LockfileInput {
  path: string;
  text: string;
  /** package.json / pyproject.toml next to the lockfile, already parsed (null when absent or unreadable). */
  manifest: Record<string, unknown> | null;
  /**
   * The workspace members' package.json files the root manifest's `workspaces` globs match, by folder relative to
   * the lockfile. Yarn classic and npm v1 lockfiles don't record their workspaces, so readers learn them here.
   */
  workspaceManifests?: Array<{ path: string; manifest: Record<string, unknown> }>;
}
