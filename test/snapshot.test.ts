import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { normalizeRepoPath, SnapshotBuilder, SnapshotLimitError } from "@/lib/engine/snapshot";
import { readLocalFolder, resolveFolderUnderRoot, resolveSubfolder } from "@/lib/engine/sources/local";

const enc = (s: string) => new TextEncoder().encode(s);
const limits = { maxFiles: 3, maxTotalBytes: 100, maxFileBytes: 40 };

describe("SnapshotBuilder", () => {
  it("keeps text files with content and counts them", () => {
    const b = new SnapshotBuilder(limits);
    b.add("src/a.ts", enc("export const a = 1;"));
    const s = b.build("abc");
    expect(s.fileCount).toBe(1);
    expect(s.text("src/a.ts")).toBe("export const a = 1;");
    expect(s.commit).toBe("abc");
  });

  it("keeps a file over the per-file limit as a counted entry without content", () => {
    const b = new SnapshotBuilder(limits);
    b.add("big.js", enc("x".repeat(41)));
    const s = b.build(null);
    expect(s.fileCount).toBe(1);
    expect(s.text("big.js")).toBeNull();
    expect(s.omitted()).toEqual([expect.objectContaining({ path: "big.js", omitted: "too-large", size: 41 })]);
    expect(s.totalBytes).toBe(0);
  });

  it("treats files with NUL bytes or binary extensions as binary", () => {
    const b = new SnapshotBuilder(limits);
    b.add("x.js", new Uint8Array([0x61, 0x00, 0x62]));
    b.add("logo.png", enc("not really"));
    const s = b.build(null);
    expect(s.omitted().map((f) => [f.path, f.omitted])).toEqual([
      ["x.js", "binary"],
      ["logo.png", "binary"],
    ]);
  });

  it("fails with a clear error past the file-count limit", () => {
    const b = new SnapshotBuilder(limits);
    for (const n of ["a", "b", "c"]) b.add(n, enc(n));
    expect(() => b.add("d", enc("d"))).toThrowError(SnapshotLimitError);
    expect(() => b.add("d", enc("d"))).toThrowError(/more than 3 files/);
  });

  it("fails with a clear error past the total-size limit", () => {
    const b = new SnapshotBuilder({ ...limits, maxFiles: 10 });
    b.add("a", enc("a".repeat(40)));
    b.add("b", enc("b".repeat(40)));
    expect(() => b.add("c", enc("c".repeat(40)))).toThrowError(/exceed the 100 bytes limit/);
  });

  it("skips installed and generated folders without counting them", () => {
    const b = new SnapshotBuilder(limits);
    b.add("node_modules/x/index.js", enc("x"));
    b.add(".git/config", enc("x"));
    b.add("dist/server.js", enc("x"));
    b.add("src/index.ts", enc("x"));
    expect(b.build(null).paths()).toEqual(["src/index.ts"]);
  });

  it("refuses paths that escape the root", () => {
    const b = new SnapshotBuilder(limits);
    b.add("../etc/passwd", enc("x"));
    b.add("/abs", enc("x"));
    b.add("a/../../b", enc("x"));
    const s = b.build(null);
    expect(s.fileCount).toBe(0);
    expect(s.skipped.map((e) => e.reason)).toEqual(["unsafe-path", "unsafe-path", "unsafe-path"]);
  });

  it("normalizes paths", () => {
    expect(normalizeRepoPath("a\\b/./c")).toBe("a/b/c");
    expect(normalizeRepoPath("a/b/../c")).toBe("a/c");
    expect(normalizeRepoPath("C:/x")).toBeNull();
    expect(normalizeRepoPath("a\0b")).toBeNull();
  });
});

