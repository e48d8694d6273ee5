// Tool auth declarations: tools without securitySchemes, write tools open to noauth, read-only tools asking for write
// scopes, and scopes that are declared but never checked anywhere in the code.
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { isRecord } from "@/lib/engine/parse/tools/values";
import type { Snapshot } from "@/lib/engine/snapshot";
import { noToolsOutcome } from "./tool-common";
import { classifyTool } from "./tool-kind";
import { defineRule, report } from "./rule";
import { judgedFiles } from "./auth-code";
import { fixedScopeFindings } from "./tool-scopes-fixed";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ENFORCED = "auth.scopes-enforced";
const LEAST = "principles.least-privilege";

export const rules = {
  missing: defineRule({
    id: "tool-scopes/missing",
    severity: "moderate",
    title: "Tool declares no securitySchemes",
    rationale:
      "Per-tool securitySchemes tell ChatGPT whether a tool needs a linked account and which scopes; other tools here declare them, this one doesn't.",
    remediation:
      'Declare securitySchemes on the tool (and mirror them in _meta.securitySchemes): [{ type: "oauth2", scopes: [...] }] or [{ type: "noauth" }] for public tools.',
    item: ENFORCED,
  }),
  noneDeclared: defineRule({
    id: "tool-scopes/none-declared",
    severity: "low",
    title: "No tool declares securitySchemes",
    rationale: "Without per-tool securitySchemes ChatGPT can't tell which tools need a linked account or which scopes they use.",
    remediation:
      'Declare securitySchemes on every tool: [{ type: "noauth" }] for public tools, [{ type: "oauth2", scopes: [...] }] for the rest.',
    item: ENFORCED,
  }),
  noauthWrite: defineRule({
    id: "tool-scopes/noauth-write",
    severity: "high",
    title: "Write tool open to anonymous callers",
    rationale: "A noauth scheme on a tool that changes data lets anyone run it without linking an account.",
    remediation:
      'Remove { type: "noauth" } from write and destructive tools; require oauth2 with a write scope and check it in the handler.',
    item: LEAST,
  }),
  readOnlyWriteScope: defineRule({
    id: "tool-scopes/read-only-write-scope",
    severity: "moderate",
    title: "Read-only tool asks for a write scope",
    rationale: "Least privilege: a tool that only reads should request only read scopes, so a token it obtains can't change data.",
    remediation: "Ask for the read scope only.",
    item: LEAST,
  }),
  notEnforced: defineRule({
    id: "tool-scopes/scope-not-enforced",
    severity: "moderate",
    title: "Scope declared but never checked",
    rationale:
      "securitySchemes only describe what a tool needs; the server must check the token's scopes on every call, and nothing in the code mentions this scope outside declarations.",
    remediation:
      "Check the scope in the handler or the auth middleware (e.g. requiredScopes, authInfo.scopes.includes(...)) and answer 403 insufficient_scope when it is missing.",
    item: ENFORCED,
  }),
};

