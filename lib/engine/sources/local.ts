// Reads a connector from a folder on this machine, under the same limits as GitHub archives.
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../core/errors";
import { SnapshotBuilder, isIgnoredFolderName, normalizeRepoPath } from "../snapshot";
import type { SourceOptions, SourceResult } from "./types";

/**
 * Resolves a folder a web user asked for, following symlinks, and refuses anything outside the allowed roots.
 * The check runs on the resolved path so a symlink inside a root can't lead out of it. Relative paths are taken
 * from the first root.
 */
export async function resolveFolderUnderRoot(input: string, roots: string | readonly string[]): Promise<string> {
  const allowed = typeof roots === "string" ? [roots] : roots;
  const realRoots = await Promise.all(allowed.map((r) => fs.realpath(r).catch(() => null)));
  const first = realRoots[0];
  if (!first) throw new AppError("config:local_root", `The configured local root (${allowed[0]}) does not exist.`);
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

/** Walks `folder` (joined with `subdirectory`) without following symlinks and builds a snapshot. */
export async function readLocalFolder(folder: string, subdirectory: string, options: SourceOptions): Promise<SourceResult> {
  const sub = subdirectory ? normalizeRepoPath(subdirectory) : "";
  if (sub === null) throw new AppError("invalid:subdirectory", `The subfolder "${subdirectory}" is not a relative path inside the folder.`);
  const root = path.resolve(folder, sub);
  await assertDirectory(root, sub ? path.join(folder, sub) : folder);

  const builder = new SnapshotBuilder(options.limits);
  const pending: string[] = [""];
  while (pending.length > 0) {
    options.signal.throwIfAborted();
    const relDir = pending.pop()!;
    const entries = await fs.readdir(path.join(root, relDir), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) builder.skip(rel, "symlink");
      else if (entry.isDirectory()) {
        if (!isIgnoredFolderName(entry.name)) pending.push(rel);
      } else if (entry.isFile()) await addFile(builder, path.join(root, rel), rel, options);
      else builder.skip(rel, "special-file");
    }
  }
  const snapshot = builder.build(null);
  return {
    snapshot,
    source: { kind: "local", repository: null, ref: null, commit: null, subdirectory: sub, path: folder },
    githubRequests: 0,
  };
}

async function addFile(builder: SnapshotBuilder, absolute: string, rel: string, options: SourceOptions): Promise<void> {
  if (builder.accepts(rel) === null) return;
  const stat = await fs.lstat(absolute);
  if (stat.size > options.limits.maxFileBytes) {
    builder.addOmitted(rel, stat.size, "too-large");
  } else {
    // Read at most the limit even if the file grew since lstat.
    const handle = await fs.open(absolute, "r");
    try {
      const buffer = Buffer.alloc(Math.min(stat.size, options.limits.maxFileBytes + 1));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      builder.add(rel, new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
    } finally {
      await handle.close();
    }
  }
  if (builder.fileCount % 200 === 0) options.onProgress?.(builder.fileCount);
}
