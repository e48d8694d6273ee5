// The user an authorization grant is issued to, when that can be a constant: `completeAuthorization({ userId:
// userData.email })` where `userData` falls back to `{ email: "unknown-user@example.com" }` (a conditional, a
// destructuring default). Every grant made without a real identity then belongs to one shared user, whose stored data
// and upstream tokens they all reach. Read from the code facts: the grant call's user, followed through local bindings
// and defaults to the constants it may be.
import type { FnId, Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { CodeFacts } from "@/lib/engine/facts/code";
import { lastSegment } from "@/lib/engine/facts/tokens";
import { codeFinding } from "./evidence";
import { rules } from "./token-verification-rules";
import type { CheckContext } from "./types";

/** Calls that issue a grant to a user named in their options: Cloudflare's workers-oauth-provider. */
const GRANT_CALLS = new Set(["completeAuthorization"]);
const USER_KEYS = new Set(["userId", "user_id", "sub", "subject"]);
const MAX_DEPTH = 6;

export function grantIdentityFindings(ctx: CheckContext, judged: (path: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const findings: Finding[] = [];
  for (const name of GRANT_CALLS) {
    for (const call of code.callsNamed(name)) {
      if (lastSegment(call.callee) !== name || !judged(call.path)) continue;
      const options = call.args[0];
      const user = options?.kind === "object" ? options.entries.find((e) => e.key !== null && USER_KEYS.has(e.key)) : undefined;
      if (!user) continue;
      const constants = [...new Set(constantsOf(code, user.value, call.fn, 0))].filter((c) => c.trim() !== "");
      if (constants.length === 0) continue;
      const message = `\`${call.callee}\` issues the grant to \`${user.value.text.slice(0, 60)}\`, which can be the constant ${constants.map((c) => `"${c.slice(0, 60)}"`).join(" or ")}: every grant made without a real identity belongs to that one user.`;
      findings.push(codeFinding(rules.sharedIdentity, { path: call.path, line: user.line, text: ctx.snapshot.text(call.path) ?? "", message }));
    }
  }
  return findings;
}

/** The string constants a value may be, following `a.b` through local bindings, conditionals and defaults. */
function constantsOf(code: CodeFacts, v: Value, fn: FnId, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  if (v.kind === "string") return [v.value];
  if (v.kind === "unknown" && ["?:", "||", "??"].includes(v.op)) return v.parts.flatMap((p) => constantsOf(code, p, fn, depth + 1));
  const path = v.kind === "ref" ? v.path : v.kind === "member" && v.object.kind === "ref" ? `${v.object.path}.${v.property}` : null;
  if (!path) return [];
  const [root, ...rest] = path.split(".");
  if (!root || rest.length > 1) return [];
  const field = rest[0];
  const out: string[] = [];
  const bound = [...code.lookup(fn, root)];
  const owner = code.paramOwner(fn, root);
  const fallback = owner?.fn.params[owner.index]?.default;
  if (fallback) bound.push(fallback);
  for (const b of bound) out.push(...(field === undefined ? constantsOf(code, b, fn, depth + 1) : fieldConstants(code, b, field, fn, depth + 1)));
  return out;
}

/** The constants of `field` in an object a binding may hold (`cond ? { email: a } : { email: "x" }`). */
function fieldConstants(code: CodeFacts, v: Value, field: string, fn: FnId, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  if (v.kind === "object") {
    const entry = v.entries.find((e) => e.key === field);
    return entry ? constantsOf(code, entry.value, fn, depth + 1) : [];
  }
  if (v.kind === "unknown" && ["?:", "||", "??"].includes(v.op)) return v.parts.flatMap((p) => fieldConstants(code, p, field, fn, depth + 1));
  return [];
}
