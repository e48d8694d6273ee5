// Integration: GitHub connectors in the app's own code paths (register, seal the token, queue scans against a
// fake GitHub, record commits, show failures), and proof that the token never leaks into logs, errors or reports.
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeGitHub } from "./support/fake-github";
import { NOTES_REPO, NOTES_SUBDIRECTORY, PRIVATE_REPO, PRIVATE_TOKEN, startFixtureGitHub, UNKNOWN_TOKEN } from "./support/github-fixtures";

// Modules are imported after the logger is replaced, so every module-level child logger writes to `logLines`.
const logLines: string[] = [];
let m: {
  db: typeof import("./support/db");
  connectors: typeof import("@/db/queries/connectors");
  scans: typeof import("@/db/queries/scans");
  audit: typeof import("@/db/queries/audit");
  github: typeof import("@/lib/connectors-github");
  queue: typeof import("@/lib/jobs/scan-queue");
  env: typeof import("@/lib/env");
  box: typeof import("@/lib/crypto/secret-box");
  history: typeof import("@/lib/scan-history");
  teams: typeof import("@/db/queries/teams");
};
let fake: FakeGitHub;
let heads: Record<string, string>;
const actor = { id: "tester", correlationId: "corr-gh" };
/** The fake's web address: URLs must name the host GITHUB_API_URL points at. */
const web = () => new URL(fake.apiUrl).origin;

beforeAll(async () => {
  const { setRootLogger } = await import("@/lib/logger");
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  setRootLogger(pino({ level: "trace" }, sink));
  m = {
    db: await import("./support/db"),
    connectors: await import("@/db/queries/connectors"),
    scans: await import("@/db/queries/scans"),
    audit: await import("@/db/queries/audit"),
    teams: await import("@/db/queries/teams"),
    github: await import("@/lib/connectors-github"),
    queue: await import("@/lib/jobs/scan-queue"),
    env: await import("@/lib/env"),
    box: await import("@/lib/crypto/secret-box"),
    history: await import("@/lib/scan-history"),
  };
  ({ github: fake, heads } = await startFixtureGitHub());
});
afterAll(async () => {
  await fake.close();
  const { setRootLogger } = await import("@/lib/logger");
  setRootLogger(undefined);
});

const SECRET_A = "0".repeat(63) + "a";
let teamId: number;
beforeEach(async () => {
  process.env.GITHUB_API_URL = fake.apiUrl;
  process.env.LAUNCH_REVIEW_SECRET = SECRET_A;
  m.env.resetEnvForTests();
  m.box.resetSecretBoxForTests();
  await m.db.useTestDb();
  teamId = (await m.teams.insertTeam("Connector team")).id;
});

async function register(input: Partial<import("@/lib/connectors-github").RegisterGitHubInput> & { name: string; repository: string }) {
  const parsed = m.github.RegisterGitHubSchema.parse({ scanNow: false, teamId, ...input });
  return m.github.registerGitHubConnector(parsed, actor);
}

async function scan(connectorId: number) {
  const { scan } = await (await import("@/lib/connectors")).requestScan(connectorId, "manual", actor);
  await m.queue.scanQueue().whenIdle();
  return (await m.scans.getScan(scan.id))!;
}

