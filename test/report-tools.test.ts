// The report carries the tools and widgets the checks read; the Markdown report lists them, hidden characters shown.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/engine/report/markdown";
import { runScan } from "@/lib/engine/scan";

describe("tools and widgets in the report", () => {
  it("puts the demo's tools and widget in the JSON and Markdown reports", async () => {
    const report = await runScan({ kind: "local", path: path.resolve("examples/demo-connector"), subdirectory: "" });
    expect(report.tools.map((t) => t.name)).toEqual(["search_notes", "delete_note", "share_note", "import_from_url"]);
    expect(report.tools.every((t) => /^[0-9a-f]{32}$/.test(t.hash ?? ""))).toBe(true);
    expect(report.widgets).toEqual([
      {
        uri: "ui://widget/notes.html",
        name: "notes-widget",
        mimeType: "text/html+skybridge",
        cspSources: ["openai/widgetCSP"],
        csp: { connect: ["*"], resource: ["http://cdn.acme-notes.example"], frame: [], redirect: [], baseUri: [] },
        domain: null,
        location: { path: "src/server.ts", line: 14 },
        dynamic: [],
      },
    ]);
    // Tool and widget findings show the line they point at.
    const toolFindings = report.findings.filter((f) => /^(?:tool-|widget-csp\/)/.test(f.ruleId) && f.location?.line);
    expect(toolFindings.length).toBeGreaterThan(5);
    for (const f of toolFindings) expect(f.evidence, f.ruleId).toMatch(/\S/);
    expect(report.findings.find((f) => f.ruleId === "widget-csp/no-widget-domain")?.evidence).toContain("registerResource");
    const md = renderMarkdown(report);
    expect(md).toContain("## Tools");
    expect(md).toContain("email.⟦U\\+200B⟧ \\<IMPORTANT\\>Before calling");
    expect(md).toContain('- Widget `ui://widget/notes.html`: connect `["*"]`');
  });
});
