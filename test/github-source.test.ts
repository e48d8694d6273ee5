// Integration: GitHub ingestion through the real Octokit client against a fake GitHub on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { DEFAULT_LIMITS, type SnapshotLimits } from "@/lib/engine/snapshot";
import { checkDownloadTarget, downloadGuardFor } from "@/lib/engine/sources/archive-download";
import { readGitHubRepository } from "@/lib/engine/sources/github";
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits, type SourceOptions } from "@/lib/engine/sources/types";
import { FakeGitHub } from "./support/fake-github";
import {
  NOTES_REPO,
  NOTES_SUBDIRECTORY,
  notesFiles,
  PRIVATE_REPO,
  PRIVATE_TOKEN,
  startFixtureGitHub,
  UNKNOWN_TOKEN,
} from "./support/github-fixtures";
import { tarGz, type TarEntry } from "./support/tar-builder";

let github: FakeGitHub;
let heads: Record<string, string>;

beforeAll(async () => {
  ({ github, heads } = await startFixtureGitHub());
});
afterAll(() => github.close());
beforeEach(() => {
  github.requests.length = 0;
  github.rateLimit(null);
  github.secondaryRateLimit(null);
});

type OptionOverrides = Omit<Partial<SourceOptions>, "limits" | "archiveLimits"> & {
  limits?: Partial<SnapshotLimits>;
  archiveLimits?: Partial<ArchiveLimits>;
};

function options(overrides: OptionOverrides = {}): SourceOptions {
  return {
    ...overrides,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
    archiveLimits: { ...DEFAULT_ARCHIVE_LIMITS, ...overrides.archiveLimits },
    signal: overrides.signal ?? new AbortController().signal,
    github: { retryBaseDelayMs: 5, timeoutMs: 2000, ...overrides.github },
  };
}

