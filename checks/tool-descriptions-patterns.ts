// The text patterns the tool-descriptions check looks for. Descriptions are hostile input, and a pattern must not
// backtrack without end on them: repeats are bounded, except whitespace between literal words (`\s+`), which can match
// a run only one way. A bounded `\s{1,3}` would be no safer and costs more: V8 unrolls short bounded repeats, and
// these patterns compiled that way took ~30 ms a scan, more than the rest of the check.

export interface InstructionPattern {
  label: string;
  pattern: RegExp;
}

export const ORDERING = "act before or after other tools";
const W = "(?:[\\w'’-]{1,20}\\s+)";
export const INSTRUCTION_PATTERNS: InstructionPattern[] = [
  {
    label: "override earlier instructions",
    pattern:
      /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|other|existing|system)\s+(?:instructions|rules|prompts?|directions|guidelines|messages)/i,
  },
  {
    label: "hide actions from the user",
    pattern: new RegExp(
      `\\b(?:do\\s+not|don[’']t|never)\\s+(?:tell|inform|mention|reveal|disclose|notify|alert|let)\\s+${W}{0,3}?(?:the\\s+)?user\\b|\\bwithout\\s+(?:telling|informing|notifying|alerting)\\s+(?:the\\s+)?user|\\b(?:keep|hide)\\s+(?:this|it)\\s+(?:secret\\s+|hidden\\s+)?from\\s+(?:the\\s+)?user|\\bthe\\s+user\\s+(?:must|should)\\s+not\\s+(?:know|see|be\\s+told)`,
      "i",
    ),
  },
  {
    label: ORDERING,
    pattern:
      /\b(?:before|prior\s+to|after)\s+(?:calling|using|invoking|running|executing)\s+(?:any|every|all|each)\s+(?:other\s+)?tools?\b|\b(?:always|must)\s+(?:call|use|invoke|run)\s+this\s+tool\s+(?:first|before)|\b(?:do\s+not|never)\s+(?:call|use|invoke)\s+(?:any\s+)?other\s+tools?/i,
  },
  {
    label: "read local files or secrets",
    pattern:
      /\b(?:read|open|cat|load|include|send|pass|upload|attach|copy|access|extract|provide|append)\b[^.\n]{0,80}?(?:~\/[\w.]|\/etc\/(?:passwd|shadow)|\.ssh\b|\bid_(?:rsa|ed25519|ecdsa)\b|\.aws\/credentials|(?:^|[\s/"'`])\.env\b|\bmcp\.json\b|\.npmrc\b|\.netrc\b|\.git-credentials|cookies\.sqlite)/i,
  },
  {
    label: "leak the conversation or secrets",
    pattern: new RegExp(
      `\\b(?:reveal|output|print|repeat|send|include|pass|leak|share|append)\\s+${W}{0,3}?(?:system\\s+prompt|conversation\\s+history|chat\\s+history|previous\\s+messages|your\\s+instructions)|\\b(?:include|pass|send|put|add|attach|append)\\s+${W}{0,4}?(?:api\\s*keys?|secrets?|passwords?|credentials|access\\s+tokens?|private\\s+keys?)\\s+${W}{0,3}?(?:in|as|into)\\s+(?:the\\s+)?${W}?(?:parameter|argument|field|param|sidenote|notes?)\\b`,
      "i",
    ),
  },
  {
    label: "send data to a fixed address",
    pattern:
      /\b(?:send|post|upload|forward|exfiltrate|transmit|copy|mirror|bcc|cc)\b[^.\n]{0,80}?\b(?:to|at)\s+["'`]?(?:https?:\/\/[^\s"'`]{1,200}|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,63})|\b(?:with|set|use)\s+[\w]{1,30}\s*=\s*["'`]?[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,63}/i,
  },
];

export const HIDDEN_TAG =
  /<\s*\/?\s*(?:important|system|instructions?|secret|hidden|admin|assistant|sudo|override|critical|priority|context|prompt)\b[^<>]{0,100}>|\[\[?\s*(?:SYSTEM|IMPORTANT|INSTRUCTIONS?|ADMIN)\s*\]\]?/i;
export const HTML_COMMENT = /<!--/;
export const BASE64 = /[A-Za-z0-9+/]{60,4000}={0,2}/g;
export const HEX = /\b[0-9a-fA-F]{64,4000}\b/;
export const MISUSE_GUIDANCE =
  /\b(?:do\s+not|don[’']t|never|must\s+not|should\s+not|not\s+(?:to\s+be\s+)?(?:used|for)|only\s+(?:use|call|when|if|after)|use\s+only|avoid|requires?\s+(?:explicit\s+)?(?:user\s+)?confirmation|confirm\s+with\s+the\s+user|ask\s+the\s+user|cannot\s+be\s+undone|irreversible|unless\s+the\s+user|(?:only|just)\s+(?:if|when)\s+the\s+user)\b/i;

/**
 * Text that speaks to the model about what it was told or could do before ("originally you did not have internet
 * access, and were advised to refuse…; this tool now grants you…"). Often well meant, but it rewrites the model's
 * context from inside a tool, which reviewers flag; the wording is what to change.
 */
export const MODEL_CONTEXT =
  /\b(?:originally|previously|until\s+now|before\s+this(?:\s+tool)?),?\s+you\s+(?:did\s+not|didn[’']t|could\s+not|couldn[’']t|were|had\s+no|have\s+been)\b|\byou\s+(?:were|have\s+been|may\s+have\s+been)\s+(?:advised|told|instructed|trained|asked|taught)\s+(?:to|not\s+to)\s+(?:refuse|decline|say|tell)\b|\bnow\s+(?:grants|gives)\s+you\s+(?:internet\s+|web\s+|full\s+)?(?:access|permission|the\s+ability)\b/i;
