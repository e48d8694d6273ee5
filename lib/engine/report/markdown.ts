// Markdown rendering of a scan report. Scanned content is hostile: it is escaped so it renders as text.
import { CHECKLIST_TEMPLATES } from "@/lib/engine/checklist/template";
import { fileUrl } from "./links";
import { showHidden } from "@/lib/engine/unicode";
import type { ScanReport } from "../../core/report";
import { SEVERITY_ORDER } from "@/lib/core/types";

/** Escapes text for a Markdown table cell or paragraph: no HTML, links, emphasis or table breaks survive. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n|\r/g, " ")
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)-/, "$1\\-");
}

/** Inline code that can't be closed early by backticks in the value. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, " ");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
}

const STATUS_LABEL: Record<string, string> = {
  pass: "pass",
  fail: "FAIL",
  warn: "warn",
  unknown: "unknown",
  "needs-attestation": "needs attestation",
};

export function renderMarkdown(report: ScanReport): string {
  const out: string[] = [];
  const src = report.source;
  const where =
    src.kind === "github"
      ? `${src.repository}${src.ref ? `@${src.ref}` : ""}`
      : src.kind === "npm" && src.package
        ? `npm ${src.package.name}@${src.package.version} (${src.package.integrity.slice(0, 20)}…)`
        : (src.path ?? "local folder");
  out.push(`# Launch Review report`, "");
  out.push(`- Source: ${inlineCode(where)}${src.subdirectory ? ` (subfolder ${inlineCode(src.subdirectory)})` : ""}`);
  if (src.commit) out.push(`- Commit: ${inlineCode(src.commit)}${src.webUrl ? ` (${src.webUrl}/commit/${src.commit})` : ""}`);
  out.push(`- Generated: ${report.generatedAt}`);
  out.push(`- Files scanned: ${report.stats.files} (${report.stats.bytes} bytes) in ${report.stats.durationMs} ms`, "");

  out.push(`## Summary`, "");
  out.push(`| ${SEVERITY_ORDER.join(" | ")} |`, `| ${SEVERITY_ORDER.map(() => "---").join(" | ")} |`);
  out.push(`| ${SEVERITY_ORDER.map((s) => report.summary[s]).join(" | ")} |`, "");

  const template = CHECKLIST_TEMPLATES.get(report.checklistVersion);
  out.push(`## Checklist (version ${report.checklistVersion})`, "");
  for (const section of template?.sections ?? []) {
    out.push(`### ${section.title}`, "");
    out.push(`| Item | Status | Blocking | Findings |`, `| --- | --- | --- | --- |`);
    for (const item of report.checklist.filter((i) => i.section === section.id)) {
      out.push(
        `| ${escapeMarkdown(item.title)} | ${STATUS_LABEL[item.status] ?? item.status} | ${item.blocking ? "yes" : "no"} | ${item.findings.length} |`,
      );
    }
    out.push("");
  }

  out.push(`## Tools`, "");
  if (report.tools.length === 0) out.push("No tools were read from the code.", "");
  else {
    out.push(`| Tool | Description | Annotations | Security schemes | Declared at |`, `| --- | --- | --- | --- | --- |`);
    for (const t of report.tools) {
      const annotations = t.annotations
        ? Object.entries(t.annotations)
            .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
            .join(", ")
        : "none";
      const schemes = t.securitySchemes ? JSON.stringify(t.securitySchemes) : "none";
      out.push(
        `| ${inlineCode(showHidden(t.name))} | ${escapeMarkdown(showHidden(t.description ?? "").slice(0, 300))} | ${escapeMarkdown(annotations)} | ${inlineCode(schemes)} | ${inlineCode(`${t.location.path}:${t.location.line}`)} |`,
      );
    }
    out.push("");
  }
  for (const w of report.widgets ?? []) {
    out.push(
      `- Widget ${inlineCode(w.uri)}: connect ${inlineCode(JSON.stringify(w.csp.connect))}, resources ${inlineCode(JSON.stringify(w.csp.resource))}, frames ${inlineCode(JSON.stringify(w.csp.frame))}, domain ${w.domain ? inlineCode(w.domain) : "none"}`,
    );
  }
  if ((report.widgets ?? []).length > 0) out.push("");

  out.push(`## Findings`, "");
  if (report.findings.length === 0) out.push("No findings.", "");
  for (const f of report.findings) {
    const loc = f.location ? `${f.location.path}${f.location.line ? `:${f.location.line}` : ""}` : null;
    out.push(`### [${f.severity}] ${escapeMarkdown(f.title)}`, "");
    out.push(`- Rule: ${inlineCode(f.ruleId)} (checklist item ${inlineCode(f.checklistItem)})`);
    const url = f.location ? fileUrl(src.webUrl, src.commit, f.location.path, f.location.line, src.subdirectory) : null;
    if (loc) out.push(`- Location: ${url ? `[${inlineCode(loc)}](<${url}>)` : inlineCode(loc)}`);
    out.push(`- ${escapeMarkdown(f.message)}`);
    if (f.evidence) out.push(`- Evidence: ${inlineCode(f.evidence)}`);
    out.push(`- Why it matters: ${escapeMarkdown(f.rationale)}`);
    out.push(`- Fix: ${escapeMarkdown(f.remediation)}`, "");
  }

  const unavailable = report.checks.filter((c) => c.status === "unavailable");
  if (unavailable.length > 0) {
    out.push(`## Checks that could not decide`, "");
    for (const c of unavailable) out.push(`- ${inlineCode(c.id)}: ${escapeMarkdown(c.error ?? "no reason given")}`);
    out.push("");
  }
  return out.join("\n");
}
