// The text patterns the tool-descriptions check looks for. Every pattern has bounded repeats only: descriptions are
// hostile input, and a pattern must not backtrack without end on them.

export interface InstructionPattern {
  label: string;
  pattern: RegExp;
}

export const ORDERING = "act before or after other tools";
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

export const HIDDEN_TAG =
  /<\s{0,3}\/?\s{0,3}(?:important|system|instructions?|secret|hidden|admin|assistant|sudo|override|critical|priority|context|prompt)\b[^<>]{0,100}>|\[\[?\s{0,3}(?:SYSTEM|IMPORTANT|INSTRUCTIONS?|ADMIN)\s{0,3}\]\]?/i;
export const HTML_COMMENT = /<!--/;
export const BASE64 = /[A-Za-z0-9+/]{60,4000}={0,2}/g;
export const HEX = /\b[0-9a-fA-F]{64,4000}\b/;
export const MISUSE_GUIDANCE =
  /\b(?:do\s{1,3}not|don[’']t|never|must\s{1,3}not|should\s{1,3}not|not\s{1,3}(?:to\s{1,3}be\s{1,3})?(?:used|for)|only\s{1,3}(?:use|call|when|if|after)|use\s{1,3}only|avoid|requires?\s{1,3}(?:explicit\s{1,3})?(?:user\s{1,3})?confirmation|confirm\s{1,3}with\s{1,3}the\s{1,3}user|ask\s{1,3}the\s{1,3}user|cannot\s{1,3}be\s{1,3}undone|irreversible|unless\s{1,3}the\s{1,3}user|(?:only|just)\s{1,3}(?:if|when)\s{1,3}the\s{1,3}user)\b/i;

/**
 * Text that speaks to the model about what it was told or could do before ("originally you did not have internet
 * access, and were advised to refuse…; this tool now grants you…"). Often well meant, but it rewrites the model's
 * context from inside a tool, which reviewers flag; the wording is what to change.
 */
export const MODEL_CONTEXT =
  /\b(?:originally|previously|until\s{1,3}now|before\s{1,3}this(?:\s{1,3}tool)?),?\s{1,3}you\s{1,3}(?:did\s{1,3}not|didn[’']t|could\s{1,3}not|couldn[’']t|were|had\s{1,3}no|have\s{1,3}been)\b|\byou\s{1,3}(?:were|have\s{1,3}been|may\s{1,3}have\s{1,3}been)\s{1,3}(?:advised|told|instructed|trained|asked|taught)\s{1,3}(?:to|not\s{1,3}to)\s{1,3}(?:refuse|decline|say|tell)\b|\bnow\s{1,3}(?:grants|gives)\s{1,3}you\s{1,3}(?:internet\s{1,3}|web\s{1,3}|full\s{1,3})?(?:access|permission|the\s{1,3}ability)\b/i;
