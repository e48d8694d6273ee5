// launch-review.yml: skips come off the scan with their reason, watched packages join the audit, ignores with an
// expiry apply in the CLI (and are only proposed in the app), expired ignores are reported, and a bad file is
// reported and ignored whole.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_NAMES, readRepoConfig } from "@/lib/engine/config/repo-config";
import { runScan } from "@/lib/engine/scan";
import { runCli } from "./support/cli";
import { snapshotOf } from "./support/rules";

/** The findings these tests are about (a tiny folder also gets the usual operations findings: no monitoring, …). */
const ours = (ids: Array<{ ruleId: string }>) => ids.map((f) => f.ruleId).filter((id) => /^(?:tls|config)\//.test(id)).sort();

const LEAKY_SERVER = [
  'import https from "node:https";',
  "export const agent = new https.Agent({ rejectUnauthorized: false });",
  "",
].join("\n");

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-config-"));
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

describe("reading launch-review.yml", () => {
  it("accepts the documented form", () => {
    const result = readRepoConfig(
      snapshotOf({
        "launch-review.yml": [
          "skip:",
          "  - path: docs/**",
          "    reason: vendored API docs",
          "watch: ['@acme/sdk', 'pypi:fastmcp']",
          "ignore:",
          "  - rule: tls/reject-unauthorized",
          "    path: src/dev/**",
          "    reason: local proxy in development only",
          "    expires: 2027-01-31",
        ].join("\n"),
      }),
    );
    expect(result).toMatchObject({ status: "ok", config: { watch: ["@acme/sdk", "pypi:fastmcp"], ignore: [{ rule: "tls/reject-unauthorized", expires: "2027-01-31" }] } });
  });

  it.each([
    ["ignore without a reason", "ignore:\n  - rule: tls/reject-unauthorized\n    expires: 2027-01-01\n", /reason/],
    ["ignore without an expiry", "ignore:\n  - rule: tls/reject-unauthorized\n    reason: because\n", /expires/],
    ["a date that isn't one", "ignore:\n  - rule: x/y\n    reason: because\n    expires: next week\n", /2027-03-31/],
    ["an unknown key", "skips: []\n", /Unrecognized key/],
    ["YAML that isn't", "ignore: [\n", /not valid YAML/],
    ["an alias bomb", `a: &a ["x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`, /YAML/],
  ])("refuses %s with a clear reason", (_name, text, reason) => {
    const result = readRepoConfig(snapshotOf({ "launch-review.yml": text }));
    expect(result.status).toBe("invalid");
    expect(result.status === "invalid" && result.error).toMatch(reason);
  });

  it("refuses a file over 64 KB without parsing it", () => {
    const result = readRepoConfig(snapshotOf({ [CONFIG_NAMES[0]]: `# ${"x".repeat(70_000)}\n` }));
    expect(result).toMatchObject({ status: "invalid", error: "larger than 64 KB" });
  });
});

describe("a scan with launch-review.yml", () => {
  const today = new Date("2026-12-01T12:00:00Z");

  it("skips the paths it names, listing each with its reason", async () => {
    const dir = folder({
      "launch-review.yml": "skip:\n  - path: docs\n    reason: vendored documentation dump\n",
      "docs/leak.ts": LEAKY_SERVER,
      "src/ok.ts": "export const x = 1;\n",
    });
    const report = await runScan({ kind: "local", path: dir }, { now: today });
    expect(report.findings.filter((f) => f.ruleId === "tls/reject-unauthorized")).toEqual([]);
    expect(report.coverage.skipped).toContainEqual({ path: "docs/leak.ts", reason: "skipped-by-config" });
    expect(report.repoConfig).toMatchObject({ status: "ok", skipped: 1 });
  });

  it("applies an active ignore in the CLI, proposes it in the app, and reports an expired one without applying it", async () => {
    const config = (expires: string) =>
      `ignore:\n  - rule: tls/reject-unauthorized\n    path: src/**\n    reason: dev proxy only\n    expires: ${expires}\n`;
    const active = folder({ "launch-review.yml": config("2027-01-31"), "src/agent.ts": LEAKY_SERVER });
    const cli = await runScan({ kind: "local", path: active }, { now: today, applyRepoIgnores: true });
    expect(cli.findings.map((f) => f.ruleId)).not.toContain("tls/reject-unauthorized");
    expect(cli.ignored?.map((f) => [f.ruleId, f.ignoredBecause.reason])).toEqual([["tls/reject-unauthorized", "dev proxy only"]]);
    expect(cli.checklist.find((i) => i.id === "network.outbound-tls")!.status).toBe("pass");

    const app = await runScan({ kind: "local", path: active }, { now: today });
    expect(app.findings.map((f) => f.ruleId)).toContain("tls/reject-unauthorized");
    expect(app.repoConfig!.ignores[0]).toMatchObject({ state: "active", findings: [app.findings.find((f) => f.ruleId === "tls/reject-unauthorized")!.fingerprint] });
    expect(app.repoConfig!.applied).toBe(false);

    const expired = folder({ "launch-review.yml": config("2026-11-30"), "src/agent.ts": LEAKY_SERVER });
    const late = await runScan({ kind: "local", path: expired }, { now: today, applyRepoIgnores: true });
    expect(ours(late.findings)).toEqual(["config/expired-ignore", "tls/reject-unauthorized"]);
    expect(late.ignored).toBeUndefined();
  });

  it("reports a broken file and applies none of it", async () => {
    const dir = folder({ "launch-review.yml": "ignore:\n  - rule: tls/reject-unauthorized\n", "src/agent.ts": LEAKY_SERVER });
    const report = await runScan({ kind: "local", path: dir }, { now: today, applyRepoIgnores: true });
    expect(ours(report.findings)).toEqual(["config/invalid", "tls/reject-unauthorized"]);
    expect(report.repoConfig).toMatchObject({ status: "invalid", error: expect.stringMatching(/reason/) });
  });
});

describe("--baseline", () => {
  it("fails only on findings that are new against the baseline report, and marks each finding", async () => {
    const dir = folder({ "src/agent.ts": LEAKY_SERVER });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "lr-baseline-"));
    const baseline = path.join(out, "base.json");
    const first = await runCli(["scan", dir, "--quiet", "--advisories", "none", "--out", baseline]);
    expect(first.code).toBe(1);

    // Same code: nothing new, so the run passes even though the high finding is still there.
    const same = await runCli(["scan", dir, "--quiet", "--advisories", "none", "--baseline", baseline]);
    expect(same.code).toBe(0);
    const sameReport = JSON.parse(same.stdout);
    expect(sameReport.baseline).toMatchObject({ new: 0, fixed: 0 });
    expect(sameReport.findings.every((f: { baselineState: string }) => f.baselineState === "unchanged")).toBe(true);

    // A new problem fails the run; the old one stays "unchanged".
    fs.writeFileSync(path.join(dir, "src/env.ts"), 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";\n');
    const more = await runCli(["scan", dir, "--quiet", "--advisories", "none", "--baseline", baseline, "--format", "sarif"]);
    expect(more.code).toBe(1);
    const states = (JSON.parse(more.stdout).runs[0].results as Array<{ ruleId: string; baselineState: string }>)
      .filter((r) => r.ruleId.startsWith("tls/"))
      .map((r) => `${r.ruleId} ${r.baselineState}`);
    expect(states.sort()).toEqual(["tls/env-disables-verification new", "tls/reject-unauthorized unchanged"]);
  }, 120_000);

  it("refuses a baseline that isn't a report, before scanning", async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lr-baseline-")), "bad.json");
    fs.writeFileSync(bad, '{"hello": 1}');
    const run = await runCli(["scan", "examples/demo-connector", "--quiet", "--baseline", bad]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`launch-review: The baseline ${bad} is not a Launch Review JSON report (schemaVersion 1).`);
  });
});
