// Outbound calls from server code: each has a timeout or abort signal, and calls to other services are retried.
import type { Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { CodeFacts } from "@/lib/engine/facts/code";
import type { OutboundCall } from "@/lib/engine/facts/http";
import { isShippedPath } from "@/lib/engine/facts/roles";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { defineRule } from "./rule";
import type { Check, CheckContext } from "./types";

const ITEM = "network.timeouts-retries";

export const rules = {
  noTimeout: defineRule({
    id: "net/no-timeout",
    severity: "moderate",
    title: "Outbound call without a timeout",
    rationale:
      "A slow or stalled upstream keeps the tool call, its socket and its memory waiting with no end; under load, hung calls pile up until the server stops answering.",
    remediation:
      "Give every call a deadline: `fetch(url, { signal: AbortSignal.timeout(10_000) })`, axios/got `timeout`, requests `timeout=(3.05, 10)`, urllib `timeout=`. Never pass `timeout=None`.",
    item: ITEM,
    tags: { cwe: ["CWE-1088", "CWE-400"] },
  }),
  noRetry: defineRule({
    id: "net/no-retry",
    severity: "low",
    title: "No retry handling for calls to other services",
    rationale:
      "Transient failures (a reset connection, a 503, a rate limit) then fail the user's tool call outright, although a second try a moment later would have worked.",
    remediation:
      "Retry idempotent calls on network errors, 429 and 5xx with capped exponential backoff and jitter (p-retry, got/ky's built-in retry, tenacity, urllib3 Retry, httpx transport retries), honouring Retry-After.",
    item: ITEM,
    tags: { cwe: ["CWE-755"] },
  }),
};

// Neither rule is an OWASP MCP Top 10 category: they are about availability, not an attacker's way in.
const RETRY_WORDS = /retry|retries|backoff|tenacity|stamina|cockatiel/;
// requests sessions take no timeout of their own: each call on them is judged instead.
const CLIENTS_WITHOUT_TIMEOUT_OPTION = new Set<OutboundCall["library"]>(["requests"]);

function describe(call: OutboundCall): string {
  const what = call.kind === "client" ? `This ${call.library} client` : `This ${call.library} call`;
  if (call.timeout === "disabled") return `${what} explicitly disables its timeout.`;
  if (call.library === "fetch") return `${what} has no abort signal, and fetch has no timeout of its own.`;
  if (call.library === "requests") return `${what} has no \`timeout=\`; requests waits forever by default.`;
  return `${what} sets no timeout, and ${call.library} has none by default.`;
}

/** The URL's leading text when it is written in the call: a string, or the literal start of a template. */
function urlPrefix(url: Value | null): string | null {
  if (url?.kind === "string") return url.value;
  if (url?.kind === "template" && url.parts[0]?.kind === "string") return url.parts[0].value;
  return null;
}

function isLocal(url: Value | null): boolean {
  const prefix = urlPrefix(url);
  return prefix !== null && /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(?:[:/]|$)/.test(prefix);
}

/** `fetch(new Request(url, init))`: the Request carries its own options, so the call can't be judged. */
function isRequestObject(code: CodeFacts, url: Value | null): boolean {
  const made = url ? code.callOf(url) : null;
  return made !== null && made.isNew && /(?:^|\.)Request$/.test(made.callee);
}

export const networkTimeoutsCheck: Check = {
  id: "network-timeouts",
  title: "Outbound calls: timeouts and retries",
  section: "network",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const { facts, snapshot } = ctx;
    const code = facts.code;
    // Server code only: widget and browser calls run in the user's browser, and build or release scripts on
    // developer machines and CI, where a hung call hurts no user.
    const calls = facts.outbound.filter((c) => code.file(c.path)?.role === "server");
    const at = (call: OutboundCall) => ({ path: call.path, line: call.line, text: snapshot.text(call.path) ?? "" });
    const findings: Finding[] = [];
    for (const call of calls) {
      if (call.timeout !== "missing" && call.timeout !== "disabled") continue;
      if (call.kind === "client" && call.timeout === "missing" && CLIENTS_WITHOUT_TIMEOUT_OPTION.has(call.library)) continue;
      if (isLocal(call.url) || isRequestObject(code, call.url)) continue;
      findings.push(codeFinding(rules.noTimeout, { ...at(call), message: describe(call) }));
    }

    const remote = calls.filter((c) => !isLocal(c.url));
    if (remote.length > 0 && !remote.some((c) => c.builtInRetry) && !hasRetryCode(ctx)) {
      const first = remote[0]!;
      findings.push(
        codeFinding(rules.noRetry, {
          ...at(first),
          message: `${remote.length} outbound call${remote.length === 1 ? "" : "s"} to other services, and no retry handling anywhere in the code (no retry library, no retry or backoff logic).`,
          subject: "repository",
        }),
      );
    }
    return finish(findings);
  },
};

/** A name that speaks of retries; module level, so the callee index keeps its answers for the scan. */
const saysRetry = (text: string): boolean => RETRY_WORDS.test(text.toLowerCase());

/**
 * Retry handling anywhere in shipped code: a retry library imported, or a function, call, class, setting or name
 * that speaks of retries or backoff (`withRetry`, `retries: 3`, `MAX_RETRIES`).
 */
function hasRetryCode({ facts }: CheckContext): boolean {
  const code = facts.code;
  const shipped = (p: string) => isShippedPath(code, p);
  const says = (text: string | null) => text !== null && saysRetry(text);
  return (
    code.imports.some((i) => shipped(i.path) && (says(i.module) || i.names.some((n) => says(n.imported) || says(n.local)))) ||
    code.functions.some((f) => shipped(f.path) && (says(f.name) || says(f.words) || Object.keys(f.bindings).some(says))) ||
    code.callsWhere(saysRetry).some((c) => shipped(c.path)) ||
    code.classes.some((c) => shipped(c.path) && says(c.name)) ||
    facts.settingsWhere(saysRetry).some((s) => shipped(s.path))
  );
}
