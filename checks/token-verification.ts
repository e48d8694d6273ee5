// Bearer token handling: signatures, algorithms, expiry and audience verified; no verifier that accepts anything;
// no tokens from query strings, none passed on to other services, and no static shared key instead of user tokens.
// Every rule reads the code facts, once for TypeScript, JavaScript and Python.
import type { Finding } from "@/lib/core/types";
import { normalizeName, isQueryTokenName } from "@/lib/engine/facts/names";
import { isOff, isOn } from "@/lib/engine/facts/settings";
import { payloadDecodes, readsTrustedClaim } from "@/lib/engine/facts/token-payload";
import { admitsAlgNone, fileVerifiesTokens, functionAndInner, queryReads, tokenCalls, tokenVerifiers, type TokenCall } from "@/lib/engine/facts/tokens";
import type { FnId, FunctionFact, Language } from "@/lib/core/facts";
import type { CodeFacts } from "@/lib/engine/facts/code";
import { judgedFiles } from "./auth-code";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { passthroughFindings } from "./token-verification-passthrough";
import { rules } from "./token-verification-rules";
import { grantIdentityFindings } from "./token-verification-grant-identity";
import { sharedIdentityFindings } from "./token-verification-identity";
import { sharedKeyFindings } from "./token-verification-shared-key";
import { signedCredentialFindings } from "./token-verification-signed-credentials";
import type { Check, CheckContext } from "./types";

export { rules };

/** Words of a function that accepts or rejects a request: middleware's `next`, an error status, an abort. */
const GATING_WORDS = /(?:^|\s)(?:next|status|unauthorized|forbidden|abort|raise|reject|deny|httpexception)(?:\s|$)/;
/** Option names that list the algorithms a verifier accepts. */
const ALGORITHM_KEYS = new Set(["algorithms", "algorithm", "alg"]);
/** Calls that can't be a verification: formatting, time, logging, building the returned identity. */
const TRIVIAL_CALLS: Record<Language, RegExp> = {
  js: /^(?:Date\.now|Math\.\w+|String|Number|Boolean|Promise\.resolve|JSON\.parse|JSON\.stringify|Buffer\.from|atob|console\.\w+|\w*log(?:ger)?\.\w+|[\w.]*\.(?:split|slice|trim|toString|replace|toLowerCase|toUpperCase|substring|map|join))$/,
  py: /^(?:AccessToken|int|str|float|dict|list|set|bool|len|time\.time|datetime\.\w+|json\.loads|json\.dumps|base64\.\w+|logging\.\w+|\w*log(?:ger)?\.\w+|print|[\w.]*\.(?:split|strip|decode|encode|lower|upper))$/,
};

export const tokenVerificationCheck: Check = {
  id: "token-verification",
  title: "Token verification: signature, expiry, audience; no passthrough or query-string tokens",
  section: "auth",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const judged = judgedFiles(ctx);
    return finish([
      ...claimFindings(ctx, judged),
      ...verifierFindings(ctx, judged),
      ...queryFindings(ctx, judged),
      ...passthroughFindings(ctx, judged),
      ...sharedKeyFindings(ctx, judged),
      ...sharedIdentityFindings(ctx, judged),
      ...grantIdentityFindings(ctx, judged),
      ...signedCredentialFindings(ctx, judged),
    ]);
  },
};

function at(ctx: CheckContext, s: { path: string; line: number }, message: string, severity?: Finding["severity"]) {
  return { path: s.path, line: s.line, text: ctx.snapshot.text(s.path) ?? "", message, ...(severity ? { severity } : {}) };
}