describe("local folders", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lr-local-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const opts = () => ({ limits: { maxFiles: 100, maxTotalBytes: 10_000, maxFileBytes: 1000 }, signal: new AbortController().signal });

  it("reads files, skips node_modules and never follows symlinks", async () => {
    fs.mkdirSync(path.join(root, "repo/src"), { recursive: true });
    fs.mkdirSync(path.join(root, "repo/node_modules/x"), { recursive: true });
    fs.writeFileSync(path.join(root, "repo/src/a.ts"), "a");
    fs.writeFileSync(path.join(root, "repo/node_modules/x/i.js"), "x");
    fs.writeFileSync(path.join(root, "outside.txt"), "secret");
    fs.symlinkSync(path.join(root, "outside.txt"), path.join(root, "repo/link.txt"));
    const { snapshot } = await readLocalFolder(path.join(root, "repo"), "", opts());
    expect(snapshot.paths()).toEqual(["src/a.ts"]);
    expect(snapshot.skipped).toEqual([{ path: "link.txt", reason: "symlink" }]);
  });

  it("reads only the subfolder when one is given", async () => {
    fs.mkdirSync(path.join(root, "mono/servers/mcp"), { recursive: true });
    fs.writeFileSync(path.join(root, "mono/servers/mcp/index.ts"), "x");
    fs.writeFileSync(path.join(root, "mono/README.md"), "x");
    const { snapshot, source } = await readLocalFolder(path.join(root, "mono"), "servers/mcp", opts());
    expect(snapshot.paths()).toEqual(["index.ts"]);
    expect(source.subdirectory).toBe("servers/mcp");
  });

  it("refuses a subfolder that is, or passes through, a symlink out of the folder", async () => {
    fs.mkdirSync(path.join(root, "repo/real"), { recursive: true });
    fs.writeFileSync(path.join(root, "repo/real/in.ts"), "x");
    fs.mkdirSync(path.join(root, "elsewhere/deeper"), { recursive: true });
    fs.writeFileSync(path.join(root, "elsewhere/deeper/secret.ts"), "secret");
    fs.symlinkSync("/", path.join(root, "repo/to-root"));
    fs.symlinkSync(path.join(root, "elsewhere"), path.join(root, "repo/away"));
    fs.symlinkSync(path.join(root, "repo/real"), path.join(root, "repo/alias"));
    const repo = path.join(root, "repo");
    await expect(readLocalFolder(repo, "to-root", opts())).rejects.toThrow(/leads outside the connector's folder/);
    await expect(readLocalFolder(repo, "away/deeper", opts())).rejects.toThrow(/leads outside the connector's folder/);
    await expect(resolveSubfolder(repo, "to-root/etc")).rejects.toThrow(/leads outside the connector's folder/);
    // A link that stays inside the folder is fine.
    const { snapshot } = await readLocalFolder(repo, "alias", opts());
    expect(snapshot.paths()).toEqual(["in.ts"]);
  });

  it("accepts folders under the root and refuses escapes, including through symlinks", async () => {
    fs.mkdirSync(path.join(root, "allowed/inside"), { recursive: true });
    fs.mkdirSync(path.join(root, "elsewhere"));
    fs.symlinkSync(path.join(root, "elsewhere"), path.join(root, "allowed/sneaky"));
    const allowed = path.join(root, "allowed");
    await expect(resolveFolderUnderRoot("inside", allowed)).resolves.toBe(fs.realpathSync(path.join(allowed, "inside")));
    await expect(resolveFolderUnderRoot(path.join(allowed, "inside"), allowed)).resolves.toContain("inside");
    await expect(resolveFolderUnderRoot("../elsewhere", allowed)).rejects.toThrow(/outside the allowed folder/);
    await expect(resolveFolderUnderRoot("sneaky", allowed)).rejects.toThrow(/outside the allowed folder/);
    await expect(resolveFolderUnderRoot("/etc", allowed)).rejects.toThrow(/outside the allowed folder/);
    await expect(resolveFolderUnderRoot("missing", allowed)).rejects.toThrow(/No folder/);
    // Several roots, like PATH: any of them admits a folder; relative paths come from the first.
    await expect(resolveFolderUnderRoot(path.join(root, "elsewhere"), [allowed, path.join(root, "elsewhere")])).resolves.toBe(
      fs.realpathSync(path.join(root, "elsewhere")),
    );
    await expect(resolveFolderUnderRoot("inside", [allowed, path.join(root, "elsewhere")])).resolves.toContain("inside");
  });
});
