// Builds .tar.gz archives in memory with tar's own header encoder, including the hostile kinds a real packer would
// refuse to write: "../" and absolute names, links, devices, FIFOs, lying sizes, and gigabytes of zeros.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { Header, Pax, type HeaderData } from "tar";

export type TarEntry =
  | { path: string; type?: "File"; content: string | Uint8Array }
  /** A file of `size` bytes of `fill`, generated while compressing (never held in memory). */
  | { path: string; type: "ZeroFile"; size: number; fill?: number }
  | { path: string; type: "Directory" }
  | { path: string; type: "SymbolicLink" | "Link"; linkpath: string }
  | { path: string; type: "CharacterDevice" | "BlockDevice" | "FIFO" };

export interface TarOptions {
  /** Prepended to every entry's path ("acme-notes-1a2b3c4/"), unless the entry path is marked raw with a leading "!". */
  prefix?: string;
  /** A pax global header comment, as GitHub writes the commit SHA there. */
  comment?: string;
  /** gzip level; 1 is plenty for tests. */
  level?: number;
}

const BLOCK = 512;
const MTIME = new Date("2026-01-01T00:00:00Z");

function headerBlocks(data: HeaderData): Buffer {
  const block = Buffer.alloc(BLOCK);
  const header = new Header(data);
  const needPax = header.encode(block);
  if (!needPax) return block;
  // Long names go in a pax extended header before the entry, as tar does.
  const pax = new Pax({ path: data.path, linkpath: data.linkpath, mtime: MTIME }).encode();
  return Buffer.concat([pax, block]);
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

function* tarChunks(entries: TarEntry[], options: TarOptions): Generator<Buffer> {
  if (options.comment) yield new Pax({ comment: options.comment, mtime: MTIME }, true).encode();
  for (const entry of entries) {
    const name = entry.path.startsWith("!") ? entry.path.slice(1) : `${options.prefix ?? ""}${entry.path}`;
    const base = { path: name, mode: 0o644, uid: 0, gid: 0, mtime: MTIME, uname: "", gname: "" };
    switch (entry.type) {
      case undefined:
      case "File": {
        const bytes = typeof entry.content === "string" ? Buffer.from(entry.content) : Buffer.from(entry.content);
        yield headerBlocks({ ...base, type: "File", size: bytes.length });
        yield bytes;
        yield padding(bytes.length);
        break;
      }
      case "ZeroFile": {
        yield headerBlocks({ ...base, type: "File", size: entry.size });
        const chunk = Buffer.alloc(1024 * 1024, entry.fill ?? 0);
        for (let left = entry.size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
        yield padding(entry.size);
        break;
      }
      case "Directory":
        yield headerBlocks({ ...base, mode: 0o755, type: "Directory", size: 0 });
        break;
      case "SymbolicLink":
      case "Link":
        yield headerBlocks({ ...base, type: entry.type, size: 0, linkpath: entry.linkpath });
        break;
      default:
        yield headerBlocks({ ...base, type: entry.type, size: 0 });
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** The uncompressed tar. */
export function tarBuffer(entries: TarEntry[], options: TarOptions = {}): Buffer {
  return Buffer.concat([...tarChunks(entries, options)]);
}

/** The .tar.gz, compressed as it is generated so a gigabyte of zeros never sits in memory. */
export async function tarGz(entries: TarEntry[], options: TarOptions = {}): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(tarChunks(entries, options)), zlib.createGzip({ level: options.level ?? 1 }), async function (chunks) {
    for await (const chunk of chunks) out.push(chunk as Buffer);
  });
  return Buffer.concat(out);
}

/** Files of a fixture folder, recursively, as repository paths to contents. */
export function filesFromFolder(folder: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relPath);
      else if (entry.isFile()) files[relPath] = fs.readFileSync(path.join(dir, entry.name));
    }
  };
  walk(folder, "");
  return files;
}

/** A stable, content-derived commit SHA for a fixture: same files, same SHA. */
export function commitShaFor(files: Record<string, string | Uint8Array>, salt = ""): string {
  const hash = createHash("sha1").update(`fixture-commit\0${salt}\0`);
  for (const name of Object.keys(files).sort()) {
    hash.update(name).update("\0").update(files[name]!).update("\0");
  }
  return hash.digest("hex");
}

/** Entries for a repository as GitHub archives it: folders first-seen, then files, all under `prefix`. */
export function repositoryEntries(files: Record<string, string | Uint8Array>): TarEntry[] {
  const entries: TarEntry[] = [{ path: "", type: "Directory" }];
  const seen = new Set<string>();
  for (const name of Object.keys(files).sort()) {
    const parts = name.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join("/")}/`;
      if (!seen.has(dir)) {
        seen.add(dir);
        entries.push({ path: dir, type: "Directory" });
      }
    }
    entries.push({ path: name, content: files[name]! });
  }
  return entries;
}
