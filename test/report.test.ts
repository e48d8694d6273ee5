import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "@/checks";
import { rules as tlsRules } from "@/checks/network-tls";
import { escapeMarkdown, inlineCode, renderMarkdown } from "@/lib/engine/report/markdown";
import { renderSarif } from "@/lib/engine/report/sarif";
import { runScan } from "@/lib/engine/scan";
import { runCli } from "./support/cli";
import { finding, reportWith } from "./support/reports";
import { sarifErrors } from "./support/sarif";

describe("SARIF", () => {
  it("validates against the SARIF 2.1.0 schema for a real scan", async () => {
    const report = await runScan({ kind: "local", path: path.resolve("examples/demo-connector") });
    const sarif = renderSarif(report);
    expect(sarifErrors(sarif)).toEqual([]);
    const run = (sarif.runs as Array<Record<string, unknown>>)[0]!;
    expect((run.results as unknown[]).length).toBe(report.findings.filter((f) => f.location?.path).length);
  });

  it("is rejected by the validator when broken, so the check above means something", () => {
    expect(sarifErrors({ version: "2.1.0", runs: [{ tool: {} }] }).length).toBeGreaterThan(0);
  });

  it("gives each result its rule, level, location, security severity and a stable fingerprint", () => {
    const report = reportWith({
      findings: [
        finding("auth.no-long-lived-secrets", "critical", "fp-1", "src/keys.ts"),
        finding("network.timeouts-retries", "low", "fp-2"),
      ],
    });
    // A real rule id, with a title unlike the rule's own: the driver's rule text comes from the registry.
    report.findings[0] = { ...report.findings[0]!, ruleId: tlsRules.rejectUnauthorized.id, title: "whatever the finding says" };
    report.findings[1] = { ...report.findings[1]!, location: undefined };
    report.source.subdirectory = "servers/mcp";
    const sarif = renderSarif(report) as {
      runs: Array<{
        results: Array<Record<string, unknown>>;
        tool: { driver: { rules: Array<Record<string, unknown>> } };
        invocations: Array<{ toolExecutionNotifications: unknown[] }>;
      }>;
    };
    const run = sarif.runs[0]!;
    expect(sarifErrors(sarif)).toEqual([]);
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({
      ruleId: "tls/reject-unauthorized",
      level: "error",
      partialFingerprints: { "launchReview/v1": "fp-1" },
      locations: [
        { physicalLocation: { artifactLocation: { uri: "servers/mcp/src/keys.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 1 } } },
      ],
    });
    expect(run.tool.driver.rules.find((r) => r.id === "tls/reject-unauthorized")).toMatchObject({
      shortDescription: { text: tlsRules.rejectUnauthorized.title },
      properties: { "security-severity": "8.0", tags: expect.arrayContaining(["network.outbound-tls", "external/cwe/cwe-295"]) },
    });
    // Every rule of the registry is described, whether or not this scan found it.
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(CHECKS.flatMap((c) => c.rules.map((r) => r.id)).sort());
    // The finding without a file becomes a notification rather than an unlocatable alert.
    expect(JSON.stringify(run.invocations[0]!.toolExecutionNotifications)).toContain("test/fp-2");
  });

  it("is what the CLI prints with --format sarif", async () => {
    // Exit code 1 means findings at or above --fail-on: the report is still printed.
    const run = await runCli(["scan", "examples/demo-connector", "--format", "sarif", "--quiet"]);
    expect(sarifErrors(JSON.parse(run.stdout))).toEqual([]);
  }, 60_000);
});

describe("Markdown", () => {
  it("escapes scanned content so it renders as text", () => {
    expect(escapeMarkdown("<script>alert(1)</script> [x](javascript:y) | *b*")).not.toMatch(/<script>|\]\(|[^\\]\|/);
    expect(inlineCode("a`b``c")).toBe("```a`b``c```");
  });

  it("renders every checklist section and finding", () => {
    const md = renderMarkdown(reportWith({ findings: [finding("auth.no-long-lived-secrets", "high", "f1")] }));
    for (const title of [
      "Principles",
      "Data handling",
      "Prompt injection and write actions",
      "Network access",
      "Authentication and authorization",
      "Operational readiness",
    ])
      expect(md).toContain(`### ${title}`);
    expect(md).toContain("[high] Finding f1");
  });
});

describe("JSON report: OWASP MCP Top 10 and CWE tags", () => {
  it("gives every finding its rule's tags from the registry, and none to a rule without tags", async () => {
    const report = await runScan({ kind: "local", path: path.resolve("examples/demo-connector") });
    const rules = new Map(CHECKS.flatMap((c) => c.rules.map((r) => [r.id, r] as const)));
    const tagged = report.findings.filter((f) => f.tags);
    expect(tagged.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      const rule = rules.get(f.ruleId)!;
      expect(f.tags?.owasp, f.ruleId).toBe(rule.tags?.owasp);
      expect(f.tags?.cwe ?? [], f.ruleId).toEqual([...(rule.tags?.cwe ?? [])]);
      if (!rule.tags?.owasp && !rule.tags?.cwe?.length) expect(f.tags, f.ruleId).toBeUndefined();
    }
    const env = report.findings.find((f) => f.ruleId.startsWith("secrets/"));
    expect(env?.tags).toMatchObject({ owasp: expect.stringMatching(/^MCP01:2025 /), cwe: expect.arrayContaining([expect.stringMatching(/^CWE-\d+$/)]) });
  });
});
