// Committed secrets: private keys, well-known token formats, filled-in .env files and hard-coded credentials.
import path from "node:path";
import { isShippedPath } from "@/lib/engine/facts/roles";
import { findTokens, isPlaceholder, redactSecrets } from "@/lib/engine/secrets";
import type { Snapshot } from "@/lib/engine/snapshot";
import { excerptAround, lineAt, lineStarts, lineText, matchesNearAnchors, redactSecret, shannonEntropy } from "@/lib/engine/text";
import { defineRule, report } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "auth.no-long-lived-secrets";
const SECRET_EXPOSURE = "MCP01:2025 Token Mismanagement & Secret Exposure";
const ROTATE =
  "Revoke and rotate the secret now (it is in the repository history), remove it from the code, and load it at run time from a secret manager or environment variable.";

export const rules = {
  privateKey: defineRule({
    id: "secrets/private-key",
    severity: "critical",
    title: "Private key committed",
    rationale: "Anyone who can read the repository can impersonate the service the key belongs to or decrypt its traffic.",
    remediation: ROTATE,
    item: ITEM,
    tags: { owasp: SECRET_EXPOSURE, cwe: ["CWE-321", "CWE-798"] },
  }),
  token: defineRule({
    id: "secrets/token",
    severity: "critical",
    title: "Access token or API key committed",
    rationale: "A committed credential is usable by anyone who can read the repository, its forks or its history.",
    remediation: ROTATE,
    item: ITEM,
    tags: { owasp: SECRET_EXPOSURE, cwe: ["CWE-798"] },
  }),
  envFile: defineRule({
    id: "secrets/env-file",
    severity: "high",
    title: "Secret value in a committed .env file",
    rationale: ".env files hold the secrets of a real environment; committed, they leak to everyone with read access.",
    remediation: `Remove the file from the repository, add it to .gitignore, commit a .env.example with empty values instead. ${ROTATE}`,
    item: ITEM,
    tags: { owasp: SECRET_EXPOSURE, cwe: ["CWE-798", "CWE-540"] },
  }),
  hardcoded: defineRule({
    id: "secrets/hardcoded-credential",
    severity: "high",
    title: "Hard-coded credential",
    rationale: "A password or key written into source code is long-lived, shared by every deployment and exposed with the code.",
    remediation: `Read it from the environment or a secret manager; with built-in identity, use the auth context the platform provides. ${ROTATE}`,
    item: ITEM,
    tags: { owasp: SECRET_EXPOSURE, cwe: ["CWE-798", "CWE-259"] },
  }),
  defaultSecret: defineRule({
    id: "secrets/default-secret",
    severity: "high",
    title: "Secret read from the environment with a hard-coded fallback",
    rationale:
      "When the variable is missing, the server quietly signs or checks with a value printed in its source: anyone who reads the code can forge tokens or sessions that every such deployment accepts.",
    remediation: "Fail at start-up when the secret is missing (`if (!process.env.JWT_SECRET) throw …`) instead of falling back to a literal. " + ROTATE,
    item: ITEM,
    tags: { owasp: SECRET_EXPOSURE, cwe: ["CWE-798", "CWE-1188"] },
  }),
  keystore: defineRule({
    id: "secrets/keystore-file",
    severity: "high",
    title: "Key or keystore file committed",
    rationale: "Keystores and SSH keys are credentials even when password-protected: offline guessing of the password is unlimited.",
    remediation: `Remove the file from the repository and its history. ${ROTATE}`,
    item: ITEM,
    tags: { owasp: SECRET_EXPOSURE, cwe: ["CWE-321", "CWE-540"] },
  }),
};

const LOCKFILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "pnpm-lock.yaml",
  "yarn.lock",
  "bun.lock",
  "uv.lock",
  "poetry.lock",
  "Cargo.lock",
  "go.sum",
]);
const KEYSTORE_EXTENSIONS = new Set([".p12", ".pfx", ".jks", ".keystore"]);
const SSH_KEY_NAMES = new Set(["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]);

/** .env files meant to be committed: templates with placeholder values. */
export function isEnvTemplate(name: string): boolean {
  return /^\.env\.(example|sample|template|dist|defaults|schema)$/i.test(name) || /\.example$/i.test(name);
}

function isEnvFile(name: string): boolean {
  return (name === ".env" || name.startsWith(".env.") || name.endsWith(".env")) && !isEnvTemplate(name);
}

const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;
const SENSITIVE_NAME =
  /(secret|token|passw(or)?d|pwd|api_?key|apikey|private_?key|credential|client_?secret|auth|dsn|signing_?key|session_?key|access_?key)/i;
// A quoted value assigned to a sensitive-looking name. Bounded repeats keep it linear on minified code.
const ASSIGNMENT =
  /["']?([A-Za-z0-9_.-]{0,40}(?:secret|token|passw(?:or)?d|api_?key|apikey|private_?key|client_?secret|access_?key)[A-Za-z0-9_]{0,20})["']?\s{0,5}(?::|=|:=|==?>)\s{0,5}["'`]([^"'`\s]{12,200})["'`]/gi;

/** The names ASSIGNMENT looks for, which start at most 41 characters into its match: it is tried only near them. */
const ASSIGNMENT_NAME = /secret|token|passw(?:or)?d|api_?key|apikey|private_?key|client_?secret|access_?key/i;
const ASSIGNMENT_NAME_REACH = 41;

export const secretsCheck: Check = {
  id: "secrets",
  title: "Committed secrets: private keys, tokens, .env files and hard-coded credentials",
  section: "auth",
  rules: Object.values(rules),
  run({ snapshot, facts, signal }) {
    const findings: Finding[] = [];
    for (const file of snapshot.files()) {
      signal.throwIfAborted();
      const name = path.posix.basename(file.path);
      if (LOCKFILES.has(name)) continue;
      findings.push(...keystoreFindings(file.path, name, file.omitted !== undefined, snapshot));
      const text = snapshot.text(file.path);
      if (text === null) continue;
      // Keys, known token formats and .env values are reported wherever they are committed. The name-and-entropy
      // guess is not: tests, fixtures, docs, examples and vendored copies are full of made-up passwords.
      findings.push(...scanText(file.path, name, text, { guessHardcoded: isShippedPath(facts.code, file.path) }));
    }
    return { status: "ok", findings };
  },
};

function keystoreFindings(repoPath: string, name: string, omitted: boolean, snapshot: Snapshot): Finding[] {
  const ext = path.posix.extname(name).toLowerCase();
  const isSshKey = SSH_KEY_NAMES.has(name);
  if (!KEYSTORE_EXTENSIONS.has(ext) && !isSshKey) return [];
  // Readable SSH keys are reported by their PEM header instead; don't report them twice.
  if (isSshKey && !omitted && snapshot.text(repoPath)?.includes("PRIVATE KEY-----")) return [];
  return [
    report(rules.keystore, {
      message: `${name} is committed at ${repoPath}.`,
      location: { path: repoPath },
      subject: name,
    }),
  ];
}

/** Every secret finding in one text file. Exported for the rule tests. */
export function scanText(
  repoPath: string,
  name: string,
  text: string,
  options: { guessHardcoded: boolean } = { guessHardcoded: true },
): Finding[] {
  const findings: Finding[] = [];
  let starts: number[] | undefined;
  const lineOf = (index: number) => lineAt((starts ??= lineStarts(text)), index);
  const evidenceAt = (index: number, secret: string): string => {
    const line = lineText(text, (starts ??= lineStarts(text)), lineOf(index));
    const column = index - (starts[lineOf(index) - 1] ?? 0);
    const redacted = line.slice(0, column) + redactSecret(secret) + line.slice(column + secret.length);
    return redactSecrets(excerptAround(redacted, column, column + 5));
  };
  const tokenLines = new Set<number>();

  for (const m of text.matchAll(PRIVATE_KEY)) {
    const index = m.index ?? 0;
    // Code that *checks* for a PEM header is not a key: require a body of base64 after the header.
    const body = text.slice(index + m[0].length, index + m[0].length + 400).replace(/^(?:[A-Za-z-]+: .*\r?\n)*/, "");
    if ((body.match(/[A-Za-z0-9+/=]/g)?.length ?? 0) < 64) continue;
    const line = lineOf(index);
    tokenLines.add(line);
    findings.push(
      report(rules.privateKey, {
        message: `${m[1]} in ${repoPath}.`,
        location: { path: repoPath, line },
        evidence: `-----BEGIN ${m[1]}----- ${redactSecret(body.trim())}`,
        subject: body.trim().slice(0, 64),
      }),
    );
  }

  for (const token of findTokens(text)) {
    const line = lineOf(token.index);
    tokenLines.add(line);
    findings.push(
      report(rules.token, {
        message: `${token.pattern.label} in ${repoPath}.`,
        severity: token.pattern.severity,
        location: { path: repoPath, line },
        evidence: evidenceAt(token.index, token.secret),
        subject: token.secret,
      }),
    );
  }

  if (isEnvFile(name)) findings.push(...envFileFindings(repoPath, text, tokenLines));
  else if (options.guessHardcoded) {
    findings.push(...hardcodedFindings(repoPath, text, tokenLines, lineOf, evidenceAt));
    if (CODE_FILE.test(name)) findings.push(...defaultSecretFindings(repoPath, text, lineOf));
  }
  return findings;
}

const CODE_FILE = /\.(?:[cm]?[jt]sx?|py)$/i;
/** Names of secrets that sign or check something: JWT_SECRET, SESSION_KEY, COOKIE_SECRET, SECRET_KEY. */
const SIGNING_SECRET_NAME = /SECRET|(?:JWT|SESSION|SIGNING|HMAC|ENCRYPTION|COOKIE|TOKEN)_?KEY/i;
/** `process.env.X || "…"`, `process.env["X"] ?? "…"`, `os.environ.get("X", "…")`, `os.getenv("X") or "…"`. */
const ENV_FALLBACK =
  /process\.env(?:\.([A-Za-z_][\w]{0,63})|\[\s{0,3}["'`]([A-Za-z_][\w]{0,63})["'`]\s{0,3}\])\s{0,3}(?:\|\||\?\?)\s{0,3}(["'`])([^"'`\n]{1,200})\3|os\.(?:environ\.get|getenv)\(\s{0,3}["']([A-Za-z_]\w{0,63})["']\s{0,3}(?:,\s{0,3}|\)\s{1,3}or\s{1,3})["']([^"'\n]{1,200})["']/g;

/** Secrets that fall back to a literal when the environment doesn't set them. */
function defaultSecretFindings(repoPath: string, text: string, lineOf: (index: number) => number): Finding[] {
  const findings: Finding[] = [];
  for (const m of text.matchAll(ENV_FALLBACK)) {
    const name = m[1] ?? m[2] ?? m[5] ?? "";
    const fallback = m[4] ?? m[6] ?? "";
    if (!SIGNING_SECRET_NAME.test(name) || /PUBLIC|PUBLISHABLE|_ID$|_URL$|_NAME$|_PATH$|_FILE$/i.test(name) || !fallback.trim()) continue;
    findings.push(
      report(rules.defaultSecret, {
        message: `${name} falls back to the literal "${redactSecret(fallback)}" in ${repoPath} when the environment doesn't set it.`,
        location: { path: repoPath, line: lineOf(m.index ?? 0) },
        evidence: `${name} || "${redactSecret(fallback)}"`,
        subject: name,
      }),
    );
  }
  return findings;
}

function envFileFindings(repoPath: string, text: string, tokenLines: ReadonlySet<number>): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (tokenLines.has(i + 1)) continue;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]{0,100})\s*=\s*(.*)$/.exec(lines[i]!.replace(/\r$/, ""));
    if (!m) continue;
    const key = m[1]!;
    const value = unquote(m[2]!.trim());
    if (value.length < 8 || isPlaceholder(value)) continue;
    const looksSecret = SENSITIVE_NAME.test(key) || (value.length >= 20 && shannonEntropy(value) >= 4);
    if (!looksSecret) continue;
    // Database URLs are only secret when they carry a password.
    if (/^[a-z+]+:\/\//i.test(value) && !/:\/\/[^/\s:@]*:[^/\s@]+@/.test(value)) continue;
    findings.push(
      report(rules.envFile, {
        message: `${key} has a value in ${repoPath}.`,
        location: { path: repoPath, line: i + 1 },
        evidence: `${key}=${redactSecret(value)}`,
        subject: key,
      }),
    );
  }
  return findings;
}

function hardcodedFindings(
  repoPath: string,
  text: string,
  tokenLines: ReadonlySet<number>,
  lineOf: (index: number) => number,
  evidenceAt: (index: number, secret: string) => string,
): Finding[] {
  const findings: Finding[] = [];
  for (const m of matchesNearAnchors(text, ASSIGNMENT, ASSIGNMENT_NAME, ASSIGNMENT_NAME_REACH)) {
    const [, key, value] = m;
    if (!key || !value || m.index === undefined) continue;
    const line = lineOf(m.index);
    if (tokenLines.has(line)) continue;
    if (isPlaceholder(value) || shannonEntropy(value) < 3.5 || !/\d/.test(value) || !/[A-Za-z]/.test(value)) continue;
    // Values that are clearly names, paths or URLs are not credentials.
    if (/^(?:https?:|\/|\.\/|[a-z]+(?:[._-][a-z]+)+$)/i.test(value)) continue;
    const index = m.index + m[0].lastIndexOf(value);
    findings.push(
      report(rules.hardcoded, {
        message: `"${key}" is set to a literal value in ${repoPath}.`,
        location: { path: repoPath, line },
        evidence: evidenceAt(index, value),
        subject: value,
      }),
    );
  }
  return findings;
}

function unquote(value: string): string {
  const withoutComment = /^["']/.test(value) ? value : value.replace(/\s+#.*$/, "");
  const m = /^(["'])(.*)\1$/.exec(withoutComment);
  return m ? m[2]! : withoutComment;
}
