// The real CLI binary (node lib/cli/launch-review.mjs) against a fake GitHub on GITHUB_API_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanReport } from "@/lib/core/report";
import { runCli } from "./support/cli";
import type { FakeGitHub } from "./support/fake-github";
import { NOTES_REPO, notesFiles, PRIVATE_REPO, PRIVATE_TOKEN, startFixtureGitHub, UNKNOWN_TOKEN } from "./support/github-fixtures";

let fake: FakeGitHub;
let heads: Record<string, string>;

beforeAll(async () => {
  ({ github: fake, heads } = await startFixtureGitHub());
});
afterAll(() => fake.close());

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { GITHUB_API_URL: fake.apiUrl, ...env });

describe("launch-review scan github:owner/repo", () => {
  it("reports the branch head commit, every file, and at most 3 GitHub requests", async () => {
    const run = await cli(["scan", `github:${NOTES_REPO}`, "--format", "json", "--fail-on", "critical"]);
    expect(run.stderr).not.toContain("unexpected error");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.source).toMatchObject({ kind: "github", repository: NOTES_REPO, ref: "main", commit: heads.main, subdirectory: "" });
    expect(report.stats.files).toBe(Object.keys(notesFiles()).length);
    expect(report.stats.githubRequests).toBeLessThanOrEqual(3);
    expect(report.findings.some((f) => f.ruleId === "secrets/env-file" && f.location?.path === "servers/notes/.env")).toBe(true);
  }, 60_000);

  it("honours --ref and --subdir, and reads a private repository with GITHUB_TOKEN", async () => {
    const run = await cli(["scan", PRIVATE_REPO, "--ref", "main", "--subdir", "servers/notes", "--quiet"], { GITHUB_TOKEN: PRIVATE_TOKEN });
    expect(run.code).toBe(1); // the committed .env is a high finding, at the default --fail-on high
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.source).toMatchObject({ repository: PRIVATE_REPO, ref: "main", subdirectory: "servers/notes" });
    expect(report.stats.files).toBe(4);
    expect(run.stdout).not.toContain(PRIVATE_TOKEN);
    expect(run.stderr).toBe("");
  }, 60_000);

  it("fails with exit 2 and one line on stderr: bad credentials, never echoing GITHUB_TOKEN", async () => {
    const run = await cli(["scan", `github:${NOTES_REPO}`, "--ref", "v0.3.0", "--quiet"], { GITHUB_TOKEN: UNKNOWN_TOKEN });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^launch-review: GitHub rejected the access token \(401 Bad credentials\).*Replace it in GITHUB_TOKEN.*\n$/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toContain(UNKNOWN_TOKEN);
  }, 60_000);

  it("fails with exit 2 and one line on stderr: a missing (or private) repository, and an unknown ref", async () => {
    const missing = await cli(["scan", "acme/nope", "--quiet"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^launch-review: GitHub answered 404 for acme\/nope: the repository does not exist, or it is private and no access token is set/,
      ),
    ]);
    const ref = await cli(["scan", `https://${new URL(fake.apiUrl).host}/${NOTES_REPO}/tree/nope`]);
    expect(ref.code).toBe(2);
    const lines = ref.stderr.trim().split("\n");
    expect(lines.at(-1)).toBe(
      `launch-review: ${NOTES_REPO} has no branch, tag or commit named "nope". Check the ref, or leave it empty to scan the default branch.`,
    );
  }, 60_000);
});
