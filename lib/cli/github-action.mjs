// The GitHub Action's step: runs `launch-review scan` once (JSON), renders SARIF and Markdown from that report, writes
// the job summary and the step outputs, and records the exit code for the action's last step (so the SARIF upload
// runs even when findings fail the job). Plain JavaScript: the runner has Node, not our build.
// LAUNCH_REVIEW_CLI (a path to a launcher) replaces `npx launch-review@<version>`: how the tests run it locally.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SUMMARY_LIMIT = 900 * 1024; // GitHub refuses job summaries over 1 MiB.
const SEVERITIES = ["critical", "high", "moderate", "low"];

const input = (name, fallback = "") => (process.env[`INPUT_${name}`] ?? "").trim() || fallback;

function appendFile(file, text) {
  if (file) fs.appendFileSync(file, text);
}

function cli(args) {
  const local = process.env.LAUNCH_REVIEW_CLI;
  const [command, base] = local ? [process.execPath, [local]] : ["npx", ["--yes", `launch-review@${input("VERSION", "latest")}`]];
  return spawnSync(command, [...base, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
}

function main() {
  const failOn = input("FAIL_ON", "high");
  if (!SEVERITIES.includes(failOn)) return fail(`fail-on must be one of ${SEVERITIES.join(", ")}, not "${failOn}".`);
  const baseline = input("BASELINE");
  const since = input("SINCE");
  const out = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || process.env.TMPDIR || "/tmp", "launch-review-"));
  const report = path.join(out, "launch-review.json");
  const sarif = path.join(out, "launch-review.sarif");
  const args = ["scan", input("PATH", "."), "--format", "json", "--out", report, "--fail-on", failOn, "--advisories", input("ADVISORIES", "npm"), "--quiet"];
  if (input("SUBDIR")) args.push("--subdir", input("SUBDIR"));
  if (baseline) args.push("--baseline", baseline);
  if (since) args.push("--since", since);

  const scan = cli(args);
  process.stderr.write(scan.stderr ?? "");
  if (scan.status !== 0 && scan.status !== 1) return fail((scan.stderr || `launch-review exited with ${scan.status ?? scan.signal}`).trim());

  const rendered = cli(["report", report, "--format", "sarif", "--out", sarif]);
  if (rendered.status !== 0) return fail((rendered.stderr || "could not render the SARIF report").trim());
  const markdown = cli(["report", report, "--format", "md"]);
  const summary = markdown.status === 0 ? markdown.stdout : `Launch Review: the Markdown report could not be rendered.\n`;
  appendFile(process.env.GITHUB_STEP_SUMMARY, summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT)}\n\n…(cut: the full report is in ${path.basename(report)})\n` : summary);

  const parsed = JSON.parse(fs.readFileSync(report, "utf8"));
  const threshold = SEVERITIES.indexOf(failOn);
  const atOrAbove = parsed.findings.filter((f) => SEVERITIES.indexOf(f.severity) !== -1 && SEVERITIES.indexOf(f.severity) <= threshold);
  const fresh = atOrAbove.filter((f) => f.baselineState !== "unchanged");
  setOutputs({ findings: atOrAbove.length, "new-findings": fresh.length, report, sarif, "exit-code": scan.status });
  const s = parsed.summary;
  process.stdout.write(`Launch Review: ${s.critical} critical, ${s.high} high, ${s.moderate} moderate, ${s.low} low; ${fresh.length} at or above ${failOn}${parsed.baseline ? " and new" : ""}.\n`);
}

function setOutputs(values) {
  appendFile(process.env.GITHUB_OUTPUT, Object.entries(values).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]/g, " ")}\n`).join(""));
}

function fail(message) {
  process.stderr.write(`::error title=Launch Review::${message.replace(/[\r\n]+/g, " ")}\n`);
  setOutputs({ "exit-code": 2, sarif: "" });
}

main();
