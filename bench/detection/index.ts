// bench/detection: scans every labelled real connector (bench/detection/labels, repositories kept outside the project
// under $LAUNCH_REVIEW_CORPUS_DIR) and prints how the findings compare with what people found by reading the code:
// tool recall and phantom tools, precision of high and critical findings, recall of labelled problems, findings per
// problem, per category and overall. `npm run bench detection -- --verbose` lists every miss and every unmatched
// high finding. The dependency audit is left out (no advisory source), so advisory problems don't count here.
import { runScan } from "@/lib/engine/scan";
import { checkout, corpusDir, loadLabels } from "./corpus";
import { scoreConnector, totals, type ConnectorScore } from "./score";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export async function main(): Promise<void> {
  const verbose = process.argv.includes("--verbose");
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const scores: ConnectorScore[] = [];
  const skipped: string[] = [];
  let nonInfo = 0;
  for (const { file, label } of loadLabels()) {
    if (only && !file.includes(only)) continue;
    const tree = checkout(label);
    if (!tree) {
      skipped.push(`${label.repo} (not in ${corpusDir()})`);
      continue;
    }
    try {
      const started = performance.now();
      const report = await runScan({ kind: "local", path: tree.dir });
      const score = scoreConnector(label, report, { advisories: false });
      nonInfo += report.findings.filter((f) => f.severity !== "info" && !f.ruleId.startsWith("dependencies/")).length;
      scores.push(score);
      const found = score.problems.filter((p) => p.found).length;
      const highOk = score.highFindings.filter((h) => h.verdict === "problem").length;
      console.log(
        `${score.repo.padEnd(52)} tools ${score.tools.found}/${score.tools.labelled} (+${score.tools.phantom.length} phantom)  problems ${found}/${score.problems.length}  high ${highOk}/${score.highFindings.length}  ${Math.round(performance.now() - started)} ms`,
      );
      if (verbose) printDetails(score);
    } finally {
      tree.cleanup();
    }
  }
  if (skipped.length > 0) console.log(`skipped: ${skipped.join(", ")}`);
  printCategories(scores);
  const t = totals(scores);
  console.log("\n| measure | value | target |\n|---|---|---|");
  console.log(`| tool recall | ${pct(t.toolRecall)} | ≥ 98 % |`);
  console.log(`| phantom tools | ${t.phantomTools} | 0 |`);
  console.log(`| high+critical precision | ${pct(t.highPrecision)} (${t.highFindings} findings) | ≥ 95 % |`);
  console.log(`| recall of labelled problems | ${pct(t.problemRecall)} (${t.problems} problems) | ≥ 80 % |`);
  console.log(`| findings per found problem | ${t.findingsPerProblem.toFixed(2)} | ≤ 1.2 |`);
  console.log(`| all low+ findings per labelled problem | ${(nonInfo / Math.max(1, t.problems)).toFixed(2)} | (noise) |`);
}

function printDetails(s: ConnectorScore): void {
  if (s.tools.missing.length) console.log(`    missing tools: ${s.tools.missing.join(", ")}`);
  if (s.tools.phantom.length) console.log(`    phantom tools: ${s.tools.phantom.join(", ")}`);
  for (const p of s.problems) {
    if (!p.found) console.log(`    MISSED ${p.id} ${p.category} (${p.severity})`);
    else if (p.findings > 1) console.log(`    found ${p.id} ${p.category} with ${p.findings} findings: ${[...new Set(p.rules)].join(", ")}`);
  }
  for (const h of s.highFindings) if (h.verdict !== "problem") console.log(`    ${h.verdict.toUpperCase()} ${h.severity} ${h.ruleId} at ${h.where}: ${h.message}`);
}

function printCategories(scores: readonly ConnectorScore[]): void {
  const byCategory = new Map<string, { problems: number; found: number }>();
  for (const p of scores.flatMap((s) => s.problems)) {
    const c = byCategory.get(p.category) ?? { problems: 0, found: 0 };
    c.problems += 1;
    if (p.found) c.found += 1;
    byCategory.set(p.category, c);
  }
  const highByRule = new Map<string, { all: number; ok: number }>();
  for (const h of scores.flatMap((s) => s.highFindings)) {
    const prefix = h.ruleId.split("/")[0]!;
    const c = highByRule.get(prefix) ?? { all: 0, ok: 0 };
    c.all += 1;
    if (h.verdict === "problem") c.ok += 1;
    highByRule.set(prefix, c);
  }
  console.log("\n| category | labelled problems | reported |\n|---|---|---|");
  for (const [category, c] of [...byCategory].sort((a, b) => b[1].problems - a[1].problems || a[0].localeCompare(b[0])))
    console.log(`| ${category} | ${c.problems} | ${c.found} |`);
  console.log("\n| rule family | high+critical findings | right |\n|---|---|---|");
  for (const [family, c] of [...highByRule].sort((a, b) => b[1].all - a[1].all)) console.log(`| ${family} | ${c.all} | ${c.ok} |`);
}
