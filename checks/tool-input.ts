// Tool input validation: low-level tools without an input schema, any/unknown fields, and open objects whose
// values reach URLs, file paths, shell commands or SQL (as the data-flow facts trace them; the flow check reports
// the flows themselves, this the schema that let them in).
import type { DangerFlow } from "@/lib/engine/facts/data-flows";
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { noToolsOutcome } from "./tool-common";
import { defineRule, report } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "prompt-injection.input-validation";
const SINK_WORDS = { url: "a URL", path: "a file path", shell: "a shell command", sql: "an SQL statement" } as const;

export const rules = {
  noSchema: defineRule({
    id: "tool-input/no-schema",
    severity: "moderate",
    title: "Tool declares no input schema",
    rationale: "Without a schema nothing checks the arguments the model sends before the handler uses them.",
    remediation:
      "Declare an input schema with a type and limits for every argument (zod raw shape or JSON Schema with additionalProperties: false).",
    item: ITEM,
  }),
  anyType: defineRule({
    id: "tool-input/any-type",
    severity: "moderate",
    title: "Input accepts any value",
    rationale:
      "z.any(), z.unknown(), untyped Python parameters and schema-less properties let the model pass anything, including injected payloads.",
    remediation: "Give the field a precise type with limits (z.string().url().max(…), an enum, a pattern).",
    item: ITEM,
  }),
  openObjectSink: defineRule({
    id: "tool-input/open-object-to-sink",
    severity: "high",
    title: "Open input object reaches a URL, path, shell command or SQL",
    rationale:
      "An object that accepts arbitrary keys and values flows into a dangerous operation: the model (or an injected prompt) controls it.",
    remediation:
      "Replace the open object with named, typed fields, and validate the value before using it (allow-list hosts, resolve paths under a root, parameterize SQL, never build shell commands from input).",
    item: ITEM,
  }),
};

const LOOSE = new Set(["any", "unknown"]);
const OPEN = new Set(["record", "object(open)"]);

export const toolInputCheck: Check = {
  id: "tool-input",
  title: "Tool inputs are validated with strict schemas",
  section: "prompt-injection",
  rules: Object.values(rules),
  async run(ctx) {
    const manifest = ctx.facts.tools;
    if (manifest.tools.length === 0) return noToolsOutcome(manifest);
    const reached = inputsReachingSinks(ctx.facts.dangerFlows);
    return { status: "ok", findings: manifest.tools.flatMap((tool) => evaluateInput(tool, reached.get(tool.name) ?? [])) };
  },
};

/** Where a tool's input reaches a dangerous sink, as the data-flow facts trace it (checks on the way considered). */
export interface InputSink {
  /** The input field, or null when the whole input object is used. */
  field: string | null;
  kind: keyof typeof SINK_WORDS;
  excerpt: string;
}

const SINK_KIND: Partial<Record<DangerFlow["role"], InputSink["kind"]>> = {
  host: "url",
  file: "path",
  cwd: "path",
  command: "shell",
  program: "shell",
  arguments: "shell",
  sql: "sql",
};

/** The dangerous sinks each tool's inputs reach, by tool name (a value only in a URL's path is no such sink). */
function inputsReachingSinks(flows: readonly DangerFlow[]): Map<string, InputSink[]> {
  const out = new Map<string, InputSink[]>();
  for (const f of flows) {
    const o = f.path.origin;
    const kind = SINK_KIND[f.role];
    if (o.kind !== "tool-input" || o.tool === null || !kind) continue;
    const list = out.get(o.tool) ?? out.set(o.tool, []).get(o.tool)!;
    list.push({ field: o.field, kind, excerpt: `\`${f.sink.what}\` (${f.sink.path}:${f.sink.line})` });
  }
  return out;
}

export function evaluateInput(tool: ToolDecl, sinks: readonly InputSink[]): Finding[] {
  const findings: Finding[] = [];
  const schema = tool.inputSchema;
  if (schema.kind === "none" && (tool.style === "tools-array" || tool.style === "python-lowlevel")) {
    findings.push(report(rules.noSchema, { location: tool.location, subject: tool.name, message: `"${tool.name}" has no inputSchema.` }));
    return findings;
  }
  if (schema.open && schema.fields.length === 0) {
    const sink = sinks[0];
    findings.push(
      report(sink ? rules.openObjectSink : rules.anyType, {
        location: tool.location,
        subject: `${tool.name}:*`,
        message: sink
          ? `"${tool.name}" accepts any input object, and ${sink.field ? `its "${sink.field}" value` : "it"} is used in ${SINK_WORDS[sink.kind]}: ${sink.excerpt}`
          : `"${tool.name}" accepts any input object.`,
      }),
    );
  }
  for (const field of schema.fields) {
    const sink = sinks.find((s) => s.field === field.name);
    if (LOOSE.has(field.type)) {
      findings.push(
        report(rules.anyType, {
          location: tool.location,
          subject: `${tool.name}:${field.name}`,
          severity: sink ? "high" : "moderate",
          message: `"${tool.name}" accepts any value for "${field.name}" (${field.type})${sink ? `, and uses it in ${SINK_WORDS[sink.kind]}: ${sink.excerpt}` : ""}.`,
        }),
      );
    } else if (OPEN.has(field.type) && sink) {
      findings.push(
        report(rules.openObjectSink, {
          location: tool.location,
          subject: `${tool.name}:${field.name}`,
          message: `"${tool.name}" accepts an open object for "${field.name}" and uses it in ${SINK_WORDS[sink.kind]}: ${sink.excerpt}`,
        }),
      );
    }
  }
  if (schema.open && schema.fields.length > 0 && sinks.length > 0 && !findings.some((f) => f.ruleId === rules.openObjectSink.id)) {
    const sink = sinks[0]!;
    findings.push(
      report(rules.openObjectSink, {
        location: tool.location,
        subject: `${tool.name}:*`,
        message: `"${tool.name}"'s input accepts extra keys (passthrough, additionalProperties or **kwargs) and its handler uses input in ${SINK_WORDS[sink.kind]}: ${sink.excerpt}`,
      }),
    );
  }
  return findings;
}
