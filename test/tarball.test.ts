// The in-memory unpacker on its own: limits are counted as bytes stream, not read from headers, and it stops early.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { fileUrl } from "@/lib/engine/report/links";
import { renderMarkdown } from "@/lib/engine/report/markdown";
import { runScan } from "@/lib/engine/scan";
import { DEFAULT_LIMITS, SnapshotBuilder } from "@/lib/engine/snapshot";
import { unpackTarball } from "@/lib/engine/sources/tarball";
import { DEFAULT_ARCHIVE_LIMITS } from "@/lib/engine/sources/types";
import { NOTES_REPO, startFixtureGitHub } from "./support/github-fixtures";
import { tarGz, type TarEntry } from "./support/tar-builder";

/** Feeds `archive` in 16 KB chunks and counts how much of it the unpacker pulled. */
function chunked(archive: Buffer) {
  const stats = { pulled: 0 };
  async function* source() {
    for (let offset = 0; offset < archive.length; offset += 16 * 1024) {
      const chunk = archive.subarray(offset, offset + 16 * 1024);
      stats.pulled += chunk.length;
      yield chunk;
    }
  }
  return { source: source(), stats };
}

function unpack(body: AsyncIterable<Uint8Array>, limits: Partial<typeof DEFAULT_ARCHIVE_LIMITS> = {}, builder = new SnapshotBuilder()) {
  return unpackTarball(body, {
    builder,
    subdirectory: "",
    limits: { ...DEFAULT_ARCHIVE_LIMITS, ...limits },
    signal: new AbortController().signal,
    describe: "acme/x at 1234567",
  });
}

const top = "acme-x-1234567/";

describe("unpackTarball", () => {
  it("stops reading a gzip bomb as soon as the unpacked size passes the limit", async () => {
    const bomb = await tarGz(
      [
        { path: "", type: "Directory" },
        { path: "zeros", type: "ZeroFile", size: 1024 * 1024 * 1024 },
      ],
      { prefix: top },
    );
    const { source, stats } = chunked(bomb);
    const error = await unpack(source, { maxUnpackedBytes: 4 * 1024 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("limit:archive");
    // 1 GiB of zeros is about 1 MB compressed; the unpacker stopped after a small part of it.
    expect(bomb.length).toBeGreaterThan(500 * 1024);
    expect(stats.pulled).toBeLessThan(bomb.length / 4);
  });

  it("counts the compressed download as it streams, with no Content-Length to trust", async () => {
    const entries: TarEntry[] = [{ path: "", type: "Directory" }];
    for (let i = 0; i < 40; i++) entries.push({ path: `f${i}.txt`, content: `${i}`.repeat(5000) + Math.random() });
    const archive = await tarGz(entries, { prefix: top });
    const { source, stats } = chunked(archive);
    const error = (await unpack(source, { maxArchiveBytes: 1024 }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("limit:archive");
    expect(error.message).toContain("download limit");
    expect(stats.pulled).toBeLessThanOrEqual(32 * 1024);
  });

  it("reports what it read: sizes, entries and the top folder", async () => {
    const archive = await tarGz(
      [
        { path: "", type: "Directory" },
        { path: "a.ts", content: "export {};" },
      ],
      { prefix: top, comment: "c".repeat(40) },
    );
    const builder = new SnapshotBuilder(DEFAULT_LIMITS);
    const result = await unpack(chunked(archive).source, {}, builder);
    expect(result).toMatchObject({ topFolder: "acme-x-1234567", entries: 2, compressedBytes: archive.length, sawSubdirectory: true });
    expect(builder.build(null).text("a.ts")).toBe("export {};");
  });

  it("never touches the disk or starts a process: the source modules import neither", () => {
    for (const file of ["lib/engine/sources/tarball.ts", "lib/engine/sources/github.ts", "lib/engine/github/client.ts"]) {
      const code = fs.readFileSync(path.resolve(file), "utf8");
      expect(code).not.toMatch(/from "node:(fs|child_process|worker_threads)|from "(fs|child_process)"|require\(/);
    }
  });
});

describe("links to GitHub", () => {
  it("builds blob links at the commit, with the subfolder put back in front", () => {
    expect(fileUrl("https://github.com/acme/notes", "a".repeat(40), "src/a b.ts", 7, "servers/notes")).toBe(
      `https://github.com/acme/notes/blob/${"a".repeat(40)}/servers/notes/src/a%20b.ts#L7`,
    );
    expect(fileUrl("https://github.com/acme/notes", null, "a.ts", 1)).toBeNull();
    expect(fileUrl("javascript:alert(1)//", "a".repeat(40), "a.ts", 1)).toBeNull();
  });

  it("puts them in the Markdown report", async () => {
    const { github, heads } = await startFixtureGitHub();
    try {
      const report = await runScan(
        { kind: "github", repository: NOTES_REPO, subdirectory: "servers/notes", apiUrl: github.apiUrl },
        { github: { retryBaseDelayMs: 5 } },
      );
      expect(report.stats.githubRequests).toBe(3);
      expect(renderMarkdown(report)).toContain(
        `- Location: [\`.env:2\`](<https://github.com/${NOTES_REPO}/blob/${heads.main}/servers/notes/.env#L2>)`,
      );
    } finally {
      await github.close();
    }
  });
});
