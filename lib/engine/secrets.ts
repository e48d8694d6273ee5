// What a secret looks like: well-known token formats, placeholders, and redaction for any evidence we show.
// Every pattern starts with a literal prefix and uses bounded repeats, so it runs in linear time on hostile input.
import { redactSecret, shannonEntropy } from "./text";

export interface TokenPattern {
  id: string;
  /** Shown to users: "GitHub personal access token". */
  label: string;
  pattern: RegExp;
  /** Capture group holding the secret; 0 for the whole match. */
  group: number;
  /** Live credentials are critical; test-mode keys matter less. */
  severity: "critical" | "high" | "low";
  /** Minimum Shannon entropy (bits/char) of the secret, to tell real keys from "ghp_xxxx…". */
  minEntropy: number;
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  {
    id: "github-token",
    label: "GitHub token",
    pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,40}\b/g,
    group: 0,
    severity: "critical",
    minEntropy: 3.5,
  },
  {
    id: "github-fine-grained-token",
    label: "GitHub fine-grained token",
    pattern: /\bgithub_pat_[A-Za-z0-9_]{70,100}\b/g,
    group: 0,
    severity: "critical",
    minEntropy: 3.5,
  },
  {
    id: "anthropic-key",
    label: "Anthropic API key",
    pattern: /\bsk-ant-[a-z0-9]{2,10}-[A-Za-z0-9_-]{40,200}/g,
    group: 0,
    severity: "critical",
    minEntropy: 3.5,
  },
  {
    id: "openai-key",
    label: "OpenAI API key",
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,200}/g,
    group: 0,
    severity: "critical",
    minEntropy: 3.8,
  },
  {
    id: "slack-token",
    label: "Slack token",
    pattern: /\bxox[abposr]-[0-9A-Za-z-]{20,250}/g,
    group: 0,
    severity: "critical",
    minEntropy: 3.3,
  },
  {
    id: "slack-webhook",
    label: "Slack incoming webhook URL",
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,40}/g,
    group: 0,
    severity: "high",
    minEntropy: 3.5,
  },
  {
    id: "aws-access-key-id",
    label: "AWS access key ID",
    pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
    group: 0,
    severity: "high",
    minEntropy: 3.0,
  },
  {
    id: "aws-secret-access-key",
    label: "AWS secret access key",
    pattern: /aws_?secret_?access_?key["']?\s{0,5}[=:]\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 1,
    severity: "critical",
    minEntropy: 4.0,
  },
  {
    id: "stripe-live-key",
    label: "Stripe live secret key",
    pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{20,120}\b/g,
    group: 0,
    severity: "critical",
    minEntropy: 3.5,
  },
  {
    id: "stripe-test-key",
    label: "Stripe test-mode secret key",
    pattern: /\b(?:sk|rk)_test_[A-Za-z0-9]{20,120}\b/g,
    group: 0,
    severity: "low",
    minEntropy: 3.5,
  },
  { id: "google-api-key", label: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, group: 0, severity: "high", minEntropy: 3.5 },
  { id: "npm-token", label: "npm access token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, group: 0, severity: "critical", minEntropy: 3.5 },
];

const PLACEHOLDER_WORDS = [
  "example",
  "changeme",
  "change_me",
  "change-me",
  "your_",
  "your-",
  "yourkey",
  "placeholder",
  "dummy",
  "sample",
  "xxxx",
  "todo",
  "replace",
  "redacted",
  "insert",
  "fake",
  "foobar",
  "lorem",
];

/** True for values that stand in for a secret rather than being one: "<your key>", "${TOKEN}", "xxxx", "changeme". */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (/[<>{}$]|\.\.\./.test(value)) return true;
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return true;
  return new Set(lower).size < 6;
}

export interface TokenMatch {
  pattern: TokenPattern;
  secret: string;
  /** Offset of the secret in the searched text. */
  index: number;
}

/** Every well-known token in `text` that looks real (not a placeholder, enough entropy). */
export function findTokens(text: string): TokenMatch[] {
  const found: TokenMatch[] = [];
  const taken: Array<[number, number]> = [];
  for (const pattern of TOKEN_PATTERNS) {
    for (const m of text.matchAll(pattern.pattern)) {
      const secret = m[pattern.group];
      if (secret === undefined || m.index === undefined) continue;
      const index = m.index + m[0].indexOf(secret);
      // The first, more specific pattern wins where two overlap (an Anthropic key also looks like "sk-…").
      if (taken.some(([from, to]) => index < to && index + secret.length > from)) continue;
      if (isPlaceholder(secret) || shannonEntropy(secret) < pattern.minEntropy) continue;
      taken.push([index, index + secret.length]);
      found.push({ pattern, secret, index });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** `text` with every well-known token replaced by its redacted form, for evidence excerpts. */
export function redactSecrets(text: string): string {
  const tokens = findTokens(text);
  let out = "";
  let last = 0;
  for (const t of tokens) {
    out += text.slice(last, t.index) + redactSecret(t.secret);
    last = t.index + t.secret.length;
  }
  return out + text.slice(last);
}
