// Static shared keys: the caller's credential compared with one fixed key from the configuration (or written in the
// code), with `===`, `==`, `!=` or a constant-time comparison, in either language.
import type { FnId, Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import { isCredentialName, isSecretEnvName } from "@/lib/engine/facts/names";
import { lastSegment } from "@/lib/engine/facts/tokens";
import { isPlaceholder } from "@/lib/engine/secrets";
import { redactSecret, shannonEntropy } from "@/lib/engine/text";
import { codeFinding, lineOfText } from "./evidence";
import { rules } from "./token-verification-rules";
import type { CheckContext } from "./types";

const EQUALITY = new Set(["===", "!==", "==", "!="]);
/** Constant-time comparisons: Node's crypto.timingSafeEqual, Python's hmac / secrets compare_digest. */
const CONSTANT_TIME = /(?:^|\.)timingSafeEqual$|^(?:hmac|secrets)\.compare_digest$/;
/** Verifiers that accept a fixed table of tokens (FastMCP). */
const STATIC_VERIFIER = /^StaticTokenVerifier$/;
/** Where configuration is read from: the environment and settings objects. */
const CONFIG_ROOT = /^(?:process\.env|os\.environ|import\.meta\.env|env|config|settings|Config|CONFIG)\./;
/** Calls that read one environment variable. */
const ENV_GETTERS = /^(?:os\.getenv|os\.environ\.get|Deno\.env\.get)$/;
/** Calls that read one header or parameter by name: `headers.get("x-api-key")`. */
const NAMED_GETTERS = new Set(["get", "header", "getHeader", "get_header"]);

/** The calls read below: a static verifier, or a constant-time comparison. */
const mayCompareKeys = (callee: string, resolved: string): boolean => STATIC_VERIFIER.test(lastSegment(callee)) || CONSTANT_TIME.test(callee) || CONSTANT_TIME.test(resolved);

export function sharedKeyFindings(ctx: CheckContext, judged: (path: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const findings: Finding[] = [];
  const report = (s: { path: string; line: number }) => {
    const text = ctx.snapshot.text(s.path) ?? "";
    findings.push(
      codeFinding(rules.sharedSecret, {
        path: s.path,
        line: s.line,
        text,
        message: "The caller's credential is compared with one fixed key from the configuration.",
        evidence: redactLiterals(lineOfText(text, s.line).trim()),
      }),
    );
  };
  for (const cmp of code.comparisons) {
    if (!EQUALITY.has(cmp.op) || !judged(cmp.path)) continue;
    if (isSharedKeyCheck(ctx, cmp.left, cmp.right, cmp.fn) || isSharedKeyCheck(ctx, cmp.right, cmp.left, cmp.fn)) report(cmp);
  }
  for (const call of code.callsWhere(mayCompareKeys)) {
    // FastMCP's StaticTokenVerifier: a fixed table of tokens, the same key for every caller who has it.
    if (STATIC_VERIFIER.test(lastSegment(call.callee)) && judged(call.path)) {
      findings.push(codeFinding(rules.sharedSecret, { path: call.path, line: call.line, text: ctx.snapshot.text(call.path) ?? "", message: `\`${call.callee}\` accepts fixed tokens from the configuration: every caller with the key is the same client, with no expiry or user.` }));
      continue;
    }
    if (!(CONSTANT_TIME.test(call.callee) || CONSTANT_TIME.test(call.resolved)) || !judged(call.path)) continue;
    const [a, b] = call.args.map((v) => unwrapBytes(ctx, v));
    if (a && b && (isSharedKeyCheck(ctx, a, b, call.fn) || isSharedKeyCheck(ctx, b, a, call.fn))) report(call);
  }
  return findings;
}

/** `Buffer.from(x)`, `x.encode()`, `new TextEncoder().encode(x)`: the bytes of x, compared as x. */
function unwrapBytes(ctx: CheckContext, v: Value): Value {
  const call = ctx.facts.code.callOf(v);
  if (!call) return v;
  if (call.callee === "Buffer.from" && call.args[0]) return call.args[0];
  if (lastSegment(call.callee) === "encode") return call.args[0] ?? call.receiver ?? v;
  return v;
}

/** `token === process.env.API_KEY`: `credential` is the caller's, `secret` one configured key. */
function isSharedKeyCheck(ctx: CheckContext, credential: Value, secret: Value, fn: FnId): boolean {
  const isCallerCredential = namesOf(ctx, credential, fn).some((name) => {
    const last = lastSegment(name);
    return isCredentialName(last) && !CONFIG_ROOT.test(name) && !/^[A-Z0-9_]+$/.test(last);
  });
  if (!isConfiguredSecret(ctx, secret)) return false;
  // Named like a credential, or read from the request whatever its name (a login form's `server_token`).
  return isCallerCredential || ctx.facts.flow.origins(credential, fn).some((o) => o.kind === "request" || (o.kind === "credential" && o.what === "token"));
}

/**
 * The dotted names a value is read from: `req.headers.get("x-api-key")` reads as `req.headers.x-api-key`, and a local
 * name (`key = request.headers.get("x-api-key")`) as itself and as what was assigned to it.
 */
function namesOf(ctx: CheckContext, v: Value, fn: FnId): string[] {
  const direct = nameOf(ctx, v);
  if (direct === null) return [];
  if (v.kind !== "ref" || v.path.includes(".")) return [direct];
  const assigned = ctx.facts.code.lookup(fn, v.path).slice(0, 5).map((b) => nameOf(ctx, b));
  return [direct, ...assigned.filter((n): n is string => n !== null)];
}

function nameOf(ctx: CheckContext, v: Value): string | null {
  if (v.kind === "ref") return v.path;
  const call = ctx.facts.code.callOf(v);
  if (call && call.receiver?.kind === "ref" && NAMED_GETTERS.has(lastSegment(call.callee)) && call.args[0]?.kind === "string")
    return `${call.receiver.path}.${call.args[0].value}`;
  return null;
}

function isConfiguredSecret(ctx: CheckContext, v: Value): boolean {
  switch (v.kind) {
    // A hard-coded key; its value is redacted in the evidence.
    case "string":
      return looksLikeKey(v.value);
    case "template":
      return v.parts.some((p) => p.kind !== "string" && isConfiguredSecret(ctx, p));
    case "call": {
      const call = ctx.facts.code.callOf(v)!;
      const arg = call.args[0];
      return (ENV_GETTERS.test(call.resolved) || ENV_GETTERS.test(call.callee)) && arg?.kind === "string" && isSecretEnvName(arg.value);
    }
    case "ref": {
      const last = lastSegment(v.path);
      if (CONFIG_ROOT.test(v.path)) return isSecretEnvName(last) || isCredentialName(last);
      // Module constants in SCREAMING_CASE: const API_KEY = process.env.API_KEY.
      return /^[A-Z][A-Z0-9_]*$/.test(v.path) && isSecretEnvName(v.path);
    }
    default:
      return false;
  }
}

/** A literal that looks like a key: long, high-entropy, letters and digits, not a word-like label ("awaiting-input"). */
function looksLikeKey(value: string): boolean {
  return (
    value.length >= 12 &&
    value.length <= 200 &&
    !/\s/.test(value) &&
    /\d/.test(value) &&
    /[A-Za-z]/.test(value) &&
    !/^[a-z]+(?:[._-][a-z0-9]+)+$/i.test(value) &&
    !isPlaceholder(value) &&
    shannonEntropy(value) >= 3.5
  );
}

function redactLiterals(line: string): string {
  return line.replace(/(["'`])([^"'`]{6,200})\1/g, (_, q: string, v: string) => `${q}${redactSecret(v)}${q}`).slice(0, 160);
}
