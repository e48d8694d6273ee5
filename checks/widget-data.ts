// What reaches the widget: no credentials in structuredContent, _meta or widget state; tool output never rendered as
// HTML; postMessage listeners check who is talking. Reads the tool output facts, the HTML sinks (through helpers
// too) and the functions registered as message listeners; one rule for both languages.
import type { FnId, SinkFact, Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { listNames, mergeFindings } from "./group";
import { defineRule } from "./rule";
import type { Check, CheckContext } from "./types";
import { checksSender, credentialIn, HtmlReader } from "./widget-data-values";

export const rules = {
  secretInOutput: defineRule({
    id: "widget/secret-in-tool-output",
    item: "data-handling.no-secrets-in-widgets",
    severity: "high",
    title: "Credential in structuredContent, _meta or widget state",
    rationale:
      "Everything a tool returns reaches the model's context and the widget iframe, and widget state is shown to the model too: a token placed there can be read back, logged or sent elsewhere by injected instructions.",
    remediation:
      "Keep tokens and keys on the server. Return only the data the widget displays; when the widget must act, let it call a tool (openai/widgetAccessible) that uses the server-side credential.",
    tags: { owasp: "MCP01:2025 Token Mismanagement & Secret Exposure", cwe: ["CWE-200", "CWE-522"] },
  }),
  htmlInjection: defineRule({
    id: "widget/html-from-tool-output",
    item: "principles.defense-in-depth",
    severity: "high",
    title: "Widget renders data as raw HTML",
    rationale:
      "Tool output carries text from users, web pages and third parties. Rendered as HTML, it runs script inside the widget, which can call the connector's tools and send messages to the conversation as the user.",
    remediation:
      "Render text as text (JSX children, textContent). If HTML is really needed, sanitize it first with DOMPurify and a strict allow-list.",
    tags: { owasp: "MCP06:2025 Prompt Injection via Contextual Payloads", cwe: ["CWE-79"] },
  }),
  messageOrigin: defineRule({
    id: "widget/message-without-origin-check",
    item: "principles.defense-in-depth",
    severity: "moderate",
    title: "postMessage listener without an origin or source check",
    rationale:
      "Any frame or window that can reach the widget may post messages to it; a listener that acts on every message lets another page feed it forged tool results or commands.",
    remediation:
      "Return early unless `event.source === window.parent` (or `event.origin` is the expected host origin) before reading `event.data`.",
    tags: { owasp: "MCP07:2025 Insufficient Authentication & Authorization", cwe: ["CWE-346"] },
  }),
};

// Listener registrations on the widget's own window, as written.
const WINDOW_LISTENER = /^(?:window\.|globalThis\.)?addEventListener$/;
const WINDOW_HANDLER = /^(?:window|globalThis)\.onmessage$/;

export const widgetDataCheck: Check = {
  id: "widget-data",
  title: "Widget data: no secrets in tool output, no raw HTML, checked postMessage",
  section: "data-handling",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    return finish([...secretsInOutput(ctx), ...widgetState(ctx), ...htmlFromData(ctx), ...messageListeners(ctx)]);
  },
};

function roleOf(ctx: CheckContext, path: string): string | undefined {
  return ctx.facts.code.file(path)?.role;
}

/** Server code and scripts are judged for what tools return; tests, fixtures, docs, examples and vendored code are not. */
function isServer(ctx: CheckContext, path: string): boolean {
  const role = roleOf(ctx, path);
  return role === "server" || role === "script";
}

function at(ctx: CheckContext, rule: (typeof rules)[keyof typeof rules], where: { path: string; line: number }, message: string): Finding {
  return codeFinding(rule, { path: where.path, line: where.line, text: ctx.snapshot.text(where.path) ?? "", message });
}

