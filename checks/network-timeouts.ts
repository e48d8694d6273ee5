// Outbound calls from server code: each has a timeout or abort signal, and calls to other services are retried.
import { outboundCalls, type OutboundCall } from "@/lib/engine/parse/outbound";
import { jsIndex } from "@/lib/engine/parse/js-index";
import { pyIndex } from "@/lib/engine/parse/py-index";
import { isTestPath, isToolingPath } from "@/lib/engine/parse/source-kind";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

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
  }),
};

const RETRY_WORDS = ["retry", "retries", "backoff", "tenacity", "stamina", "cockatiel"];

function describe(call: OutboundCall): string {
  const what = call.kind === "client" ? `This ${call.library} client` : `This ${call.library} call`;
  if (call.timeout === "disabled") return `${what} explicitly disables its timeout.`;
  if (call.library === "fetch") return `${what} has no abort signal, and fetch has no timeout of its own.`;
  if (call.library === "requests") return `${what} has no \`timeout=\`; requests waits forever by default.`;
  return `${what} sets no timeout, and ${call.library} has none by default.`;
}

function isLocal(url: string | null): boolean {
  return url !== null && /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(?:[:/]|$)/.test(url);
}

export const networkTimeoutsCheck: Check = {
  id: "network-timeouts",
  title: "Outbound calls: timeouts and retries",
  section: "network",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    // Build and release scripts run on developer machines and CI; a hung call there hurts no user.
    const calls = (await outboundCalls(facts)).filter((c) => !isToolingPath(c.path));
    const findings: Finding[] = [];
    for (const call of calls) {
      if (call.timeout !== "missing" && call.timeout !== "disabled") continue;
      if (isLocal(call.url)) continue;
      findings.push(codeFinding(rules.noTimeout, { path: call.path, line: call.line, text: call.file.text, message: describe(call) }));
    }

    const remote = calls.filter((c) => !isLocal(c.url));
    if (remote.length > 0 && !remote.some((c) => c.builtInRetry) && !(await hasRetryCode(facts))) {
      const first = remote[0]!;
      findings.push(
        codeFinding(rules.noRetry, {
          path: first.path,
          line: first.line,
          text: first.file.text,
          message: `${remote.length} outbound call${remote.length === 1 ? "" : "s"} to other services, and no retry handling anywhere in the code (no retry library, no retry or backoff logic).`,
          subject: "repository",
        }),
      );
    }
    return finish(findings);
  },
};

async function hasRetryCode(facts: Parameters<Check["run"]>[0]["facts"]): Promise<boolean> {
  const texts = [...jsIndex(facts).map((f) => [f.path, f.text] as const), ...(await pyIndex(facts)).map((f) => [f.path, f.text] as const)];
  return texts.some(([p, text]) => {
    if (isTestPath(p)) return false;
    const lower = text.toLowerCase();
    return RETRY_WORDS.some((w) => lower.includes(w));
  });
}