function read(repository: string, extra: { ref?: string; subdirectory?: string; token?: string; apiUrl?: string } = {}, opts = options()) {
  return readGitHubRepository({ kind: "github", repository, apiUrl: github.apiUrl, ...extra }, opts);
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const fileCount = Object.keys(notesFiles()).length;

describe("reading a repository", () => {
  it("pins the default branch's head commit and reads every file in three API requests", async () => {
    const result = await read(NOTES_REPO);
    expect(result.source).toEqual({
      kind: "github",
      repository: NOTES_REPO,
      ref: "main",
      commit: heads.main,
      subdirectory: "",
      webUrl: "https://github.com/acme/notes-monorepo",
    });
    expect(result.snapshot.commit).toBe(heads.main);
    expect(result.snapshot.fileCount).toBe(fileCount);
    expect(result.snapshot.text("servers/notes/src/server.ts")).toContain("registerTool");
    expect(result.githubRequests).toBe(3);
    expect(github.apiRequests().map((r) => r.path)).toEqual([
      "/repos/acme/notes-monorepo",
      "/repos/acme/notes-monorepo/commits/main",
      `/repos/acme/notes-monorepo/tarball/${heads.main}`,
    ]);
    // The commit is asked for as a bare SHA, and the archive is of that exact commit, fetched once.
    expect(github.apiRequests()[1]!.accept).toContain(".sha");
    expect(github.requests.filter((r) => r.host === "download")).toHaveLength(1);
    expect(github.apiRequests()[0]!.userAgent).toMatch(/^launch-review\//);
  });

  it("keeps the same three requests however many files the repository has", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) files[`src/m${i % 30}/f${i}.ts`] = `export const v${i} = ${i};\n`;
    github.addRepo({ owner: "acme", name: "wide", branches: { main: { files } } });
    const result = await read("acme/wide");
    expect(result.snapshot.fileCount).toBe(1500);
    expect(result.githubRequests).toBe(3);
  });

  it("reads only the subfolder of a monorepo, with paths relative to it", async () => {
    const result = await read(NOTES_REPO, { subdirectory: `${NOTES_SUBDIRECTORY}/` });
    expect(result.source.subdirectory).toBe(NOTES_SUBDIRECTORY);
    expect(result.snapshot.paths()).toEqual([".env", "README.md", "package.json", "src/server.ts"]);
  });

  it("says so when the subfolder does not exist at that commit", async () => {
    const error = await failure(read(NOTES_REPO, { subdirectory: "servers/billing" }));
    expect(error.code).toBe("invalid:subdirectory");
    expect(error.message).toBe(`acme/notes-monorepo has no folder "servers/billing" at ${heads.main!.slice(0, 7)} (main).`);
  });

  it("resolves branches with slashes, tags and short SHAs to full commits", async () => {
    expect((await read(NOTES_REPO, { ref: "feature/tags" })).source).toMatchObject({ ref: "feature/tags", commit: heads["feature/tags"] });
    const tagged = await read(NOTES_REPO, { ref: "v0.3.0" });
    expect(tagged.source.commit).toBe(heads["v0.3.0"]);
    expect(tagged.snapshot.text("VERSION")).toBe("0.3.0\n");
    expect((await read(NOTES_REPO, { ref: heads.main!.slice(0, 10) })).source.commit).toBe(heads.main);
  });

  it("reports the commit before downloading, so a failed download still knows what it tried", async () => {
    const seen: string[] = [];
    github.failNext(3, { host: "download" });
    await failure(read(NOTES_REPO, {}, options({ onCommit: (commit, ref) => seen.push(`${ref}@${commit}`) })));
    expect(seen).toEqual([`main@${heads.main}`]);
  });

  it("reads a private repository with a token, and never sends the token to the download host", async () => {
    const result = await read(PRIVATE_REPO, { token: PRIVATE_TOKEN });
    expect(result.snapshot.fileCount).toBe(fileCount);
    expect(github.apiRequests().every((r) => r.authorization)).toBe(true);
    const download = github.requests.filter((r) => r.host === "download");
    expect(download).toHaveLength(1);
    expect(download[0]!.authorization).toBe(false);
    expect(JSON.stringify(result.source)).not.toContain(PRIVATE_TOKEN);
  });

  it("works with GitHub Enterprise Server: API under /api/v3, links to the enterprise host", async () => {
    const { github: ghe, heads: gheHeads } = await startFixtureGitHub({ basePath: "/api/v3", htmlBase: "https://ghe.example.test" });
    try {
      const result = await read(NOTES_REPO, { apiUrl: ghe.apiUrl });
      expect(result.source).toMatchObject({ commit: gheHeads.main, webUrl: "https://ghe.example.test/acme/notes-monorepo" });
      expect(ghe.apiRequests().map((r) => r.path.split("/").slice(0, 5).join("/"))).toEqual(Array(3).fill("/api/v3/repos/acme"));
    } finally {
      await ghe.close();
    }
  });

  it("retries an intermittent 502 and counts the retry", async () => {
    github.failNext(1);
    const result = await read(NOTES_REPO);
    expect(result.source.commit).toBe(heads.main);
    expect(result.githubRequests).toBe(4);
  });
});

