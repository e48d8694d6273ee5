// The GitHub Action, run locally as the runner runs it: action.yml's inputs reach the script as INPUT_* variables,
// the script scans once, renders SARIF and Markdown from that report, writes the job summary and the outputs, and
// leaves the verdict (the exit code) for the action's last step, after the SARIF upload.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeRegistry, type FakeRegistry } from "./support/fake-registry";
import { demoRegistry } from "./support/registry-fixture";
import { sarifErrors } from "./support/sarif";
import { CLI_BIN } from "./support/cli";

interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the action's script as the runner would. Asynchronously: the registry stub answers from this process. */
async function runAction(inputs: Record<string, string>, registryUrl: string): Promise<ActionRun> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "lr-action-"));
  const outputFile = path.join(temp, "output");
  const summaryFile = path.join(temp, "summary.md");
  const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [path.resolve("lib/cli/github-action.mjs")], {
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LAUNCH_REVIEW_CLI: CLI_BIN,
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      XDG_CACHE_HOME: path.join(temp, "cache"),
      DATABASE_PATH: ":memory:",
      LAUNCH_REVIEW_LOG_LEVEL: "silent",
      npm_config_registry: registryUrl,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, "_")}`, v])),
    },
    timeout: 120_000,
    }, (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }));
    child.stdin?.end();
  });
  const outputs = Object.fromEntries(
    (fs.existsSync(outputFile) ? fs.readFileSync(outputFile, "utf8") : "")
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs, summary: fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, "utf8") : "" };
}

describe("the GitHub Action", () => {
  let registry: FakeRegistry;
  beforeAll(async () => {
    registry = await startFakeRegistry(demoRegistry());
  });
  afterAll(() => registry.close());

  it("declares its inputs, passes them as environment variables, and pins every action it uses to a commit", () => {
    const action = parse(fs.readFileSync("action.yml", "utf8")) as {
      inputs: Record<string, unknown>;
      runs: { using: string; steps: Array<{ uses?: string; run?: string; env?: Record<string, string> }> };
    };
    expect(Object.keys(action.inputs).sort()).toEqual(["advisories", "baseline", "fail-on", "path", "since", "subdir", "upload-sarif", "version"]);
    expect(action.runs.using).toBe("composite");
    for (const step of action.runs.steps) {
      if (step.uses) expect(step.uses, step.uses).toMatch(/@[0-9a-f]{40}$/);
      // Never `${{ inputs.x }}` inside a shell command: that is script injection.
      if (step.run) expect(step.run).not.toContain("${{");
    }
    const scan = action.runs.steps.find((s) => s.run?.includes("github-action.mjs"))!;
    for (const name of ["path", "subdir", "fail-on", "advisories", "baseline", "since", "version"])
      expect(Object.values(scan.env ?? {}), name).toContain(`\${{ inputs.${name} }}`);
  });

  it("scans the demo, writes SARIF, the job summary and the outputs, and records exit code 1 for its high findings", async () => {
    const run = await runAction({ path: "examples/demo-connector", "fail-on": "high" }, registry.url);
    expect(run.status).toBe(0);
    expect(run.outputs["exit-code"]).toBe("1");
    expect(Number(run.outputs.findings)).toBeGreaterThan(0);
    expect(run.outputs["new-findings"]).toBe(run.outputs.findings);
    const sarif = JSON.parse(fs.readFileSync(run.outputs.sarif!, "utf8"));
    expect(sarifErrors(sarif)).toEqual([]);
    const report = JSON.parse(fs.readFileSync(run.outputs.report!, "utf8"));
    expect(sarif.runs[0].results.length).toBe(report.findings.filter((f: { location?: { path?: string } }) => f.location?.path).length);
    expect(run.summary).toContain("# Launch Review");
    expect(run.stdout).toMatch(/^Launch Review: \d+ critical, \d+ high/);
  }, 120_000);

  it("passes with only the old findings when given a baseline report", async () => {
    const first = await runAction({ path: "examples/demo-connector" }, registry.url);
    const again = await runAction({ path: "examples/demo-connector", baseline: first.outputs.report! }, registry.url);
    expect(again.outputs["exit-code"]).toBe("0");
    expect(again.outputs["new-findings"]).toBe("0");
    expect(Number(again.outputs.findings)).toBeGreaterThan(0);
  }, 240_000);

  it("records exit code 2 with one error annotation for a bad input or source", async () => {
    const badInput = await runAction({ path: "examples/demo-connector", "fail-on": "urgent" }, registry.url);
    expect(badInput.outputs["exit-code"]).toBe("2");
    expect(badInput.stderr).toContain("::error title=Launch Review::fail-on must be one of critical, high, moderate, low");
    const badSource = await runAction({ path: "examples/no-such-folder" }, registry.url);
    expect(badSource.outputs["exit-code"]).toBe("2");
    expect(badSource.stderr).toMatch(/::error title=Launch Review::launch-review: /);
  }, 120_000);
});
