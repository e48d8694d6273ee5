// Unpacks a GitHub .tar.gz into a SnapshotBuilder, in memory: nothing is written to disk, linked or executed.
// The archive is hostile until proven otherwise, so every size is counted as it streams, not taken from headers:
// the compressed download, the unpacked bytes (a gzip bomb stops at the limit), the entries, and each file.
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import type { ReadEntry } from "tar";
import { AppError } from "../../core/errors";
import { formatBytes, normalizeRepoPath, type SnapshotBuilder } from "../snapshot";
import type { ArchiveLimits } from "./types";

export interface UnpackOptions {
  builder: SnapshotBuilder;
  /** Only entries under this folder (relative to the repository root) are kept, with paths relative to it. */
  subdirectory: string;
  limits: ArchiveLimits;
  signal: AbortSignal;
  onProgress?: (files: number) => void;
  /** "acme/notes at 1a2b3c4", for messages. */
  describe: string;
}

export interface UnpackResult {
  compressedBytes: number;
  unpackedBytes: number;
  entries: number;
  /** The archive's single top-level folder (GitHub's `owner-repo-<sha7>`). */
  topFolder: string | null;
  /** Whether the requested subdirectory exists in the archive. */
  sawSubdirectory: boolean;
}

const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);
const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** A top-level folder name we accept: one plain path segment. */
function isPlainSegment(segment: string): boolean {
  return segment.length > 0 && segment.length <= 255 && segment !== "." && segment !== ".." && !/[\\:\0]/.test(segment);
}

function startsWith(chunk: Uint8Array, magic: number[]): boolean {
  return chunk.length >= magic.length && magic.every((b, i) => chunk[i] === b);
}

export function archiveTooLarge(describe: string, limit: number, variable: string, what: "download" | "unpacked"): AppError {
  const message =
    what === "download"
      ? `The archive of ${describe} is larger than the ${formatBytes(limit)} download limit. Scan a smaller repository, or raise ${variable}.`
      : `The archive of ${describe} unpacks to more than ${formatBytes(limit)} (a decompression bomb stops here too). Scan a subfolder of a smaller repository, or raise ${variable}.`;
  return new AppError("limit:archive", message, { limit });
}

/** Counts bytes through a stream and fails once there are more than `limit`. */
function byteCounter(limit: number, onCount: (n: number) => void, tooLarge: () => Error): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onCount(total);
      if (total > limit) callback(tooLarge());
      else callback(null, chunk);
    },
  });
}