describe("GitHub connectors", () => {
  it("registers a monorepo subfolder, scans it at the branch head, and records the commit and request count", async () => {
    const { connector } = await register({ name: "Notes", repository: `${web()}/${NOTES_REPO}/tree/main/${NOTES_SUBDIRECTORY}` });
    expect(connector).toMatchObject({
      sourceKind: "github",
      location: NOTES_REPO,
      ref: "main",
      subdirectory: NOTES_SUBDIRECTORY,
      hasToken: false,
    });
    const done = await scan(connector.id);
    expect(done.status).toBe("succeeded");
    expect(done.commit).toBe(heads.main);
    expect(done.stats).toMatchObject({ files: 4, githubRequests: 3 });
    const report = (await m.scans.reportForScan(done.id))!;
    expect(report.source).toMatchObject({ repository: NOTES_REPO, ref: "main", commit: heads.main, subdirectory: NOTES_SUBDIRECTORY });
    expect(report.source.webUrl).toBe(`https://github.com/${NOTES_REPO}`);
    expect(report.findings.find((f) => f.ruleId === "secrets/env-file")?.location).toEqual({ path: ".env", line: 2 });
  });

  it("says when a rescan found the same commit, and not once a new commit lands", async () => {
    const { connector } = await register({ name: "Notes", repository: NOTES_REPO });
    const first = await scan(connector.id);
    const second = await scan(connector.id);
    const history = () => m.scans.listScans(connector.id);
    expect(m.history.unchangedCommit(await history())).toEqual({ commit: heads.main, previousScanId: first.id });
    expect(second.commit).toBe(first.commit);

    const pushed = fake.push(NOTES_REPO, "main", { files: { "README.md": "# moved on\n" } });
    const third = await scan(connector.id);
    expect(third.commit).toBe(pushed);
    expect(m.history.unchangedCommit(await history())).toBeNull();
    fake.push(NOTES_REPO, "main", { sha: heads.main, files: (await import("./support/github-fixtures")).notesFiles() });
  });

  it("seals the token at rest, exposes only 'token set', and reads a private repository with it", async () => {
    const { connector } = await register({ name: "Private", repository: PRIVATE_REPO, token: PRIVATE_TOKEN });
    expect(connector.hasToken).toBe(true);
    const row = (await m.connectors.getConnector(connector.id))!;
    expect(row).not.toHaveProperty("tokenCiphertext");
    expect(row.hasToken).toBe(true);
    const sealed = (await m.connectors.connectorTokenCiphertext(connector.id))!;
    expect(sealed.startsWith("lrsb1.")).toBe(true);
    expect(sealed).not.toContain(PRIVATE_TOKEN);

    const done = await scan(connector.id);
    expect(done.status).toBe("succeeded");
    expect(done.report).not.toContain(PRIVATE_TOKEN);
    expect(JSON.stringify(await m.audit.listAudit())).not.toContain(PRIVATE_TOKEN);
  });

  it("shows actionable failures on the scan, and a replaced or removed token takes effect on the next scan", async () => {
    const { connector } = await register({ name: "Private", repository: PRIVATE_REPO, token: UNKNOWN_TOKEN });
    const bad = await scan(connector.id);
    expect(bad.status).toBe("failed");
    expect(bad.error).toMatch(/^GitHub rejected the access token \(401 Bad credentials\).*Replace it on the connector page/);

    await m.github.setConnectorToken(connector.id, PRIVATE_TOKEN, actor);
    expect((await scan(connector.id)).status).toBe("succeeded");

    await m.github.removeConnectorToken(connector.id, actor);
    expect((await m.connectors.getConnector(connector.id))!.hasToken).toBe(false);
    const gone = await scan(connector.id);
    expect(gone.error).toContain("private and no access token is set");
    expect((await m.audit.listAudit()).map((e) => e.action)).toEqual(
      expect.arrayContaining(["connector.token_set", "connector.token_removed"]),
    );
  });

  it("records the resolved commit even when the scan fails afterwards", async () => {
    const { connector } = await register({ name: "Notes", repository: NOTES_REPO, subdirectory: "no/such/folder" });
    const failed = await scan(connector.id);
    expect(failed.status).toBe("failed");
    expect(failed.commit).toBe(heads.main);
    expect(failed.error).toContain('has no folder "no/such/folder"');
  });

  it("fails a scan clearly when the key that sealed the token is gone", async () => {
    const { connector } = await register({ name: "Private", repository: PRIVATE_REPO, token: PRIVATE_TOKEN });
    process.env.LAUNCH_REVIEW_SECRET = "1".repeat(64);
    m.env.resetEnvForTests();
    m.box.resetSecretBoxForTests();
    const failed = await scan(connector.id);
    expect(failed.error).toMatch(/encrypted with another key than the current one \(LAUNCH_REVIEW_SECRET\)/);
  });

  it("never writes the token to a log line, whatever happens", () => {
    const all = logLines.join("\n");
    expect(all.length).toBeGreaterThan(0);
    expect(all).toContain("scan failed"); // the failures above were logged...
    expect(all).not.toContain(PRIVATE_TOKEN); // ...without the token
    expect(all).not.toContain(UNKNOWN_TOKEN);
  });
});

describe("registration input", () => {
  const valid = { name: "Notes", repository: NOTES_REPO, teamId: 1 };

  it("accepts owner/repo, github:owner/repo and URLs, with the URL's ref and folder", async () => {
    for (const [i, repository] of [NOTES_REPO, `github:${NOTES_REPO}`, `${web()}/${NOTES_REPO}.git`].entries()) {
      const { connector } = await register({ name: `N${i}`, repository });
      expect(connector).toMatchObject({ location: NOTES_REPO, ref: null, subdirectory: "" });
    }
    const { connector } = await register({ name: "Tree", repository: `${web()}/${NOTES_REPO}/tree/v0.3.0/servers/notes/` });
    expect(connector).toMatchObject({ ref: "v0.3.0", subdirectory: "servers/notes" });
  });

  it("explains bad fields and saves nothing", async () => {
    const issues = (input: Record<string, unknown>) =>
      m.github.RegisterGitHubSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ ...valid, repository: "not a repo" })).toEqual([
      expect.stringMatching(/^repository: "not a repo" is not a GitHub repository/),
    ]);
    expect(issues({ ...valid, ref: "main..evil" })).toEqual(["ref: Not a valid branch, tag or commit name."]);
    expect(issues({ ...valid, subdirectory: "../up" })).toEqual([
      'subdirectory: The subfolder must be a relative path inside the repository (no "..").',
    ]);
    expect(issues({ ...valid, token: "hunter2" })).toEqual(["token: That doesn't look like a GitHub access token (ghp_…, github_pat_…)."]);
    expect(issues({ ...valid, repository: "https://github.com/acme/x/blob/main/a.ts" })[0]).toContain("links to a file");

    await expect(register({ ...valid, repository: `${web()}/${NOTES_REPO}/tree/main`, ref: "develop" })).rejects.toMatchObject({
      surface: "ref",
      message: 'The URL names the ref "main", but this field says "develop". Keep one of them.',
    });
    // This server reads from the fake GitHub, so a github.com URL would name another server's repository.
    process.env.GITHUB_API_URL = "https://ghe.example.test/api/v3";
    m.env.resetEnvForTests();
    await expect(register({ ...valid, repository: `https://github.com/${NOTES_REPO}` })).rejects.toMatchObject({
      surface: "repository",
      message: expect.stringContaining("but this server reads repositories from ghe.example.test"),
    });
    expect(await m.connectors.countConnectors()).toBe(0);
  });

  it("refuses a duplicate name", async () => {
    await register(valid);
    await expect(register(valid)).rejects.toMatchObject({ code: "invalid:name" });
  });
});
