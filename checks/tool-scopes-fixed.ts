// A token verifier that gives every token the same scopes, written in code (`scopes: ["read"]`), while the server
// advertises more (`scopes_supported: ["read", "write"]`): what the user granted is never read, so no scope check can
// tell a token with a scope from one without. Read from the code facts: verifiers' returned objects (or the
// `AccessToken(...)` they build) and the metadata objects that list the supported scopes.
import type { Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { CodeFacts } from "@/lib/engine/facts/code";
import { tokenVerifiers } from "@/lib/engine/facts/tokens";
import { codeFinding } from "./evidence";
import type { CheckContext, Rule } from "./types";

const SUPPORTED_KEYS = new Set(["scopes_supported", "scopesSupported"]);

export function fixedScopeFindings(ctx: CheckContext, rule: Rule, judged: (path: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const advertised = advertisedScopes(code, judged);
  if (advertised.size === 0) return [];
  const findings: Finding[] = [];
  for (const { fn } of tokenVerifiers(code)) {
    if (!judged(fn.path)) continue;
    const fixed = fixedScopes(code, fn.returns, fn.calls.map((id) => code.calls[id]!));
    if (!fixed) continue;
    const never = [...advertised].filter((s) => !fixed.scopes.includes(s));
    if (never.length === 0) continue;
    const message = `\`${fn.name ?? "The token verifier"}\` gives every token the scopes ${JSON.stringify(fixed.scopes)}, whatever the user granted, while the server advertises ${never.map((s) => `"${s}"`).join(", ")} too: no check can tell a token with ${never.length === 1 ? "that scope" : "those scopes"} from one without.`;
    findings.push(codeFinding(rule, { path: fn.path, line: fixed.line, text: ctx.snapshot.text(fn.path) ?? "", message, subject: `fixed-scopes:${fn.name ?? fn.line}` }));
  }
  return findings;
}

function advertisedScopes(code: CodeFacts, judged: (path: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const { path, value } of code.objects) {
    if (!judged(path)) continue;
    for (const e of value.entries) if (e.key !== null && SUPPORTED_KEYS.has(e.key)) for (const s of strings(e.value) ?? []) out.add(s);
  }
  return out;
}

/** `scopes: ["read"]` in a returned object, or `AccessToken(scopes=["read"])` built in the function. */
function fixedScopes(code: CodeFacts, returns: readonly Value[], calls: readonly { kwargs: Array<[string, Value]>; line: number }[]) {
  for (const r of returns) {
    const built = code.callOf(r);
    const entry =
      r.kind === "object"
        ? r.entries.find((e) => e.key === "scopes")
        : built
          ? (() => {
              const kw = built.kwargs.find(([k]) => k === "scopes");
              return kw ? { value: kw[1], line: built.line } : undefined;
            })()
          : undefined;
    const scopes = entry ? strings(entry.value) : null;
    if (entry && scopes && scopes.length > 0) return { scopes, line: entry.line };
  }
  for (const c of calls) {
    const kw = c.kwargs.find(([k]) => k === "scopes");
    const scopes = kw ? strings(kw[1]) : null;
    if (scopes && scopes.length > 0) return { scopes, line: c.line };
  }
  return null;
}

/** A constant list of strings, or null. */
function strings(v: Value): string[] | null {
  if (v.kind !== "array") return null;
  const out: string[] = [];
  for (const item of v.items) {
    if (item.kind !== "string") return null;
    out.push(item.value);
  }
  return out;
}
