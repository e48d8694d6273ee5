// Tool annotations against what each tool does: missing labels, read-only writes, destructive tools without
// destructiveHint, open-world tools without openWorldHint, irreversible tools with no confirmation, widget-callable deletes.
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { isRecord } from "@/lib/engine/parse/tools/values";
import { noToolsOutcome } from "./tool-common";
import { classifyTool, type ToolKind } from "./tool-kind";
import { listNames, mergeFindings } from "./group";
import { defineRule, report } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ANNOTATIONS = "prompt-injection.annotations";
const CONFIRMATION = "prompt-injection.human-confirmation";

export const rules = {
  missing: defineRule({
    id: "tool-annotations/missing",
    severity: "moderate",
    title: "Tool has no annotations",
    rationale:
      "Without annotations MCP clients assume the worst (destructive, open-world, not read-only), and missing or wrong labels are a common reason apps are rejected.",
    remediation: "Add annotations with readOnlyHint, destructiveHint, idempotentHint and openWorldHint set to what the tool really does.",
    item: ANNOTATIONS,
  }),
  readsMarkedWriting: defineRule({
    id: "tool-annotations/read-tool-not-read-only",
    severity: "low",
    title: "Tool that only reads says readOnlyHint: false",
    rationale:
      "readOnlyHint: false tells ChatGPT the tool may change data, so it asks the user to confirm every call of a pure read; reviewers see labels that don't match what the tool does. Often one generic annotation set is given to every tool.",
    remediation: "Set readOnlyHint: true (and destructiveHint: false) on tools that only read; give each tool its own annotations.",
    item: ANNOTATIONS,
  }),
  readOnlyWrites: defineRule({
    id: "tool-annotations/read-only-but-writes",
    severity: "high",
    title: "Tool that changes data is labelled read-only",
    rationale: "readOnlyHint: true lets ChatGPT run the tool without asking the user, so a write or delete happens with no confirmation.",
    remediation: "Set readOnlyHint: false, and destructiveHint: true if it deletes or overwrites data.",
    item: ANNOTATIONS,
  }),
  destructiveHint: defineRule({
    id: "tool-annotations/destructive-without-hint",
    severity: "moderate",
    title: "Destructive tool without destructiveHint: true",
    rationale: "destructiveHint: true is what makes ChatGPT ask the user for explicit approval before a delete or overwrite.",
    remediation: "Set destructiveHint: true on every tool that deletes, overwrites or cancels something.",
    item: CONFIRMATION,
  }),
  writeHints: defineRule({
    id: "tool-annotations/write-hints-incomplete",
    severity: "low",
    title: "Write tool does not say whether it is destructive",
    rationale:
      "A write tool without destructiveHint is treated as destructive by default; an explicit value shows the label was considered.",
    remediation: "Set destructiveHint explicitly (false for additive writes such as creating a record, true for overwrites and deletes).",
    item: ANNOTATIONS,
  }),
  openWorld: defineRule({
    id: "tool-annotations/open-world-without-hint",
    severity: "low",
    title: "Tool reaches outside systems without openWorldHint: true",
    rationale:
      "openWorldHint makes ChatGPT summarize the impact on external systems first; a tool that fetches arbitrary URLs or sends messages needs it.",
    remediation:
      "Set openWorldHint: true on tools that reach the web, send messages or act on systems outside the connector's own service.",
    item: ANNOTATIONS,
  }),
  irreversible: defineRule({
    id: "tool-annotations/irreversible-without-confirmation",
    severity: "high",
    title: "Irreversible operation with no confirmation step",
    rationale:
      "The guidance asks for human confirmation before irreversible operations; this tool's hints switch ChatGPT's prompt off and the server asks nothing.",
    remediation:
      "Mark it destructiveHint: true (and not read-only) so ChatGPT asks first, or add a confirmation step the server enforces (elicitation, a confirm flag, a two-step flow).",
    item: CONFIRMATION,
  }),
  widgetAccessible: defineRule({
    id: "tool-annotations/widget-accessible-destructive",
    severity: "high",
    title: "Destructive tool callable from the widget",
    rationale:
      "openai/widgetAccessible lets widget code call the tool directly; a destructive action then runs from a click inside an iframe the model can influence.",
    remediation:
      "Keep destructive tools out of widget reach (no openai/widgetAccessible), or confirm inside the widget and on the server before acting.",
    item: CONFIRMATION,
  }),
  unparseable: defineRule({
    id: "tool-annotations/unparseable-source",
    severity: "info",
    title: "Source file that may declare tools could not be parsed",
    rationale: "Tools declared in a file the parser could not read are missing from the manifest and were not judged.",
    remediation: "Check the file by hand; if it is generated or bundled, scan the source it was built from instead.",
    item: "informational",
    hint: ANNOTATIONS,
  }),
};

