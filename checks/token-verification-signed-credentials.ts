// Credentials inside a token this server signs: a JWT is signed, not encrypted, so whoever holds it (the client, a
// proxy, a log) reads its payload. An upstream access or refresh token put there leaks with every request and can be
// used against the upstream API directly, outside this server and its checks.
import type { CallFact, ObjectEntry, Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { CodeFacts } from "@/lib/engine/facts/code";
import { isCredentialName } from "@/lib/engine/facts/names";
import { codeFinding } from "./evidence";
import { rules } from "./token-verification-rules";
import type { CheckContext } from "./types";

/** Calls that sign a token from a payload (argument 0), per library: jsonwebtoken, jose, PyJWT, python-jose. */
const SIGNING_CALLS = new Set(["jwt.sign", "jsonwebtoken.sign", "SignJWT", "jose.SignJWT", "jwt.encode", "jose.jwt.encode"]);

export function signedCredentialFindings(ctx: CheckContext, judged: (path: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const findings: Finding[] = [];
  for (const call of signingCalls(code)) {
    if (!judged(call.path)) continue;
    const payload = payloadObject(code, call);
    const carried = payload?.entries.filter((e) => e.key !== null && !e.spread && isCredentialName(e.key) && !isConstant(e.value)) ?? [];
    if (carried.length === 0) continue;
    const keys = carried.map((e) => `\`${e.key}\``).join(", ");
    const first = carried[0]!;
    findings.push(
      codeFinding(rules.credentialsInToken, {
        path: call.path,
        line: first.line,
        text: ctx.snapshot.text(call.path) ?? "",
        message: `The token signed by \`${call.callee}\` carries ${keys} in its payload, readable by anyone who holds the token (a JWT is signed, not encrypted).`,
      }),
    );
  }
  return findings;
}

function signingCalls(code: CodeFacts): CallFact[] {
  const out = new Map<number, CallFact>();
  for (const name of SIGNING_CALLS)
    for (const call of code.callsNamed(name.split(".").pop()!))
      if (SIGNING_CALLS.has(call.callee) || SIGNING_CALLS.has(call.resolved)) out.set(call.id, call);
  return [...out.values()];
}

/** The payload object: written in the call, or a local variable bound to an object literal. */
function payloadObject(code: CodeFacts, call: CallFact): Extract<Value, { kind: "object" }> | null {
  const arg = call.args[0] ?? call.kwargs.find(([k]) => k === "payload" || k === "claims")?.[1];
  if (!arg) return null;
  if (arg.kind === "object") return arg;
  if (arg.kind === "ref" && !arg.path.includes(".")) {
    const bound = code.lookup(call.fn, arg.path).find((v): v is Extract<Value, { kind: "object" }> => v.kind === "object");
    return bound ?? null;
  }
  return null;
}

/** A constant is no credential of anyone's: `token_type: "access"`. */
function isConstant(v: ObjectEntry["value"]): boolean {
  return v.kind === "string" || v.kind === "number" || v.kind === "boolean" || v.kind === "null";
}
