// Tool names, titles and descriptions: instructions aimed at the model, hidden tags and characters, HTML comments,
// encoded blobs, overlong text, missing misuse guidance on destructive tools, and descriptions changed after sign-off.
import { diffWords } from "diff";
import type { ToolBaseline } from "@/lib/core/report";
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { redactSecrets } from "@/lib/engine/secrets";
import { shannonEntropy } from "@/lib/engine/text";
import { decodeTagText, hiddenCharacters, showHidden } from "@/lib/engine/unicode";
import { noToolsOutcome } from "./tool-common";
import { classifyTool, nameTokens } from "./tool-kind";
import { defineRule, report } from "./rule";
import { BASE64, HEX, HIDDEN_TAG, HTML_COMMENT, INSTRUCTION_PATTERNS, MISUSE_GUIDANCE, MODEL_CONTEXT, ORDERING } from "./tool-descriptions-patterns";
import { listNames, mergeFindings } from "./group";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const DESCRIPTIONS = "prompt-injection.tool-descriptions";
const MISUSE = "prompt-injection.misuse-guidance";

/** Longer than this, a description is more likely a prompt than a summary of what the tool does. */
export const OVERLONG_DESCRIPTION = 1500;

export const rules = {
  instructions: defineRule({
    id: "tool-descriptions/model-instructions",
    severity: "high",
    title: "Description gives the model instructions",
    rationale:
      "Tool descriptions reach the model as trusted context. Text that tells it to ignore instructions, hide actions from the user, run before other tools, read secrets or send data elsewhere is tool poisoning.",
    remediation:
      "Rewrite the description to say what the tool does and when to use it; remove every instruction about other tools, the user or data.",
    item: DESCRIPTIONS,
  }),
  modelContext: defineRule({
    id: "tool-descriptions/rewrites-model-context",
    severity: "low",
    title: "Description speaks to the model about what it was told before",
    rationale:
      "Text such as \"originally you did not have internet access and were advised to refuse; this tool now grants you access\" addresses the model and overrides its earlier guidance from inside a tool. Even when well meant, it is the pattern of prompt injection and reviewers ask for it to go.",
    remediation: "Say what the tool does (\"Fetches a URL and returns its content as Markdown\"), not what the model was told or may now do.",
    item: DESCRIPTIONS,
  }),
  hiddenTag: defineRule({
    id: "tool-descriptions/hidden-tag",
    severity: "high",
    title: "Description contains an <IMPORTANT>-style tag",
    rationale: "Tags such as <IMPORTANT> or <SYSTEM> are a known way to make injected instructions look authoritative to the model.",
    remediation: "Remove the tag and any instructions inside it; a description needs no markup.",
    item: DESCRIPTIONS,
  }),
  invisible: defineRule({
    id: "tool-descriptions/invisible-characters",
    severity: "high",
    title: "Invisible, bidirectional or tag characters in tool text",
    rationale: "Zero-width, bidirectional-control and Unicode tag characters hide text from reviewers while the model still reads it.",
    remediation: "Remove the characters shown (⟦U+…⟧) and review what they were hiding.",
    item: DESCRIPTIONS,
  }),
  htmlComment: defineRule({
    id: "tool-descriptions/html-comment",
    severity: "moderate",
    title: "Description contains an HTML comment",
    rationale: "Comments are hidden when descriptions are rendered as HTML or Markdown but reach the model in full.",
    remediation: "Remove the comment; keep notes for maintainers in code comments instead.",
    item: DESCRIPTIONS,
  }),
  encodedBlob: defineRule({
    id: "tool-descriptions/encoded-blob",
    severity: "moderate",
    title: "Description contains a long encoded string",
    rationale: "Base64 or hex blobs in a description can carry instructions or data that reviewers can't read at a glance.",
    remediation: "Remove the blob; if the tool needs data, load it in the handler.",
    item: DESCRIPTIONS,
  }),
  overlong: defineRule({
    id: "tool-descriptions/overlong",
    severity: "low",
    title: "Description far longer than needed",
    rationale: "Very long descriptions are hard to review and a common hiding place for instructions aimed at the model.",
    remediation: `Keep the description to what the tool does, its inputs and its limits (well under ${OVERLONG_DESCRIPTION} characters).`,
    item: DESCRIPTIONS,
  }),
  noMisuseGuidance: defineRule({
    id: "tool-descriptions/no-misuse-guidance",
    severity: "moderate",
    title: "Destructive tool's description gives no guidance against misuse",
    rationale: 'The guidance asks descriptions of write tools to discourage misuse, e.g. "Do not use to delete records".',
    remediation: 'Add a sentence saying when not to use the tool ("Do not use to …", "Only use when the user explicitly asks to …").',
    item: MISUSE,
  }),
  notStatic: defineRule({
    id: "tool-descriptions/not-static",
    severity: "low",
    title: "Tool text is not statically known",
    rationale:
      "A description or name built at run time (from data, the environment or a loop over an endpoints file) can't be reviewed from the code.",
    remediation:
      "Declare names and descriptions as literals, or review the data they come from (and use the live view to see what the server really serves).",
    item: DESCRIPTIONS,
  }),
  missing: defineRule({
    id: "tool-descriptions/missing",
    severity: "low",
    title: "Tool has no description",
    rationale: "Without a description the model guesses what the tool does and when not to use it.",
    remediation: "Describe what the tool does, its inputs, and when not to use it.",
    item: MISUSE,
  }),
  changedAfterSignOff: defineRule({
    id: "tool-descriptions/changed-after-sign-off",
    severity: "high",
    title: "Description changed since the tool was signed off",
    rationale: "A connector can change what it tells the model after review; a changed description needs a new review.",
    remediation: "Review the new description (the words added and removed are shown) and sign the tool off again, or revert the change.",
    item: DESCRIPTIONS,
  }),
};

