// Tool names, titles and descriptions: instructions aimed at the model, hidden tags and characters, HTML comments,
// encoded blobs, overlong text, missing misuse guidance on destructive tools, and descriptions changed after sign-off.
import { diffWords } from "diff";
import type { ToolBaseline } from "@/lib/core/report";
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { redactSecrets } from "@/lib/engine/secrets";
import { shannonEntropy } from "@/lib/engine/text";
import { decodeTagText, hiddenCharacters, showHidden } from "@/lib/engine/unicode";
import { noToolsOutcome } from "./tool-common";
import { classifyTool } from "./tool-kind";
import { defineRule, report } from "./rule";
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

interface InstructionPattern {
  label: string;
  pattern: RegExp;
}

const ORDERING = "act before or after other tools";
// Every pattern has bounded repeats only: descriptions are hostile input.
const W = "(?:[\\w'’-]{1,20}\\s{1,3})";
export const INSTRUCTION_PATTERNS: InstructionPattern[] = [
  {
    label: "override earlier instructions",
    pattern:
      /\b(?:ignore|disregard|forget|override)\s{1,3}(?:all\s{1,3}|any\s{1,3}|the\s{1,3}|your\s{1,3})?(?:previous|prior|above|earlier|other|existing|system)\s{1,3}(?:instructions|rules|prompts?|directions|guidelines|messages)/i,
  },
  {
    label: "hide actions from the user",
    pattern: new RegExp(
      `\\b(?:do\\s{1,3}not|don[’']t|never)\\s{1,3}(?:tell|inform|mention|reveal|disclose|notify|alert|let)\\s{1,3}${W}{0,3}?(?:the\\s{1,3})?user\\b|\\bwithout\\s{1,3}(?:telling|informing|notifying|alerting)\\s{1,3}(?:the\\s{1,3})?user|\\b(?:keep|hide)\\s{1,3}(?:this|it)\\s{1,3}(?:secret\\s{1,3}|hidden\\s{1,3})?from\\s{1,3}(?:the\\s{1,3})?user|\\bthe\\s{1,3}user\\s{1,3}(?:must|should)\\s{1,3}not\\s{1,3}(?:know|see|be\\s{1,3}told)`,
      "i",
    ),
  },
  {
    label: ORDERING,
    pattern:
      /\b(?:before|prior\s{1,3}to|after)\s{1,3}(?:calling|using|invoking|running|executing)\s{1,3}(?:any|every|all|each)\s{1,3}(?:other\s{1,3})?tools?\b|\b(?:always|must)\s{1,3}(?:call|use|invoke|run)\s{1,3}this\s{1,3}tool\s{1,3}(?:first|before)|\b(?:do\s{1,3}not|never)\s{1,3}(?:call|use|invoke)\s{1,3}(?:any\s{1,3})?other\s{1,3}tools?/i,
  },
  {
    label: "read local files or secrets",
    pattern:
      /\b(?:read|open|cat|load|include|send|pass|upload|attach|copy|access|extract|provide|append)\b[^.\n]{0,80}?(?:~\/[\w.]|\/etc\/(?:passwd|shadow)|\.ssh\b|\bid_(?:rsa|ed25519|ecdsa)\b|\.aws\/credentials|(?:^|[\s/"'`])\.env\b|\bmcp\.json\b|\.npmrc\b|\.netrc\b|\.git-credentials|cookies\.sqlite)/i,
  },
  {
    label: "leak the conversation or secrets",
    pattern: new RegExp(
      `\\b(?:reveal|output|print|repeat|send|include|pass|leak|share|append)\\s{1,3}${W}{0,3}?(?:system\\s{1,3}prompt|conversation\\s{1,3}history|chat\\s{1,3}history|previous\\s{1,3}messages|your\\s{1,3}instructions)|\\b(?:include|pass|send|put|add|attach|append)\\s{1,3}${W}{0,4}?(?:api\\s{0,3}keys?|secrets?|passwords?|credentials|access\\s{1,3}tokens?|private\\s{1,3}keys?)\\s{1,3}${W}{0,3}?(?:in|as|into)\\s{1,3}(?:the\\s{1,3})?${W}?(?:parameter|argument|field|param|sidenote|notes?)\\b`,
      "i",
    ),
  },
  {
    label: "send data to a fixed address",
    pattern:
      /\b(?:send|post|upload|forward|exfiltrate|transmit|copy|mirror|bcc|cc)\b[^.\n]{0,80}?\b(?:to|at)\s{1,3}["'`]?(?:https?:\/\/[^\s"'`]{1,200}|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,63})|\b(?:with|set|use)\s{1,3}[\w]{1,30}\s{0,3}=\s{0,3}["'`]?[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,63}/i,
  },
];

const HIDDEN_TAG =
  /<\s{0,3}\/?\s{0,3}(?:important|system|instructions?|secret|hidden|admin|assistant|sudo|override|critical|priority|context|prompt)\b[^<>]{0,100}>|\[\[?\s{0,3}(?:SYSTEM|IMPORTANT|INSTRUCTIONS?|ADMIN)\s{0,3}\]\]?/i;
const HTML_COMMENT = /<!--/;
const BASE64 = /[A-Za-z0-9+/]{60,4000}={0,2}/g;
const HEX = /\b[0-9a-fA-F]{64,4000}\b/;
const MISUSE_GUIDANCE =
  /\b(?:do\s{1,3}not|don[’']t|never|must\s{1,3}not|should\s{1,3}not|not\s{1,3}(?:to\s{1,3}be\s{1,3})?(?:used|for)|only\s{1,3}(?:use|call|when|if|after)|use\s{1,3}only|avoid|requires?\s{1,3}(?:explicit\s{1,3})?(?:user\s{1,3})?confirmation|confirm\s{1,3}with\s{1,3}the\s{1,3}user|ask\s{1,3}the\s{1,3}user|cannot\s{1,3}be\s{1,3}undone|irreversible|unless\s{1,3}the\s{1,3}user|(?:only|just)\s{1,3}(?:if|when)\s{1,3}the\s{1,3}user)\b/i;


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
      for (const f of evaluateDescription(tool, new Set([...names].filter((n) => n !== tool.name)))) {
        if (f.ruleId === rules.noMisuseGuidance.id) unguarded.push({ tool: tool.name, finding: f });
        else findings.push(f);
      }
      if (baseline) findings.push(...changedSinceSignOff(tool, baseline));
    }
    if (unguarded.length > 0) findings.push(oneMisuseFinding(unguarded));
    return { status: "ok", findings };
  },
};

/** Destructive tools without misuse guidance are one problem of the server's descriptions: one finding names them all. */
function oneMisuseFinding(unguarded: ReadonlyArray<{ tool: string; finding: Finding }>): Finding {
  const names = unguarded.map((u) => `"${u.tool}"`);
  const message =
    unguarded.length === 1
      ? unguarded[0]!.finding.message
      : `${unguarded.length} tools that delete or overwrite data say nothing about when not to use them: ${listNames(names)}.`;
  return mergeFindings(
    unguarded.map((u) => u.finding),
    { message, subject: "repository" },
  );
}

/**
 * "MUST call this tool BEFORE create_slide": ordering among the server's own tools is workflow guidance, not an
 * attempt to run ahead of other servers' tools. True when the sentence names a sibling tool and no "any/every/all".
 */
function ordersOwnTools(match: string, text: string, at: number, siblings: ReadonlySet<string>): boolean {
  const end = text.slice(at).search(/[.\n]/);
  const sentence = text.slice(at, end === -1 ? at + 300 : at + Math.min(end, 300));
  if (/\b(?:any|every|all|each)\s{1,3}(?:other\s{1,3})?tools?\b/i.test(`${match} ${sentence}`)) return false;
  return (sentence.match(/[\w.-]{3,80}/g) ?? []).some((word) => siblings.has(word.replace(/[.-]+$/, "")));
}

export function evaluateDescription(tool: ToolDecl, siblings: ReadonlySet<string> = new Set()): Finding[] {
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
      (x) => x.m && !(x.p.label === ORDERING && ordersOwnTools(x.m[0], plain, x.m.index, siblings)),
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
  if (d && classifyTool(tool).destructive && !MISUSE_GUIDANCE.test(d)) {
    findings.push(
      report(rules.noMisuseGuidance, {
        ...at("misuse"),
        message: `"${tool.name}" deletes or overwrites data and its description says nothing about when not to use it.`,
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