/** Decoding without verifying, and verification that skips the audience, the expiry or the signature algorithm. */
function claimFindings(ctx: CheckContext, judged: (path: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const findings: Finding[] = [];
  const calls = [...tokenCalls(code), ...payloadDecodes(code)].filter((t) => judged(t.call.path));
  const verifies = new Map<string, boolean>();
  const fileVerifies = (p: string) => verifies.get(p) ?? verifies.set(p, fileVerifiesTokens(code, calls, p)).get(p)!;
  for (const t of calls) {
    if (!t.verifiesSignature) {
      // Reading the header or claims before verifying (to pick a key) is fine when the file verifies too.
      // Decoded claims that decide access (expiry, subject, scopes, or a rejection or `next()` right there) make it
      // high; read for display or routing, moderate.
      const severity = gatesAccess(code, t.call.fn) ? undefined : "moderate";
      if (!fileVerifies(t.call.path)) findings.push(codeFinding(rules.decodeWithoutVerify, at(ctx, t.call, unverifiedMessage(t), severity)));
      continue;
    }
    const audience = audienceProblem(t);
    if (audience) findings.push(codeFinding(rules.noAudience, at(ctx, t.call, audience)));
  }
  for (const s of ctx.facts.settingsWhere((key) => ALGORITHM_KEYS.has(key) || key === "ignoreExpiration" || key === "verify_exp")) {
    if (!judged(s.path)) continue;
    if (ALGORITHM_KEYS.has(s.key) && admitsAlgNone(s.value)) {
      findings.push(codeFinding(rules.algNone, at(ctx, s, 'The accepted algorithms include "none".')));
    } else if (s.key === "ignoreExpiration" && isOn(s.value)) {
      findings.push(codeFinding(rules.ignoreExpiration, at(ctx, s, "`ignoreExpiration: true` accepts expired tokens.")));
    } else if (s.key === "verify_exp" && isOff(s.value)) {
      // With the signature check off too, the decode is not a verification at all; that rule says so.
      const signatureOff = s.object?.entries.some((e) => e.key === "verify_signature" && isOff(e.value));
      if (!signatureOff) findings.push(codeFinding(rules.ignoreExpiration, at(ctx, s, "`verify_exp: False` accepts expired tokens.")));
    }
  }
  return findings;
}

/** Whether the function that decodes a token decides access with it: trusted claims read, a rejection, `next()`. */
function gatesAccess(code: CodeFacts, fn: FnId): boolean {
  const f = code.fn(fn);
  return readsTrustedClaim(code, fn) || f.shape.throws > 0 || GATING_WORDS.test(f.words);
}

function unverifiedMessage(t: TokenCall): string {
  return t.signatureSwitchedOff
    ? `\`${t.name}\` is called with signature verification off (\`${t.signatureSwitchedOff}\`), and nothing in this file verifies the signature.`
    : `\`${t.name}${t.name.endsWith(")") ? "" : "()"}\` reads the token's claims, and nothing in this file verifies the signature.`;
}

function audienceProblem(t: TokenCall): string | null {
  if (!t.options) return null;
  const switchedOff = t.options.get("verify_aud");
  if (switchedOff && isOff(switchedOff)) return "`verify_aud: False` accepts tokens meant for other services.";
  if (!t.options.has("audience") && !t.open) return `\`${t.name}()\` verifies the signature but not the audience.`;
  return null;
}

/** Verifiers that return an identity for any string. */
function verifierFindings(ctx: CheckContext, judged: (path: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const findings: Finding[] = [];
  for (const { fn, givenTo } of tokenVerifiers(code)) {
    const language = code.fileOf(fn)?.language;
    if (!language || !judged(fn.path) || !acceptsAnything(ctx, fn, language)) continue;
    const message = givenTo
      ? `The verifier given to \`${givenTo}\` returns an identity without checking the token.`
      : `\`${fn.name}\` returns an identity without checking the token.`;
    findings.push(codeFinding(rules.acceptsAny, at(ctx, fn, message)));
  }
  return findings;
}

/** Whether a function could not possibly verify anything: no branch, throw, await, comparison or non-trivial call, yet it returns an identity. */
function acceptsAnything(ctx: CheckContext, fn: FunctionFact, language: Language): boolean {
  const { code } = ctx.facts;
  const body = functionAndInner(code, fn);
  if (body.some((f) => f.shape.branches + f.shape.throws + f.shape.awaits + f.shape.comparisons > 0)) return false;
  const trivial = TRIVIAL_CALLS[language];
  if (body.some((f) => f.calls.some((id) => !trivial.test(code.calls[id]!.callee.slice(0, 120))))) return false;
  return fn.returns.some((r) => r.kind !== "null" && !(r.kind === "boolean" && !r.value));
}

/** Credentials read from the query string. */
function queryFindings(ctx: CheckContext, judged: (path: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const read of queryReads(ctx.facts.code)) {
    if (!judged(read.path) || !isQueryTokenName(read.name)) continue;
    // A bare `token` is less surely a bearer credential than `access_token` or `api_key`: a lower severity.
    const severity = normalizeName(read.name) === "token" ? "moderate" : undefined;
    const message =
      read.kind === "member"
        ? `\`${read.how}\` takes a credential from the query string.`
        : read.kind === "parameter"
          ? `The \`${read.name}\` parameter is declared as a query parameter.`
          : `The \`${read.name}\` query parameter is read as a credential.`;
    findings.push(codeFinding(rules.queryString, at(ctx, read, message, severity)));
  }
  return findings;
}