describe("errors a user can act on", () => {
  it("a missing repository: says it may be private without a token, since GitHub answers 404 for both", async () => {
    const error = await failure(read("acme/no-such-repo"));
    expect(error.code).toBe("not_found:repository");
    expect(error.message).toMatch(
      /^GitHub answered 404 for acme\/no-such-repo: the repository does not exist, or it is private and no access token is set/,
    );
    expect(error.message).toContain("read-only Contents");
  });

  it("a private repository without a token looks the same as a missing one", async () => {
    const error = await failure(read(PRIVATE_REPO));
    expect(error.code).toBe("not_found:repository");
    expect(error.message).toContain("private and no access token is set");
    expect(github.apiRequests()).toHaveLength(1); // 404 is never retried
  });

  it("a private repository the token can't read: says the token may lack access", async () => {
    github.addToken("github_pat_other_repo_only", ["acme/somewhere-else"]);
    const error = await failure(read(PRIVATE_REPO, { token: "github_pat_other_repo_only" }));
    expect(error.code).toBe("not_found:repository");
    expect(error.message).toContain("private and the access token can't read it");
    expect(error.message).not.toContain("github_pat_other_repo_only");
  });

  it("bad credentials (401), without repeating the token", async () => {
    const error = await failure(read(NOTES_REPO, { token: UNKNOWN_TOKEN }));
    expect(error.code).toBe("unauthorized:github");
    expect(error.message).toMatch(/^GitHub rejected the access token \(401 Bad credentials\)/);
    expect(error.message).not.toContain(UNKNOWN_TOKEN);
    expect(github.apiRequests()).toHaveLength(1); // 401 is never retried
  });

  it("rate limited (403, x-ratelimit-remaining: 0): says when the limit resets, as a time", async () => {
    const reset = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 25 * 60_000);
    github.rateLimit(reset);
    const error = await failure(read(NOTES_REPO));
    expect(error.code).toBe("rate_limit:github");
    const at = `${reset.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    expect(error.message).toContain(`it resets at ${at} (in 2`);
    expect(error.message).toContain("An access token raises the limit");
    expect(error.details).toEqual({ resetAt: reset.toISOString() });
    expect(github.apiRequests()).toHaveLength(1); // no waiting, no retrying
  });

  it("a secondary rate limit (403 with retry-after) says when to try again", async () => {
    github.secondaryRateLimit(120);
    const error = await failure(read(NOTES_REPO));
    expect(error.code).toBe("rate_limit:github");
    expect(error.message).toMatch(/secondary rate limit\); try again after \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 2 minutes\)/);
  });

  it("a ref that doesn't exist (422)", async () => {
    const error = await failure(read(NOTES_REPO, { ref: "release/9.9" }));
    expect(error.code).toBe("not_found:ref");
    expect(error.message).toBe(
      'acme/notes-monorepo has no branch, tag or commit named "release/9.9". Check the ref, or leave it empty to scan the default branch.',
    );
  });

  it("an empty repository (409)", async () => {
    github.addRepo({ owner: "acme", name: "empty" });
    const error = await failure(read("acme/empty"));
    expect(error.code).toBe("not_found:commit");
  });

  it("an archive larger than the download limit is refused from its Content-Length, before reading it", async () => {
    const error = await failure(read(NOTES_REPO, {}, options({ archiveLimits: { maxArchiveBytes: 200 } })));
    expect(error.code).toBe("limit:archive");
    expect(error.message).toMatch(/^The archive of acme\/notes-monorepo at [0-9a-f]{7} is larger than the 200 bytes download limit/);
    expect(error.message).toContain("LAUNCH_REVIEW_MAX_ARCHIVE_BYTES");
  });

  it("GitHub unavailable after retries (502 three times)", async () => {
    github.failNext(3);
    const error = await failure(read(NOTES_REPO));
    expect(error.code).toBe("unavailable:github");
    expect(error.message).toBe("GitHub is unavailable: it answered 502 3 times while reading acme/notes-monorepo. Try again later.");
    expect(github.apiRequests()).toHaveLength(3);
  });

  it("GitHub unreachable", async () => {
    const closed = await FakeGitHub.start();
    const url = closed.apiUrl;
    await closed.close();
    const error = await failure(read(NOTES_REPO, { apiUrl: url }));
    expect(error.code).toBe("unavailable:github");
    expect(error.message).toContain(`Could not reach GitHub at ${url} (ECONNREFUSED); tried 3 times.`);
  });

  it("a download that breaks off half-way", async () => {
    github.truncateNextDownload();
    const error = await failure(read(NOTES_REPO));
    expect(error.code).toBe("unavailable:github");
    expect(error.message).toMatch(/^The download of acme\/notes-monorepo at [0-9a-f]{7} from GitHub broke off/);
  });

  it("a download that stalls is cut off by the idle timeout", async () => {
    github.stallNextDownload();
    const started = Date.now();
    const error = await failure(read(NOTES_REPO, {}, options({ github: { timeoutMs: 300, retryBaseDelayMs: 5 } })));
    expect(error.code).toBe("timeout:github");
    expect(error.message).toMatch(
      /^The download of acme\/notes-monorepo at [0-9a-f]{7} from GitHub was stopped: no data arrived for 0.3 s/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a download that drips a byte at a time is cut off by the total timeout", async () => {
    github.dripNextDownload(50);
    const started = Date.now();
    const error = await failure(read(NOTES_REPO, {}, options({ github: { timeoutMs: 1000, totalTimeoutMs: 1500, retryBaseDelayMs: 5 } })));
    expect(error.code).toBe("timeout:github");
    expect(error.message).toContain("the download took longer than 1.5 s");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses a redirect of the download to a link-local or metadata address, and says so", async () => {
    github.redirectNextArchiveTo("http://169.254.169.254/latest/meta-data/");
    const error = await failure(read(NOTES_REPO));
    expect(error.code).toBe("forbidden:redirect");
    expect(error.message).toMatch(
      /^GitHub redirected the download of acme\/notes-monorepo at [0-9a-f]{7} to 169\.254\.169\.254, a link-local, metadata or reserved address; the download was refused/,
    );
    expect(error.message).not.toContain("permission");
    github.redirectNextArchiveTo("http://metadata.google.internal/computeMetadata/v1/");
    expect((await failure(read(NOTES_REPO))).code).toBe("forbidden:redirect");
    expect(github.requests.filter((r) => r.host === "download")).toHaveLength(0);
  });

  it("refuses a redirect from the public GitHub API to a private or loopback address", () => {
    const guard = downloadGuardFor("https://api.github.com");
    expect(() => checkDownloadTarget("http://127.0.0.1:8080/x.tgz", "https://api.github.com", guard, "a/b at 1234567")).toThrow(
      /to 127\.0\.0\.1, a private or loopback address; the download was refused/,
    );
    expect(checkDownloadTarget("https://codeload.github.com/a/b/legacy.tar.gz/x", "https://api.github.com", guard, "a/b").host).toBe(
      "codeload.github.com",
    );
    // An Enterprise Server's download host may be internal.
    expect(downloadGuardFor("https://ghe.corp.example/api/v3")).toEqual({ allowPrivate: true });
  });

  it("stops when the scan is cancelled", async () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled by test"));
    await expect(read(NOTES_REPO, {}, options({ signal: controller.signal }))).rejects.toThrow("cancelled by test");
  });
});

describe("hostile archives", () => {
  const SHA = "badc0ffee0ddf00dbadc0ffee0ddf00dbadc0ffe";
  const top = `acme-hostile-${SHA.slice(0, 7)}/`;
  let counter = 0;

  /** Serves `entries` (paths under the GitHub-style top folder unless raw) as a repository's only commit. */
  function serve(entries: TarEntry[], raw = false): string {
    const name = `hostile-${++counter}`;
    github.addRepo({
      owner: "acme",
      name,
      branches: { main: { sha: SHA, archive: () => tarGz(entries, { prefix: raw ? "" : top, comment: SHA }) } },
    });
    return `acme/${name}`;
  }

  it("neutralizes '..' and absolute paths: nothing outside the repository is read", async () => {
    const repo = serve([
      { path: "", type: "Directory" },
      { path: "README.md", content: "ok" },
      { path: "../../escape.txt", content: "escaped" },
      { path: "src/../../up.txt", content: "escaped" },
      { path: "!../outside.txt", content: "escaped" },
      { path: "!/etc/passwd", content: "root:x:0:0" },
      { path: "!other-top/file.txt", content: "second root" },
    ]);
    const result = await read(repo);
    expect(result.snapshot.paths()).toEqual(["README.md"]);
    expect(result.snapshot.skipped.map((s) => s.reason)).toEqual([
      "unsafe-path",
      "unsafe-path",
      "unsafe-path",
      "unsafe-path",
      "unsafe-path",
    ]);
  });

  it("rejects an archive whose first entry escapes (not GitHub's layout)", async () => {
    const repo = serve(
      [
        { path: "../evil/", type: "Directory" },
        { path: "../evil/x.js", content: "x" },
      ],
      true,
    );
    const error = await failure(read(repo));
    expect(error.code).toBe("invalid:archive");
  });

  it("never follows symlinks or hard links, and keeps them out of the snapshot", async () => {
    const repo = serve([
      { path: "", type: "Directory" },
      { path: "README.md", content: "readme" },
      { path: "passwd", type: "SymbolicLink", linkpath: "/etc/passwd" },
      { path: "up", type: "SymbolicLink", linkpath: "../../.." },
      { path: "hard", type: "Link", linkpath: `${top}README.md` },
      { path: "hard-out", type: "Link", linkpath: "/etc/shadow" },
    ]);
    const result = await read(repo);
    expect(result.snapshot.paths()).toEqual(["README.md"]);
    expect(result.snapshot.skipped).toEqual([
      { path: "passwd", reason: "symlink" },
      { path: "up", reason: "symlink" },
      { path: "hard", reason: "hard-link" },
      { path: "hard-out", reason: "hard-link" },
    ]);
  });

  it("skips device files and FIFOs", async () => {
    const repo = serve([
      { path: "", type: "Directory" },
      { path: "dev/null", type: "CharacterDevice" },
      { path: "dev/sda", type: "BlockDevice" },
      { path: "pipe", type: "FIFO" },
      { path: "index.ts", content: "export {};" },
    ]);
    const result = await read(repo);
    expect(result.snapshot.paths()).toEqual(["index.ts"]);
    expect(result.snapshot.skipped.map((s) => `${s.path}:${s.reason}`)).toEqual([
      "dev/null:special-file",
      "dev/sda:special-file",
      "pipe:special-file",
    ]);
  });

  it("stops a gzip bomb at the unpacked-size limit", async () => {
    const repo = serve([
      { path: "", type: "Directory" },
      { path: "zeros.txt", type: "ZeroFile", size: 512 * 1024 * 1024 },
    ]);
    const started = Date.now();
    const error = await failure(read(repo, {}, options({ archiveLimits: { maxUnpackedBytes: 8 * 1024 * 1024 } })));
    expect(error.code).toBe("limit:archive");
    expect(error.message).toMatch(/unpacks to more than 8 MB \(a decompression bomb stops here too\)/);
    expect(error.message).toContain("LAUNCH_REVIEW_MAX_UNPACKED_BYTES");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("fails clearly with more files than the limit", async () => {
    const entries: TarEntry[] = [{ path: "", type: "Directory" }];
    for (let i = 0; i < 30; i++) entries.push({ path: `f${i}.js`, content: `// ${i}` });
    const error = await failure(read(serve(entries), {}, options({ limits: { maxFiles: 10 } })));
    expect(error.code).toBe("limit:snapshot");
    expect(error.message).toMatch(/more than 10 files/);
  });

  it("fails clearly with more entries than the limit, even when they are only folders", async () => {
    const entries: TarEntry[] = [{ path: "", type: "Directory" }];
    for (let i = 0; i < 500; i++) entries.push({ path: `d${i}/`, type: "Directory" });
    const error = await failure(read(serve(entries), {}, options({ archiveLimits: { maxEntries: 100 } })));
    expect(error.code).toBe("limit:archive_entries");
  });

  it("counts a single huge file without reading it into memory", async () => {
    const repo = serve([
      { path: "", type: "Directory" },
      { path: "huge.json", type: "ZeroFile", size: 40 * 1024 * 1024, fill: 0x20 },
      { path: "small.ts", content: "export const x = 1;" },
    ]);
    const result = await read(repo, {}, options({ limits: { maxFileBytes: 1024 * 1024 } }));
    expect(result.snapshot.paths()).toEqual(["huge.json", "small.ts"]);
    expect(result.snapshot.omitted()).toEqual([
      expect.objectContaining({ path: "huge.json", omitted: "too-large", size: 40 * 1024 * 1024 }),
    ]);
    expect(result.snapshot.totalBytes).toBe("export const x = 1;".length);
  });

  it("refuses an archive compressed twice (its inner layer would escape the size count)", async () => {
    const inner = await tarGz(
      [
        { path: "", type: "Directory" },
        { path: "zeros", type: "ZeroFile", size: 1024 },
      ],
      { prefix: top },
    );
    github.addRepo({
      owner: "acme",
      name: "double",
      branches: { main: { sha: SHA, archive: async () => (await import("node:zlib")).gzipSync(inner) } },
    });
    const error = await failure(read("acme/double"));
    expect(error.code).toBe("invalid:archive");
    expect(error.message).toContain("compressed twice");
  });

  it("reports a damaged or non-gzip archive", async () => {
    github.addRepo({
      owner: "acme",
      name: "garbage",
      branches: { main: { sha: SHA, archive: async () => Buffer.from("<html>not an archive</html>") } },
    });
    const error = await failure(read("acme/garbage"));
    expect(error.code).toBe("invalid:archive");
    expect(error.message).toMatch(/damaged or not a \.tar\.gz/);
  });
});
