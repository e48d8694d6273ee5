// Users sharing one identity: the user read from the caller's token with a constant in its place when the token has
// none (one finding per function and claim), or one caller's credentials kept in a process-wide variable that every
// request reads (high). The facts (facts/identity) follow the values back to the caller.
import type { Finding } from "@/lib/core/types";
import { CodeText } from "@/lib/engine/facts/code-text";
import { credentialFallbacks } from "@/lib/engine/facts/credential-fallback";
import { fallbackIdentities, globalIdentities } from "@/lib/engine/facts/identity";
import { Usage } from "@/lib/engine/facts/usage";
import { codeFinding } from "./evidence";
import { rules } from "./token-verification-rules";
import type { CheckContext } from "./types";

/** Other places of one problem listed with its finding. */
const MAX_RELATED = 10;
/** Lines searched past the place the fact gives for the expression itself. */
const SEARCH_LINES = 400;

export function sharedIdentityFindings(ctx: CheckContext, judged: (path: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  const linesOf = new Map<string, string[]>();
  for (const f of fallbackIdentities(ctx.facts.code, ctx.facts.flow)) {
    if (!judged(f.path)) continue;
    const text = ctx.snapshot.text(f.path) ?? "";
    const lines = linesOf.get(f.path) ?? linesOf.set(f.path, text.split("\n")).get(f.path)!;
    const line = lineOf(lines, f.line, f.text);
    const message = `\`${f.claim.slice(0, 80)}\` falls back to the constant "${f.fallback.slice(0, 60)}" when the token has no such claim, so every caller without one is the same user.`;
    findings.push(codeFinding(rules.sharedIdentity, { path: f.path, line, text, message }));
  }
  // Worse: one process-wide "current" credential, so whoever came last is the user for everyone. One finding per
  // variable, the other functions that overwrite it related.
  const byVariable = new Map<string, Finding>();
  for (const g of globalIdentities(ctx.facts.code, ctx.facts.flow)) {
    if (!judged(g.path)) continue;
    const text = ctx.snapshot.text(g.path) ?? "";
    const lines = linesOf.get(g.path) ?? linesOf.set(g.path, text.split("\n")).get(g.path)!;
    const line = lineOf(lines, g.line, g.text);
    const key = `${g.path}\0${g.name}`;
    const known = byVariable.get(key);
    if (known) {
      if ((known.related?.length ?? 0) < MAX_RELATED) known.related = [...(known.related ?? []), { path: g.path, line }];
      continue;
    }
    const fn = ctx.facts.code.fn(g.fn).name ?? "a function";
    const message = `\`${fn}\` stores one caller's credentials in the module-level \`${g.name}\`, which other functions read: every request runs as whoever was stored last.`;
    byVariable.set(key, codeFinding(rules.sharedIdentity, { path: g.path, line, text, message, severity: "high" }));
  }
  findings.push(...byVariable.values());
  // The operator's credential for callers without one: one finding per configured secret, never from dead code.
  const usage = new Usage(ctx.facts.code, new CodeText(ctx.facts.code));
  const bySecret = new Map<string, Finding>();
  for (const c of credentialFallbacks(ctx.facts.code, ctx.facts.flow)) {
    if (!judged(c.path) || usage.inDeadCode(c.fn)) continue;
    const text = ctx.snapshot.text(c.path) ?? "";
    const lines = linesOf.get(c.path) ?? linesOf.set(c.path, text.split("\n")).get(c.path)!;
    const line = lineOf(lines, c.line, c.text);
    const known = bySecret.get(c.secret);
    if (known) {
      if ((known.related?.length ?? 0) < MAX_RELATED) known.related = [...(known.related ?? []), { path: c.path, line }];
      continue;
    }
    const message = `Without a token of the caller's own, the configured \`${c.secret}\` is used instead: anonymous callers act with the operator's account.`;
    bySecret.set(c.secret, codeFinding(rules.operatorFallback, { path: c.path, line, text, message }));
  }
  findings.push(...bySecret.values());
  return findings;
}

/** The line, at or after `from`, where the expression is written (its first 60 characters); `from` if not found. */
function lineOf(lines: readonly string[], from: number, expression: string): number {
  const needle = expression.slice(0, 60);
  for (let i = Math.max(0, from - 1); i < Math.min(lines.length, from - 1 + SEARCH_LINES); i++) if (lines[i]!.includes(needle)) return i + 1;
  return from;
}