export const toolDescriptionsCheck: Check = {
  id: "tool-descriptions",
  title: "Tool descriptions: injected instructions, hidden text, misuse guidance, changes after sign-off",
  section: "prompt-injection",
  rules: Object.values(rules),
  async run(ctx) {
    const manifest = ctx.facts.tools;
    if (manifest.tools.length === 0) return noToolsOutcome(manifest);
    const baseline = ctx.services.toolBaseline ?? null;
    const findings: Finding[] = [];
    const names = new Set(manifest.tools.map((t) => t.name));
    const unguarded: Array<{ tool: string; finding: Finding }> = [];
    for (const tool of manifest.tools) {
      ctx.facts.pace();
      // The connector's other tools, asked by name: a set per tool would copy every name for every tool.
      for (const f of evaluateDescription(tool, (n) => n !== tool.name && names.has(n))) {
        if (f.ruleId === rules.noMisuseGuidance.id) unguarded.push({ tool: tool.name, finding: f });
        else findings.push(f);
      }
      if (baseline) findings.push(...changedSinceSignOff(tool, baseline));
    }
    if (unguarded.length > 0) findings.push(oneMisuseFinding(unguarded));
    return { status: "ok", findings };
  },
};

/**
 * Writes that can't be taken back though nothing is deleted: a submission finalised, money or mail sent to many, a
 * role granted. A word of the tool's name says so, unless the name reads (`get_transfer_status`); "send" alone is too
 * common to count.
 */
const IRREVERSIBLE: Record<string, string> = {
  submit: "submits (finalises) something for good",
  finalize: "finalises something for good",
  finalise: "finalises something for good",
  publish: "publishes to others",
  broadcast: "sends to a whole audience",
  pay: "moves money",
  charge: "moves money",
  purchase: "spends money",
  buy: "spends money",
  transfer: "moves money or ownership",
  enroll: "grants someone access or a role",
  grant: "grants someone access or a role",
  deploy: "deploys to a live system",
};

function irreversibleVerb(name: string): string | null {
  const tokens = nameTokens(name);
  const word = tokens.find((w) => w in IRREVERSIBLE);
  return word ? IRREVERSIBLE[word]! : null;
}

/** Destructive tools without misuse guidance are one problem of the server's descriptions: one finding names them all. */
function oneMisuseFinding(unguarded: ReadonlyArray<{ tool: string; finding: Finding }>): Finding {
  const names = unguarded.map((u) => `"${u.tool}"`);
  const message =
    unguarded.length === 1
      ? unguarded[0]!.finding.message
      : `${unguarded.length} tools that ${unguarded.some((u) => u.finding.severity === "low") ? "delete, overwrite or can't take back what they do" : "delete or overwrite data"} say nothing about when not to use them: ${listNames(names)}.`;
  return mergeFindings(
    unguarded.map((u) => u.finding),
    { message, subject: "repository" },
  );
}