export async function unpackTarball(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: UnpackOptions,
): Promise<UnpackResult> {
  const { builder, limits, describe } = options;
  const sub = options.subdirectory;
  const result: UnpackResult = { compressedBytes: 0, unpackedBytes: 0, entries: 0, topFolder: null, sawSubdirectory: sub === "" };
  let failure: unknown = undefined;
  const fail = (error: unknown) => {
    failure ??= error;
  };

  // tar is loaded by the scans that unpack an archive, not by every scan.
  const { Parser } = await import("tar");
  const parser = new Parser({ strict: true, brotli: false, zstd: false, maxMetaEntrySize: 64 * 1024 });
  parser.on("error", fail);
  parser.on("entry", (entry: ReadEntry) => {
    try {
      onEntry(entry);
    } catch (error) {
      fail(error);
      entry.resume();
    }
  });

  const onEntry = (entry: ReadEntry) => {
    result.entries += 1;
    if (result.entries > limits.maxEntries) {
      throw new AppError(
        "limit:archive_entries",
        `The archive of ${describe} has more than ${limits.maxEntries.toLocaleString("en-US")} entries. Scan a subfolder, or raise LAUNCH_REVIEW_MAX_FILES.`,
      );
    }
    const raw = entry.path;
    const slash = raw.indexOf("/");
    const top = slash === -1 ? raw : raw.slice(0, slash);
    const rest = slash === -1 ? "" : raw.slice(slash + 1);
    if (result.topFolder === null) {
      if (!isPlainSegment(top)) {
        throw new AppError("invalid:archive", `The archive of ${describe} does not have GitHub's layout (one top-level folder).`);
      }
      result.topFolder = top;
    }
    // Everything lives under the one top folder; anything else ("../x", "/etc/x", a second root) is refused.
    if (top !== result.topFolder) {
      builder.skip(raw, "unsafe-path");
      return entry.resume();
    }
    if (rest === "" || rest === "/") return entry.resume();

    let rel = rest;
    if (sub) {
      const normalized = normalizeRepoPath(rest);
      if (normalized === sub) {
        if (entry.type === "Directory") result.sawSubdirectory = true;
        return entry.resume();
      }
      if (normalized === null || !normalized.startsWith(`${sub}/`)) {
        if (normalized === null) builder.skip(rest, "unsafe-path");
        return entry.resume();
      }
      result.sawSubdirectory = true;
      rel = normalized.slice(sub.length + 1);
    }

    if (entry.type === "Directory") return entry.resume();
    if (entry.type === "SymbolicLink") {
      builder.skip(rel, "symlink");
      return entry.resume();
    }
    if (entry.type === "Link") {
      builder.skip(rel, "hard-link");
      return entry.resume();
    }
    if (!FILE_TYPES.has(entry.type)) {
      // Character and block devices, FIFOs, and GNU extensions: never opened, never created.
      builder.skip(rel, "special-file");
      return entry.resume();
    }
    readFile(entry, rel);
  };

  const readFile = (entry: ReadEntry, rel: string) => {
    if (builder.accepts(rel) === null) return entry.resume();
    const maxFile = builder.limits.maxFileBytes;
    if (entry.size > maxFile) {
      builder.addOmitted(rel, entry.size, "too-large");
      afterFile();
      return entry.resume();
    }
    // Collect at most the per-file limit, whatever the header claimed: a pax header can lie about sizes.
    const chunks: Buffer[] = [];
    let size = 0;
    entry.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxFile) chunks.push(chunk);
      else chunks.length = 0;
    });
    entry.on("end", () => {
      if (failure) return;
      try {
        if (size > maxFile) builder.addOmitted(rel, size, "too-large");
        else {
          // One copy out of the decompressor's buffers, then a view on it (a Uint8Array of a Buffer would copy again).
          const bytes = Buffer.concat(chunks, size);
          builder.add(rel, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        }
        afterFile();
      } catch (error) {
        fail(error);
      }
    });
  };

  const afterFile = () => {
    if (builder.fileCount % 200 === 0) options.onProgress?.(builder.fileCount);
  };

  const source =
    body instanceof ReadableStream ? Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>) : Readable.from(body);
  let first = true;
  // Settles when the parser has seen the end of the archive, or has failed (then `failure` says why).
  const parserDone = new Promise<void>((resolve) => {
    parser.on("end", resolve);
    parser.on("error", () => resolve());
    parser.on("abort", () => resolve());
  });
  try {
    await pipeline(
      source,
      byteCounter(
        limits.maxArchiveBytes,
        (n) => (result.compressedBytes = n),
        () => archiveTooLarge(describe, limits.maxArchiveBytes, "LAUNCH_REVIEW_MAX_ARCHIVE_BYTES", "download"),
      ),
      zlib.createGunzip({ chunkSize: 64 * 1024 }),
      byteCounter(
        limits.maxUnpackedBytes,
        (n) => (result.unpackedBytes = n),
        () => archiveTooLarge(describe, limits.maxUnpackedBytes, "LAUNCH_REVIEW_MAX_UNPACKED_BYTES", "unpacked"),
      ),
      async function intoParser(chunks: AsyncIterable<Buffer>) {
        try {
          await feedParser(chunks);
        } catch (error) {
          // pipeline() reports its own AbortError when a last stage throws; remember the real reason.
          fail(error);
          throw error;
        }
      },
      { signal: options.signal },
    );
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw asArchiveError(failure ?? error, describe);
  }
  return result;

  async function feedParser(chunks: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of chunks) {
      options.signal.throwIfAborted();
      if (first) {
        first = false;
        // tar's Parser would quietly decompress a second layer, outside the unpacked-size count: refuse it.
        if (startsWith(chunk, GZIP_MAGIC) || startsWith(chunk, ZSTD_MAGIC)) {
          throw new AppError("invalid:archive", `The archive of ${describe} is compressed twice; that is not how GitHub builds archives.`);
        }
      }
      parser.write(chunk);
      if (failure) throw failure;
    }
    parser.end();
    await parserDone;
    if (failure) throw failure;
  }
}

/** zlib and tar errors become "the archive is damaged"; our own AppErrors pass through. */
function asArchiveError(error: unknown, describe: string): unknown {
  if (error instanceof AppError) return error;
  const err = error as { code?: string; tarCode?: string; name?: string } | null;
  if (err?.code?.startsWith("Z_") || err?.tarCode || err?.code === "TAR_BAD_ARCHIVE") {
    return new AppError(
      "invalid:archive",
      `The archive of ${describe} is damaged or not a .tar.gz (${err.tarCode ?? err.code}). Scan again.`,
    );
  }
  return error;
}