export const toolAnnotationsCheck: Check = {
  id: "tool-annotations",
  title: "Tool annotations match what each tool does",
  section: "prompt-injection",
  rules: Object.values(rules),
  async run(ctx) {
    const manifest = ctx.facts.tools;
    const findings: Finding[] = manifest.unparseable.map((u) =>
      report(rules.unparseable, {
        message: `${u.path} could not be parsed (${u.reason}); tools it declares are not in the manifest.`,
        location: { path: u.path },
        subject: u.path,
      }),
    );
    if (manifest.tools.length === 0) return { ...noToolsOutcome(manifest), findings };
    const bare: Array<{ tool: ToolDecl; kind: ToolKind }> = [];
    for (const tool of manifest.tools) {
      const kind = classifyTool(tool);
      if (!tool.annotations && !isDynamic(tool)) bare.push({ tool, kind });
      findings.push(...evaluateAnnotations(tool, kind));
    }
    if (bare.length > 0) findings.push(missingAnnotations(bare, manifest.tools));
    const marked = manifest.tools.filter((t) => readsButMarkedWriting(t, classifyTool(t)));
    if (marked.length > 0) findings.push(readsMarkedWriting(marked));
    return { status: "ok", findings };
  },
};

function isDynamic(tool: ToolDecl): boolean {
  return tool.dynamic.some((d) => d === "config" || d === "annotations");
}

/**
 * Tools without annotations are one problem of the connector (usually one habit of registering tools): one finding
 * that lists them, located at the first, with the others related. High when any of them deletes.
 */
function missingAnnotations(bare: ReadonlyArray<{ tool: ToolDecl; kind: ToolKind }>, all: readonly ToolDecl[]): Finding {
  // A tool registered twice (stdio and a hand-written HTTP list) is one tool.
  const toolCount = new Set(all.map((t) => t.name)).size;
  const names = [...new Set(bare.map((b) => b.tool.name))];
  const writers = [...new Set(bare.filter((b) => b.kind.write || b.kind.destructive).map((b) => b.tool.name))];
  const changes = writers.length > 0 ? `; ${writers.length} of them ${writers.length === 1 ? "changes" : "change"} data (${listNames(writers)})` : "";
  const listing = droppedByListing(bare, all);
  const message = listing
    ? `${names.length === toolCount ? `All ${toolCount}` : `${names.length} of ${toolCount}`} tools are served without annotations: ${listNames(names)}${changes}. ${listing}`
    : toolCount === 1
      ? `"${names[0]}" declares no annotations${writers.length > 0 ? ", and it changes data" : ""}.`
      : `${names.length === toolCount ? `None of the ${toolCount} tools declares annotations (${listNames(names)})` : `${names.length} of ${toolCount} tools declare no annotations: ${listNames(names)}`}${changes}.`;
  const findings = bare.map(({ tool, kind }) =>
    report(rules.missing, {
      location: tool.location,
      ...(tool.listedAt ? { related: [tool.listedAt] } : {}),
      subject: tool.name,
      severity: kind.destructive ? "high" : "moderate",
    }),
  );
  return mergeFindings(findings, { message, subject: "repository" });
}

/**
 * A served list that builds each entry from the definitions and leaves annotations out (a hand-written tools/list
 * mapping its definitions), perhaps while another registration of the same tools sets them: the listing is what to fix.
 */
function droppedByListing(bare: ReadonlyArray<{ tool: ToolDecl }>, all: readonly ToolDecl[]): string {
  const listing = bare.find((b) => b.tool.listedAt)?.tool.listedAt;
  if (!listing) return "";
  const elsewhere = all.find((t) => t.annotations && bare.some((b) => b.tool.name === t.name));
  const where = `${listing.path}:${listing.line}`;
  return elsewhere
    ? `The list served at ${where} builds each entry without annotations, although ${elsewhere.location.path}:${elsewhere.location.line} registers the same tools with them.`
    : `The list served at ${where} builds each entry and sets no annotations.`;
}

/** A tool whose name reads, whose handler writes nothing we can see, and whose annotations say readOnlyHint: false. */
function readsButMarkedWriting(tool: ToolDecl, kind: ToolKind): boolean {
  if (!tool.annotations || tool.annotations.readOnlyHint !== false || isDynamic(tool)) return false;
  const e = tool.effects;
  const writes = !e || e.httpWrites.length > 0 || e.dbWrites || e.deletes || e.fileWrites || e.shell;
  return kind.readLike && !kind.write && !kind.destructive && !writes;
}

