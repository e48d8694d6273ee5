// Reads a connector from a folder on this machine, under the same limits as GitHub archives.
import fsSync from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../core/errors";
import { SnapshotBuilder, isIgnoredFolderName, normalizeRepoPath } from "../snapshot";
import type { SourceOptions, SourceResult } from "./types";
import { compareText } from "@/lib/core/compare";

/**
 * Resolves a folder a web user asked for, following symlinks, and refuses anything outside the allowed roots.
 * The check runs on the resolved path so a symlink inside a root can't lead out of it. Relative paths are taken
 * from the first root.
 */
export async function resolveFolderUnderRoot(input: string, roots: string | readonly string[]): Promise<string> {
  const allowed = typeof roots === "string" ? [roots] : roots;
  const realRoots = await Promise.all(allowed.map((r) => fs.realpath(r).catch(() => null)));
  const first = realRoots[0];
  if (!first) throw new AppError("unavailable:local_sources", `The configured local root (${allowed[0]}) does not exist.`);
  const real = await fs.realpath(path.resolve(first, input)).catch(() => {
    throw new AppError("invalid:local_path", `No folder at "${input}" under the allowed root.`);
  });
  const inside = realRoots.some((root) => {
    if (!root) return false;
    const relative = path.relative(root, real);
    return !relative.startsWith("..") && !path.isAbsolute(relative);
  });
  if (!inside) {
    throw new AppError(
      "forbidden:local_path",
      `"${input}" is outside the allowed folder ${first}. The app only reads folders under LAUNCH_REVIEW_LOCAL_ROOT.`,
    );
  }
  await assertDirectory(real, input);
  return real;
}

async function assertDirectory(folder: string, shownAs: string): Promise<void> {
  const stat = await fs.stat(folder).catch(() => null);
  if (!stat) throw new AppError("invalid:local_path", `No folder at "${shownAs}".`);
  if (!stat.isDirectory()) throw new AppError("invalid:local_path", `"${shownAs}" is a file, not a folder.`);
}

/** Whether `inner` is `outer` or inside it (both real, absolute paths). */
function isInside(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * The real path of `folder` joined with `subdirectory`, which must stay inside `folder`'s real path: a subfolder that
 * is (or passes through) a symlink out of the folder is refused. The app calls this when a connector is registered and
 * again before every scan, so a link committed later can't lead out either.
 */
export async function resolveSubfolder(folder: string, subdirectory: string): Promise<string> {
  const sub = subdirectory ? normalizeRepoPath(subdirectory) : "";
  if (sub === null) throw new AppError("invalid:subdirectory", `The subfolder "${subdirectory}" is not a relative path inside the folder.`);
  const realFolder = await fs.realpath(folder).catch(() => {
    throw new AppError("invalid:local_path", `No folder at "${folder}".`);
  });
  const shownAs = sub ? path.join(folder, sub) : folder;
  const real = await fs.realpath(path.join(realFolder, sub)).catch(() => {
    throw new AppError("invalid:subdirectory", `No folder at "${shownAs}".`);
  });
  if (!isInside(realFolder, real)) {
    throw new AppError(
      "forbidden:subdirectory",
      `The subfolder "${sub}" leads outside the connector's folder (through a symbolic link), so it is not read.`,
    );
  }
  await assertDirectory(real, shownAs);
  return real;
}

/** Opens a file for reading without following a symlink in its last component (O_NOFOLLOW). */
const NOFOLLOW = fs.constants?.O_NOFOLLOW ?? 0;
/** And without blocking on a FIFO swapped in for a file. */
const NONBLOCK = fs.constants?.O_NONBLOCK ?? 0;

/**
 * Walks `folder` (joined with `subdirectory`) without following symlinks and builds a snapshot. The final folder is
 * resolved to its real path and must lie inside `folder`; every folder walked must be the real path it claims to be
 * (no link swapped in since it was listed), and files are opened with O_NOFOLLOW.
 */
export async function readLocalFolder(folder: string, subdirectory: string, options: SourceOptions): Promise<SourceResult> {
  const sub = subdirectory ? normalizeRepoPath(subdirectory) : "";
  if (sub === null) throw new AppError("invalid:subdirectory", `The subfolder "${subdirectory}" is not a relative path inside the folder.`);
  const root = await resolveSubfolder(folder, sub);

  const builder = new SnapshotBuilder(options.limits);
  const pending: string[] = [""];
  while (pending.length > 0) {
    options.signal.throwIfAborted();
    const relDir = pending.pop()!;
    const dir = path.join(root, relDir);
    if ((await fs.realpath(dir)) !== dir) {
      builder.skip(relDir, "symlink");
      continue;
    }
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => compareText(a.name, b.name));
    const files: string[] = [];
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) builder.skip(rel, "symlink");
      else if (entry.isDirectory()) {
        if (!isIgnoredFolderName(entry.name)) pending.push(rel);
      } else if (entry.isFile()) files.push(rel);
      else builder.skip(rel, "special-file");
    }
    // A folder's files are read in name order, each with blocking calls: the engine runs on a scan thread or in the
    // CLI, never on a thread that serves requests, and four awaited calls a file cost more than the reads themselves.
    for (const rel of files) {
      if (builder.accepts(rel) === null) continue;
      options.pace?.();
      const before = builder.fileCount;
      addRead(builder, rel, readFileBounded(path.join(root, rel), options.limits.maxFileBytes));
      if (builder.fileCount !== before && builder.fileCount % 200 === 0) options.onProgress?.(builder.fileCount);
    }
  }
  const snapshot = builder.build(null);
  return {
    snapshot,
    source: { kind: "local", repository: null, ref: null, commit: null, subdirectory: sub, path: folder },
    githubRequests: 0,
  };
}

type FileRead = { kind: "symlink" | "special-file" } | { kind: "too-large"; size: number } | { kind: "read"; bytes: Uint8Array };

/** One file, opened without following links and read up to the limit even if it grew since it was listed. */
function readFileBounded(absolute: string, maxBytes: number): FileRead {
  let fd: number;
  try {
    fd = fsSync.openSync(absolute, fsSync.constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (error) {
    // A file swapped for a symlink since the folder was listed fails to open (ELOOP) and is skipped as one.
    if ((error as NodeJS.ErrnoException).code === "ELOOP") return { kind: "symlink" };
    throw error;
  }
  try {
    const stat = fsSync.fstatSync(fd);
    if (!stat.isFile()) return { kind: "special-file" };
    if (stat.size > maxBytes) return { kind: "too-large", size: stat.size };
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes + 1));
    const bytesRead = fsSync.readSync(fd, buffer, 0, buffer.length, 0);
    return { kind: "read", bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead) };
  } finally {
    fsSync.closeSync(fd);
  }
}

function addRead(builder: SnapshotBuilder, rel: string, read: FileRead): void {
  if (read.kind === "read") builder.add(rel, read.bytes);
  else if (read.kind === "too-large") builder.addOmitted(rel, read.size, "too-large");
  else builder.skip(rel, read.kind);
}