const WRITE_SCOPE = /(?:^|[.:_\-/])(?:write|admin|delete|manage|full|all|rw|modify|edit)(?:$|[.:_\-/])/i;
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py)$/i;
/** Code that checks scopes without naming them (a table of required scopes, a helper): it may cover a scope. */
const GENERIC_SCOPE_CHECK =
  /\bscopes?\b[^\n]{0,60}\.(?:includes|has|some|every|indexOf)\s{0,2}\(|insufficient_scope|\brequired_?[sS]copes\b|\bhas_?[sS]cope\s{0,2}\(|\bverify_?[sS]copes?\b/;
/** A scope literal inside one of these lists is a declaration, not a check. */
const DECLARATION_CONTEXT =
  /(?:^|[^\w])(?:scopes|scopes_supported|scopesSupported|supported_scopes|supportedScopes)["']?\s{0,3}[:=]\s{0,3}\[[^\]]{0,300}$/;

export const toolScopesCheck: Check = {
  id: "tool-scopes",
  title: "Tools declare security schemes, ask for the least scope, and scopes are checked",
  section: "auth",
  rules: Object.values(rules),
  async run(ctx) {
    const tools = ctx.facts.tools.tools;
    if (tools.length === 0) return noToolsOutcome(ctx.facts.tools);
    // Scopes stamped on every token by the verifier are not enforced whatever the tools declare.
    const fixed = fixedScopeFindings(ctx, rules.notEnforced, judgedFiles(ctx));
    return { status: "ok", findings: [...evaluateScopes(tools, ctx.snapshot), ...fixed] };
  },
};

export function schemesOf(tool: ToolDecl): Array<{ type: string; scopes: string[] }> {
  return (tool.securitySchemes ?? []).filter(isRecord).map((s) => ({
    type: typeof s.type === "string" ? s.type : "",
    scopes: Array.isArray(s.scopes) ? s.scopes.filter((x): x is string => typeof x === "string") : [],
  }));
}

export function evaluateScopes(tools: readonly ToolDecl[], snapshot: Snapshot): Finding[] {
  const findings: Finding[] = [];
  const declaring = tools.filter((t) => t.securitySchemes !== null);
  const judged = tools.filter(
    (t) => !t.dynamic.some((d) => d === "config" || d.startsWith("securitySchemes") || d === "_meta.securitySchemes"),
  );
  if (declaring.length === 0) {
    const first = tools[0]!;
    findings.push(
      report(rules.noneDeclared, {
        location: first.location,
        subject: "connector",
        message: `None of the ${tools.length} tools declares securitySchemes.`,
      }),
    );
  }
  for (const tool of judged) {
    const at = { location: tool.location, subject: tool.name };
    if (tool.securitySchemes === null) {
      if (declaring.length > 0)
        findings.push(
          report(rules.missing, {
            ...at,
            message: `"${tool.name}" declares no securitySchemes, unlike ${declaring.length} other tool${declaring.length === 1 ? "" : "s"}.`,
          }),
        );
      continue;
    }
    const kind = classifyTool(tool);
    const schemes = schemesOf(tool);
    if (schemes.some((s) => s.type === "noauth") && (kind.write || kind.destructive)) {
      const alsoOauth = schemes.some((s) => s.type === "oauth2");
      findings.push(
        report(rules.noauthWrite, {
          ...at,
          message: `"${tool.name}" changes data (${kind.reasons.join("; ")}) and accepts noauth${alsoOauth ? " alongside oauth2, so anonymous callers can run it" : ""}.`,
        }),
      );
    }
    const writeScopes = schemes.flatMap((s) => s.scopes).filter((s) => WRITE_SCOPE.test(s));
    if (tool.annotations?.readOnlyHint === true && !kind.write && !kind.destructive && writeScopes.length > 0) {
      findings.push(
        report(rules.readOnlyWriteScope, {
          ...at,
          message: `"${tool.name}" is read-only but asks for ${writeScopes.map((s) => `"${s}"`).join(", ")}.`,
        }),
      );
    }
  }
  findings.push(...unenforcedScopes(judged, snapshot));
  return findings;
}

/** Scopes no code checks: every occurrence of the literal sits in a scopes declaration list. */
function unenforcedScopes(tools: readonly ToolDecl[], snapshot: Snapshot): Finding[] {
  const byScope = new Map<string, ToolDecl[]>();
  for (const t of tools) for (const s of schemesOf(t).flatMap((x) => x.scopes)) byScope.set(s, [...(byScope.get(s) ?? []), t]);
  if (byScope.size === 0) return [];
  const checked = new Set<string>();
  let generic: string | null = null;
  for (const p of snapshot.find((q) => CODE_FILE.test(q))) {
    const text = snapshot.text(p);
    if (text === null) continue;
    if (generic === null && GENERIC_SCOPE_CHECK.test(text)) generic = p;
    for (const scope of byScope.keys()) {
      if (checked.has(scope)) continue;
      for (const q of ['"', "'", "`"]) {
        const needle = `${q}${scope}${q}`;
        for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
          if (!DECLARATION_CONTEXT.test(text.slice(Math.max(0, i - 400), i))) {
            checked.add(scope);
            break;
          }
        }
        if (checked.has(scope)) break;
      }
    }
  }
  const findings: Finding[] = [];
  for (const [scope, users] of byScope) {
    if (checked.has(scope)) continue;
    const first = users[0]!;
    findings.push(
      report(rules.notEnforced, {
        location: first.location,
        subject: `scope:${scope}`,
        // A generic check may cover it: still worth a look, but not a failure.
        severity: generic ? "low" : undefined,
        message: `Scope "${scope}" is declared by ${users.map((u) => `"${u.name}"`).join(", ")} but no code names it outside declarations${
          generic ? `; ${generic} checks scopes generically, so confirm it covers this one` : ""
        }.`,
      }),
    );
  }
  return findings;
}