/** structuredContent and _meta (entries, keyword arguments of result constructors) and the dicts tool functions return. */
function secretsInOutput(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const inText: Array<{ finding: Finding; leak: string }> = [];
  for (const output of ctx.facts.toolOutputs) {
    if (!isServer(ctx, output.path)) continue;
    if (output.field === "result") {
      // A returned dict is the tool's structured result, unless it spells out its structuredContent and _meta.
      const v = output.value;
      if (v.kind !== "object" || v.entries.some((e) => e.key === "structuredContent" || e.key === "_meta")) continue;
      const leak = credentialIn(ctx.facts, v, output.fn);
      if (leak) findings.push(at(ctx, rules.secretInOutput, output, `The result of tool \`${output.written}\` carries ${leak}.`));
      continue;
    }
    const leak = credentialIn(ctx.facts, output.value, output.fn);
    if (!leak) continue;
    if (output.field === "content") inText.push({ finding: at(ctx, rules.secretInOutput, output, ""), leak });
    else findings.push(at(ctx, rules.secretInOutput, output, `\`${output.written}\` carries ${leak}.`));
  }
  // Text for the model, not for the widget: a key shown once to its owner may be the point, so it is a question, asked
  // once for the whole server.
  if (inText.length > 0) {
    const leaks = [...new Set(inText.map((t) => t.leak))];
    const merged = mergeFindings(
      inText.map((t) => t.finding),
      { message: `The text tools return to the model carries ${listNames(leaks)}; the model can repeat it, and it stays in the conversation.`, subject: "content" },
    );
    findings.push({ ...merged, severity: "moderate" });
  }
  return findings;
}

/** `setWidgetState(…)` in widget code: widget state is shown to the model. */
function widgetState(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const call of ctx.facts.code.callsNamed("setWidgetState")) {
    const arg = call.args[0];
    if (roleOf(ctx, call.path) !== "widget" || !arg) continue;
    const leak = credentialIn(ctx.facts, arg, call.fn);
    if (leak) findings.push(at(ctx, rules.secretInOutput, call, `Widget state carries ${leak}; widget state is visible to the model.`));
  }
  return findings;
}

/** HTML sinks in widget code given something that is neither a constant nor sanitized, directly or through a helper. */
function htmlFromData(ctx: CheckContext): Finding[] {
  const reader = new HtmlReader(ctx.facts);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const sink of ctx.facts.sinks) {
    if (sink.kind !== "html" || roleOf(ctx, sink.path) !== "widget") continue;
    const call = sink.via && sink.call !== null ? ctx.facts.code.calls[sink.call] : undefined;
    const key = `${sink.path}:${sink.line}:${sink.call ?? sink.what}`;
    if (seen.has(key)) continue;
    if (call ? !reader.isUnsafeCall(call) : !reader.isUnsafe(sink.value, sink.fn)) continue;
    seen.add(key);
    findings.push(at(ctx, rules.htmlInjection, sink, htmlMessage(sink)));
  }
  return findings;
}

function htmlMessage(sink: SinkFact): string {
  const given = `\`${sink.value.text.slice(0, 60)}\`, which is not a constant and not sanitized`;
  if (!sink.via) return `\`${sink.what}\` is given ${given}.`;
  return `\`${sink.via.name}()\` writes its argument as HTML (at ${sink.via.path}:${sink.via.line}) and is given ${given}.`;
}

/** `addEventListener("message", …)` and `window.onmessage = …` in widget code, with handlers that never look at the sender. */
function messageListeners(ctx: CheckContext): Finding[] {
  const code = ctx.facts.code;
  const registrations: Array<{ path: string; line: number; fn: FnId; handler: Value }> = [];
  for (const call of code.callsNamed("addEventListener")) {
    const [event, handler] = call.args;
    if (WINDOW_LISTENER.test(call.callee) && event?.kind === "string" && event.value === "message" && handler)
      registrations.push({ path: call.path, line: call.line, fn: call.fn, handler });
  }
  for (const a of code.assignments) if (WINDOW_HANDLER.test(a.target)) registrations.push({ path: a.path, line: a.line, fn: a.fn, handler: a.value });
  // A top-level `onmessage = (e) => …` in a script is the window's handler (an assignment to a global name).
  for (const f of code.functions) {
    if (!f.isModule) continue;
    for (const handler of f.bindings.onmessage ?? []) if (handler.kind === "function") registrations.push({ path: f.path, line: code.fn(handler.fn).line, fn: f.id, handler });
  }

  const inside = new Map<FnId, FnId[]>();
  for (const f of code.functions) if (f.parent !== null && !f.isModule) (inside.get(f.parent) ?? inside.set(f.parent, []).get(f.parent)!).push(f.id);
  const findings: Finding[] = [];
  for (const r of registrations) {
    if (roleOf(ctx, r.path) !== "widget") continue;
    const handler = code.functionsOf(r.handler, r.fn)[0];
    if (!handler || checksSender(ctx.facts, handler, inside)) continue;
    findings.push(at(ctx, rules.messageOrigin, r, "This `message` listener acts on messages without checking `event.origin` or `event.source`."));
  }
  return findings;
}