/**
 * "MUST call this tool BEFORE create_slide": ordering among the server's own tools is workflow guidance, not an
 * attempt to run ahead of other servers' tools. True when the sentence names a sibling tool and no "any/every/all".
 */
function ordersOwnTools(match: string, text: string, at: number, isSibling: (name: string) => boolean): boolean {
  const end = text.slice(at).search(/[.\n]/);
  const sentence = text.slice(at, end === -1 ? at + 300 : at + Math.min(end, 300));
  if (/\b(?:any|every|all|each)\s{1,3}(?:other\s{1,3})?tools?\b/i.test(`${match} ${sentence}`)) return false;
  return (sentence.match(/[\w.-]{3,80}/g) ?? []).some((word) => isSibling(word.replace(/[.-]+$/, "")));
}

export function evaluateDescription(tool: ToolDecl, isSibling: (name: string) => boolean = () => false): Finding[] {
  const findings: Finding[] = [];
  // Findings about the text point where it is written (a docstring below the decorator), for the reviewer to read.
  const at = (field: string) => ({
    location: field === "description" || field === "misuse" ? (tool.descriptionAt ?? tool.location) : tool.location,
    subject: `${tool.name}:${field}`,
  });
  const texts: Array<[string, string]> = [["name", tool.name]];
  if (tool.title) texts.push(["title", tool.title]);
  if (tool.description) texts.push(["description", tool.description]);

  for (const [field, text] of texts) {
    const hidden = hiddenCharacters(text);
    if (hidden.length > 0) {
      const labels = [...new Map(hidden.map((h) => [h.label, `${h.label} ${h.name}`])).values()];
      const tagText = decodeTagText(text);
      findings.push(
        report(rules.invisible, {
          ...at(field),
          message: `The ${field} of "${tool.name}" contains ${hidden.length} hidden character${hidden.length === 1 ? "" : "s"}: ${labels.slice(0, 6).join(", ")}${tagText ? `. Tag characters spell: "${tagText.slice(0, 200)}"` : ""}.`,
          evidence: evidenceOf(text, hidden[0]!.index),
        }),
      );
    }
    if (field === "name") continue;
    const plain = stripHidden(text);
    const matched = INSTRUCTION_PATTERNS.map((p) => ({ p, m: p.pattern.exec(plain) })).filter(
      (x) => x.m && !(x.p.label === ORDERING && ordersOwnTools(x.m[0], plain, x.m.index, isSibling)),
    );
    if (matched.length > 0) {
      findings.push(
        report(rules.instructions, {
          ...at(field),
          severity: matched.length >= 2 ? "critical" : "high",
          message: `The ${field} of "${tool.name}" tells the model to ${matched.map(({ p, m }) => `${p.label} ("${m![0].slice(0, 80)}")`).join("; ")}.`,
          evidence: evidenceOf(text, text.indexOf(matched[0]!.m![0].slice(0, 10))),
        }),
      );
    }
    const context = matched.length === 0 ? MODEL_CONTEXT.exec(plain) : null;
    if (context)
      findings.push(
        report(rules.modelContext, {
          ...at(field),
          message: `The ${field} of "${tool.name}" speaks to the model about its earlier guidance ("${context[0].slice(0, 80)}").`,
          evidence: evidenceOf(text, text.indexOf(context[0].slice(0, 10))),
        }),
      );
    const tag = HIDDEN_TAG.exec(text);
    if (tag)
      findings.push(
        report(rules.hiddenTag, {
          ...at(field),
          message: `The ${field} of "${tool.name}" contains ${tag[0].slice(0, 40)}.`,
          evidence: evidenceOf(text, tag.index),
        }),
      );
    const comment = HTML_COMMENT.exec(text);
    if (comment)
      findings.push(
        report(rules.htmlComment, {
          ...at(field),
          message: `The ${field} of "${tool.name}" contains an HTML comment.`,
          evidence: evidenceOf(text, comment.index),
        }),
      );
    const blob = encodedBlob(text);
    if (blob)
      findings.push(
        report(rules.encodedBlob, {
          ...at(field),
          message: `The ${field} of "${tool.name}" contains a ${blob.text.length}-character ${blob.kind} string.`,
          evidence: evidenceOf(text, blob.index),
        }),
      );
  }

  const d = tool.description;
  if (d && d.length > OVERLONG_DESCRIPTION)
    findings.push(
      report(rules.overlong, {
        ...at("description"),
        message: `The description of "${tool.name}" is ${d.length.toLocaleString("en-US")} characters long.`,
      }),
    );
  const dynamicText = tool.dynamic.filter((f) => f === "name" || f === "description" || f === "title" || f === "config");
  if (dynamicText.length > 0 || tool.loop) {
    findings.push(
      report(rules.notStatic, {
        ...at("dynamic"),
        message: tool.loop
          ? `"${tool.name}" is registered in a loop over ${tool.loop}; its name and description come from that data.`
          : `The ${dynamicText.join(", ")} of "${tool.name}" ${dynamicText.length === 1 ? "is" : "are"} built at run time.`,
      }),
    );
  } else if (!d || !d.trim()) {
    findings.push(report(rules.missing, { ...at("description"), message: `"${tool.name}" has no description.` }));
  }
  const kind = classifyTool(tool);
  const destructive = kind.destructive;
  const final = destructive || kind.readLike ? null : irreversibleVerb(tool.name);
  if (d && (destructive || final) && !MISUSE_GUIDANCE.test(d)) {
    findings.push(
      report(rules.noMisuseGuidance, {
        ...at("misuse"),
        ...(final ? { severity: "low" as const } : {}),
        message: final
          ? `"${tool.name}" ${final} and its description says nothing about when not to use it or to confirm with the user first.`
          : `"${tool.name}" deletes or overwrites data and its description says nothing about when not to use it.`,
        evidence: showHidden(d).slice(0, 200),
      }),
    );
  }
  return findings;
}

