// Logs: no authorization headers, tokens or secrets, no raw request bodies, tool arguments or prompts, and a logger
// setup that redacts. Reads the log sinks of the facts (log calls, and calls of helpers that pass a parameter on
// to one) with what each logged value holds; one rule for both languages.
import type { SinkFact } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { Facts } from "@/lib/engine/facts/container";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { groupFindings } from "./group";
import { LogValueReader, type Sensitive } from "./logging-values";
import { defineRule } from "./rule";
import type { Check, CheckContext } from "./types";

const ITEM = "data-handling.log-redaction";

export const rules = {
  credential: defineRule({
    id: "logging/credential",
    item: ITEM,
    severity: "high",
    title: "Token, secret or authorization header written to the logs",
    rationale:
      "Logs are copied to log services, shared in tickets and kept for months, by people and systems that should never hold users' tokens; a logged bearer token is a working credential for anyone who reads it.",
    remediation:
      "Log that a credential was present or which client it belongs to, never its value. Configure logger redaction (pino `redact: ['req.headers.authorization', '*.token']`, a logging.Filter) as a safety net.",
    tags: { owasp: "MCP01:2025 Token Mismanagement & Secret Exposure", cwe: ["CWE-532"] },
  }),
  content: defineRule({
    id: "logging/request-content",
    item: ITEM,
    severity: "moderate",
    title: "Raw request body, tool arguments or prompt text written to the logs",
    rationale:
      "Tool arguments and request bodies hold what users typed and the personal data the model passed along. The guidance asks for correlation ids in logs and no raw prompt text unless strictly necessary.",
    remediation: "Log a correlation id, the tool name and the sizes or ids you need for debugging; drop or redact the content itself.",
    tags: { owasp: "MCP10:2025 Context Injection & Over-Sharing", cwe: ["CWE-532", "CWE-359"] },
  }),
  personal: defineRule({
    id: "logging/user-data",
    item: ITEM,
    severity: "low",
    title: "A tool argument or a user's personal data written to the logs",
    rationale:
      "What the model passes in a tool argument comes from the conversation, and email addresses or phone numbers identify people; logs keep them for months in places users never agreed to. The guidance asks to log no raw prompt text and to redact personal data.",
    remediation:
      "Log ids, sizes and the tool name instead of the values; where a value is needed for debugging, hash or truncate it, or log it only at a debug level that is off in production.",
    tags: { owasp: "MCP10:2025 Context Injection & Over-Sharing", cwe: ["CWE-532", "CWE-359"] },
  }),
  noRedaction: defineRule({
    id: "logging/no-redaction",
    item: ITEM,
    severity: "low",
    title: "Logger set up without any redaction",
    rationale:
      "Without redaction configured, one careless log line puts a token or an email address into every log sink; redaction in the logger setup catches what code review misses.",
    remediation:
      "Configure redaction where the logger is created: pino `redact` paths for authorization headers, cookies, tokens and emails; a logging.Filter or structlog processor that masks them in Python.",
    tags: { owasp: "MCP01:2025 Token Mismanagement & Secret Exposure", cwe: ["CWE-532"] },
  }),
};

const RULE_OF = { credential: rules.credential, content: rules.content, personal: rules.personal } as const;

export const loggingCheck: Check = {
  id: "logging",
  title: "Logging: redaction, no tokens, no raw prompts or bodies",
  section: "data-handling",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    return finish([...loggedValues(ctx), ...unredactedSetup(ctx)]);
  },
};