/** One finding for them all, at the annotations they share when one set is written for every tool. */
function readsMarkedWriting(tools: readonly ToolDecl[]): Finding {
  const names = [...new Set(tools.map((t) => t.name))];
  const places = new Set(tools.map((t) => (t.annotationsAt ? `${t.annotationsAt.path}:${t.annotationsAt.line}` : null)));
  const shared = places.size === 1 && tools[0]!.annotationsAt ? tools[0]!.annotationsAt : null;
  const message = `${names.length === 1 ? `"${names[0]}" only reads but says` : `${names.length} tools that only read say`} readOnlyHint: false${names.length > 1 ? ` (${listNames(names)})` : ""}, so ChatGPT asks the user to confirm every call${shared ? `; one annotation set, written at ${shared.path}:${shared.line}, is given to ${names.length === 1 ? "it" : "all of them"}` : ""}.`;
  const findings = tools.map((t) => report(rules.readsMarkedWriting, { location: t.annotationsAt ?? t.location, subject: t.name }));
  return mergeFindings(findings, { message, subject: "repository" });
}

export function evaluateAnnotations(tool: ToolDecl, kind: ToolKind): Finding[] {
  const findings: Finding[] = [];
  const at = { location: tool.location, subject: tool.name };
  const why = kind.reasons.length > 0 ? ` (${kind.reasons.join("; ")})` : "";
  const a = tool.annotations;
  if (isDynamic(tool)) return findings;

  if (tool.meta && widgetAccessible(tool.meta) && kind.destructive)
    findings.push(
      report(rules.widgetAccessible, {
        ...at,
        message: `"${tool.name}" is destructive${why} and its widget may call it (openai/widgetAccessible).`,
      }),
    );

  // Missing annotations are reported once for all tools (missingAnnotations).
  if (!a) return findings;
  const known = (k: string) => a[k] !== undefined && !(isRecord(a[k]) && "$dynamic" in (a[k] as object));
  const readOnly = a.readOnlyHint === true;
  if (readOnly && (kind.write || kind.destructive)) {
    // "delete" says what it does; a write verb alone ("add", "merge") can mean arithmetic too, so high needs the code
    // to agree.
    const e = tool.effects;
    const sure = kind.destructive || Boolean(e && (e.httpWrites.length > 0 || e.dbWrites || e.deletes || e.fileWrites || e.shell));
    findings.push(
      report(rules.readOnlyWrites, {
        ...at,
        ...(sure ? {} : { severity: "moderate" as const }),
        message: `"${tool.name}" says readOnlyHint: true but it ${sure ? "" : "may "}${kind.destructive ? "delete" : "change"}${sure ? "s" : ""} data${why}.`,
      }),
    );
  }
  if (kind.destructive && !readOnly && a.destructiveHint !== true && (a.destructiveHint === false || !known("destructiveHint"))) {
    findings.push(
      report(rules.destructiveHint, {
        ...at,
        severity: a.destructiveHint === false ? "high" : "moderate",
        message: `"${tool.name}" is destructive${why} but ${a.destructiveHint === false ? "says destructiveHint: false" : "sets no destructiveHint"}.`,
      }),
    );
  } else if (kind.write && !kind.destructive && !readOnly && !known("destructiveHint")) {
    findings.push(report(rules.writeHints, { ...at, message: `"${tool.name}" changes data${why} but sets no destructiveHint.` }));
  }
  if (kind.openWorld && a.openWorldHint !== true && (a.openWorldHint === false || !known("openWorldHint"))) {
    findings.push(
      report(rules.openWorld, {
        ...at,
        severity: a.openWorldHint === false ? "moderate" : "low",
        message: `"${tool.name}" reaches outside systems (${kind.openWorldReasons.join("; ")}) but ${a.openWorldHint === false ? "says openWorldHint: false" : "sets no openWorldHint"}.`,
      }),
    );
  }
  const suppressesPrompt = readOnly || a.destructiveHint === false;
  const confirms =
    tool.effects?.confirmation || tool.inputSchema.fields.some((f) => /^(?:confirm|confirmed|confirmation|dry_?run|force)$/i.test(f.name));
  if (kind.destructive && suppressesPrompt && !confirms) {
    findings.push(
      report(rules.irreversible, {
        ...at,
        message: `"${tool.name}" deletes or overwrites data${why}, its ${readOnly ? "readOnlyHint: true" : "destructiveHint: false"} keeps ChatGPT from asking, and its handler asks for no confirmation.`,
      }),
    );
  }
  return findings;
}

/** `_meta["openai/widgetAccessible"]`, or xmcp's nested `_meta.openai.widgetAccessible`. */
export function widgetAccessible(meta: Record<string, unknown>): boolean {
  if (meta["openai/widgetAccessible"] === true) return true;
  const openai = meta.openai;
  return isRecord(openai) && openai.widgetAccessible === true;
}