export function changedSinceSignOff(tool: ToolDecl, baseline: ToolBaseline): Finding[] {
  const signed = baseline.tools.find((t) => t.name === tool.name);
  if (!signed || (signed.description ?? "") === (tool.description ?? "")) return [];
  return [
    report(rules.changedAfterSignOff, {
      location: tool.location,
      subject: `${tool.name}:${tool.description ?? ""}`,
      message: `The description of "${tool.name}" changed since ${baseline.label ?? "sign-off"}.`,
      evidence: wordDiffText(signed.description ?? "", tool.description ?? ""),
    }),
  ];
}

/** "kept [-removed-] {+added+} kept", hidden characters shown, trimmed to the changed parts. */
export function wordDiffText(before: string, after: string): string {
  const parts = diffWords(before, after);
  const out = parts
    .map((p) => {
      const v = showHidden(p.value);
      if (p.added) return `{+${v}+}`;
      if (p.removed) return `[-${v}-]`;
      return v.length > 60 ? `${v.slice(0, 25)}…${v.slice(-25)}` : v;
    })
    .join("");
  return redactSecrets(out).slice(0, 600);
}


function encodedBlob(text: string): { kind: string; text: string; index: number } | null {
  for (const m of text.matchAll(BASE64)) {
    const s = m[0];
    // Real base64 mixes cases and digits and is dense; long words and paths are not.
    if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s) && shannonEntropy(s) > 4.5)
      return { kind: "base64-like", text: s, index: m.index ?? 0 };
  }
  const hex = HEX.exec(text);
  return hex ? { kind: "hex", text: hex[0], index: hex.index } : null;
}

function stripHidden(text: string): string {
  let out = "";
  let last = 0;
  for (const h of hiddenCharacters(text)) {
    out += text.slice(last, h.index);
    last = h.index + String.fromCodePoint(h.codePoint).length;
  }
  return out + text.slice(last);
}

/** A short excerpt around `index`, hidden characters shown, secrets redacted. */
function evidenceOf(text: string, index: number): string {
  const start = Math.max(0, index - 60);
  const end = Math.min(text.length, index + 140);
  return redactSecrets(`${start > 0 ? "…" : ""}${showHidden(text.slice(start, end))}${end < text.length ? "…" : ""}`);
}