/** One finding per log call (or call of a logging helper) that logs something sensitive. */
function loggedValues(ctx: CheckContext): Finding[] {
  const { facts, snapshot } = ctx;
  const reader = new LogValueReader(facts);
  const byCall = new Map<string, SinkFact[]>();
  for (const sink of facts.sinks) {
    if (sink.kind !== "log" || !isJudged(facts, sink.path)) continue;
    const key = `${sink.path}:${sink.line}:${sink.call ?? ""}`;
    (byCall.get(key) ?? byCall.set(key, []).get(key)!).push(sink);
  }
  const findings: Finding[] = [];
  const fnOf = new Map<Finding, number>();
  for (const sinks of byCall.values()) {
    facts.pace();
    const found: Sensitive[] = [];
    for (const sink of sinks.filter((s) => s.via === null)) found.push(...reader.read(sink.value, sink.fn).found);
    // A logging helper's call site: what the helper logs of the arguments, read here once for all of them.
    const via = sinks.find((s) => s.via !== null);
    const call = via?.call == null ? undefined : facts.code.calls[via.call];
    if (call) found.push(...reader.readHelperCall(call).found);
    if (found.length === 0) continue;
    const sink = via ?? sinks[0]!;
    const kind = (["credential", "content", "personal"] as const).find((k) => found.some((f) => f.kind === k))!;
    const whats = [...new Set(found.filter((f) => f.kind === kind).map((f) => f.what))];
    // A script run by hand prints to whoever runs it, not into the server's logs.
    const script = facts.code.file(sink.path)?.role === "script";
    findings.push(
      codeFinding(RULE_OF[kind], {
        path: sink.path,
        line: sink.line,
        text: snapshot.text(sink.path) ?? "",
        message: `\`${logCallee(facts, sink)}\` logs ${joinList(whats)}${sink.via ? ` (through ${innerLogger(sink)} at ${sink.via.path}:${sink.via.line})` : ""}${script ? " in a script run by hand (its output goes to whoever runs it, not to the server's logs)" : ""}.`,
        ...(script ? { severity: "low" as const } : {}),
      }),
    );
    // Module-level statements are not one function: each stays its own finding.
    if (!facts.code.fn(sink.fn).isModule) fnOf.set(findings[findings.length - 1]!, sink.fn);
  }
  // One problem per function and rule: a handler that logs the token on three lines is one finding. Tool arguments
  // and personal data logged all over a file are one habit: one finding per file.
  return groupFindings(
    findings,
    // User data in logs is one habit of the whole server (one finding); a credential or request body, one per function.
    (f) => (f.ruleId === rules.personal.id ? f.ruleId : fnOf.has(f) ? `${f.ruleId}\0${fnOf.get(f)}` : null),
    (group) => ({
      message: `${group[0]!.message.replace(/\.$/, "")}; and ${group.length - 1} more log call${group.length === 2 ? "" : "s"} ${group[0]!.ruleId === rules.personal.id ? "like it" : "in the same function"}.`,
      subject: group.map((f) => f.evidence ?? "").join("|"),
    }),
  );
}

/** A repository-wide fact, reported once at the first logger setup: no setup redacts, and nothing else does either. */
function unredactedSetup(ctx: CheckContext): Finding[] {
  const { facts, snapshot } = ctx;
  const setups = facts.loggerSetups.filter((s) => isJudged(facts, s.path));
  const first = setups[0];
  if (!first || setups.some((s) => s.redacts) || codeRedacts(facts)) return [];
  const others = setups.length - 1;
  return [
    codeFinding(rules.noRedaction, {
      path: first.path,
      line: first.line,
      text: snapshot.text(first.path) ?? "",
      message: `The ${first.library} logger is created without redaction${others > 0 ? ` (as are ${others} other logger setup${others === 1 ? "" : "s"})` : ""}, and nothing else in the code redacts log fields.`,
      subject: "repository",
    }),
  ];
}

/** Server code and scripts are judged; tests, fixtures, docs, examples, vendored, generated and browser code are not. */
function isJudged(facts: Facts, path: string): boolean {
  const role = facts.code.file(path)?.role;
  return role === "server" || role === "script";
}

/** Whether any judged code speaks of redaction (a redact helper, a pino `redact` option built elsewhere). */
function codeRedacts(facts: Facts): boolean {
  return facts.code.functions.some((f) => f.words.includes("redact") && isJudged(facts, f.path));
}

function logCallee(facts: Facts, sink: SinkFact): string {
  const call = sink.call === null ? undefined : facts.code.calls[sink.call];
  return call?.callee || sink.what;
}

/** For a helper's call site: the log call inside the helper ("console.log" of "audit() → console.log"). */
function innerLogger(sink: SinkFact): string {
  const inner = sink.what.slice(sink.what.lastIndexOf("→") + 1).trim();
  return `\`${inner}\``;
}

function joinList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
