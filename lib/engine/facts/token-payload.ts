// JWTs decoded by hand: the middle segment of `token.split(".")` base64-decoded (`Buffer.from(parts[1], "base64url")`,
// `atob(…)`, `base64.urlsafe_b64decode(…)`). That reads the claims and checks nothing. It matters when the code then
// trusts a claim that decides access (expiry, subject, scopes, roles); reading `iss` or `kid` to pick a key or word an
// error is routine. Derived from the code facts; no syntax tree is read here.
import type { CallFact, FnId, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { TokenCall } from "./tokens";

/** Calls that decode base64 text, per how the encoding is given. */
const DECODERS = /^(?:atob|base64url\.decode|Base64\.decode|base64\.(?:urlsafe_b64decode|b64decode|decodebytes)|b64decode|urlsafe_b64decode|base64UrlDecode|base64urlDecode|decodeBase64(?:Url)?)$/;
/** `Buffer.from(x, "base64")`: base64 only with the encoding argument. */
const BUFFER_FROM = /^(?:Buffer\.from|buffer\.Buffer\.from)$/;
/** Claims whose value decides access: expiry, subject and user ids, scopes, roles. */
const TRUSTED_CLAIM = /(?:^|\s)(?:exp|nbf|sub|scope|scopes|scp|role|roles|permissions|groups|email|userid|user_id|uid|admin|is_admin|isadmin|tenant|tenant_id)(?:\s|$)/;
/** Calls that only reshape text: padding, URL-safe alphabet swaps. */
const RESHAPE = /(?:^|\.)(?:replace|replaceAll|padEnd|concat|trim|encode|decode|toString)$/;
const MAX_DEPTH = 8;
const MAX_CALLERS = 10;

/** Every hand decode of a token's payload whose claims then decide access. */
/** Base64 decoders by name, and `Buffer.from` (whose encoding argument is read after). */
const mayDecodeBase64 = (callee: string, resolved: string): boolean =>
  DECODERS.test(resolved || callee) || DECODERS.test(callee) || BUFFER_FROM.test(callee);

export function payloadDecodes(code: CodeFacts): TokenCall[] {
  const out: TokenCall[] = [];
  for (const call of code.callsWhere(mayDecodeBase64)) {
    const name = call.resolved || call.callee;
    const base64 = DECODERS.test(name) || DECODERS.test(call.callee) || (BUFFER_FROM.test(call.callee) && /base64/i.test(call.args[1]?.text ?? ""));
    if (!base64 || call.args[0] === undefined || !isPayloadSegment(code, call.args[0], call.fn, 0)) continue;
    if (!readsTrustedClaim(code, call.fn)) continue;
    out.push({ call, name: `${call.callee}(<the token's middle segment>)`, verifiesSignature: false, signatureSwitchedOff: null, options: null, open: false });
  }
  return out;
}

/** Whether a value is the middle segment of a string split on ".": `parts[1]`, `token.split(".")[1]`, padded or not. */
function isPayloadSegment(code: CodeFacts, v: Value, fn: FnId, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const next = (x: Value) => isPayloadSegment(code, x, fn, depth + 1);
  switch (v.kind) {
    case "member":
      return v.property === "1" && splitOnDot(code, v.object, fn, depth + 1);
    case "ref": {
      const dot = v.path.lastIndexOf(".");
      if (dot !== -1 && v.path.slice(dot + 1) === "1") return splitOnDot(code, { kind: "ref", path: v.path.slice(0, dot), text: v.text }, fn, depth + 1);
      return !v.path.includes(".") && code.lookup(fn, v.path).some(next);
    }
    case "unknown":
      // `const [, payload] = token.split(".")`: an element of the split.
      if (v.op === "element") return v.parts[0] !== undefined && splitOnDot(code, v.parts[0], fn, depth + 1);
      return (v.op === "+" || v.op === "other") && v.parts.some(next);
    case "template":
      return v.parts.some(next);
    case "call": {
      const call = code.callOf(v);
      return call !== null && RESHAPE.test(call.callee) && call.receiver !== null && next(call.receiver);
    }
    default:
      return false;
  }
}

function splitOnDot(code: CodeFacts, v: Value, fn: FnId, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (v.kind === "ref" && !v.path.includes(".")) return code.lookup(fn, v.path).some((b) => splitOnDot(code, b, fn, depth + 1));
  const call = code.callOf(v);
  return call !== null && /(?:^|\.)split$/.test(call.callee) && call.args[0]?.kind === "string" && call.args[0].value === ".";
}

/** Whether the decoding function, or a function that calls it, reads a claim that decides access. */
export function readsTrustedClaim(code: CodeFacts, fn: FnId): boolean {
  const f = code.fn(fn);
  if (TRUSTED_CLAIM.test(f.words)) return true;
  if (f.isModule || f.name === null) return false;
  const callers: CallFact[] = [...code.callersOf(fn), ...code.callsNamed(f.name).filter((c) => c.target === null)];
  return callers.slice(0, MAX_CALLERS).some((c) => TRUSTED_CLAIM.test(code.fn(c.fn).words));
}
