// Structured content that passes whole upstream records through (a raw API response, SELECT *, an unmapped ORM row)
// where the tool's purpose needs a few fields. A heuristic: low severity, for a reviewer to confirm. Reads the
// tool output facts (structuredContent entries and keyword arguments, results of tool functions) of both languages.
import type { Finding } from "@/lib/core/types";
import type { ToolOutput } from "@/lib/engine/facts/tool-data";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { defineRule } from "./rule";
import { RawRecordReader } from "./structured-content-raw";
import type { Check, CheckContext } from "./types";

export const rules = {
  wholeRecords: defineRule({
    id: "structured-content/whole-records",
    item: "data-handling.minimal-structured-content",
    severity: "low",
    title: "Structured content passes whole upstream records through",
    rationale:
      "Everything in structuredContent reaches the model and the widget. Whole API responses and database rows carry fields the prompt never needed (emails, internal ids, flags), which widens what can leak and what injected text can see.",
    remediation:
      "Map the records to the fields the tool's answer and widget actually use (`items.map(({ id, title }) => ({ id, title }))`) and keep the rest on the server.",
    tags: { owasp: "MCP10:2025 Context Injection & Over-Sharing", cwe: ["CWE-200"] },
  }),
};

export const structuredContentCheck: Check = {
  id: "structured-content",
  title: "Structured content: only the fields a tool needs",
  section: "data-handling",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const judged = (path: string) => isJudged(ctx, path);
    const reader = new RawRecordReader(ctx.facts, judged);
    const findings: Finding[] = [];
    for (const output of ctx.facts.toolOutputs) {
      if (output.field === "_meta" || output.field === "content" || !judged(output.path) || carriesResultFields(output)) continue;
      const reason = reader.reasonIn(output.value, output.fn);
      if (!reason) continue;
      findings.push(
        codeFinding(rules.wholeRecords, {
          path: output.path,
          line: output.line,
          text: ctx.snapshot.text(output.path) ?? "",
          message: output.field === "result" ? `Tool \`${output.written}\` returns a structured result that ${reason}.` : `structuredContent ${reason}.`,
        }),
      );
    }
    return finish(findings);
  },
};

/** Server code and scripts are judged; tests, fixtures, docs, examples, vendored, generated, widget and browser code are not. */
function isJudged(ctx: CheckContext, path: string): boolean {
  const role = ctx.facts.code.file(path)?.role;
  return role === "server" || role === "script";
}

/** A tool function returning `{"structuredContent": …}` itself: that entry is read on its own. */
function carriesResultFields(output: ToolOutput): boolean {
  return output.field === "result" && output.value.kind === "object" && output.value.entries.some((e) => e.key === "structuredContent" || e.key === "_meta");
}
