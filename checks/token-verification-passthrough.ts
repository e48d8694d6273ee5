// Token passthrough: the caller's own token (or all of the incoming headers) reaching the Authorization of a request
// to another service. Read from the data-flow sinks: each outbound Authorization value and headers object, directly
// or through the helpers that send them (`listNotes(token)` whose fetch sends `Bearer ${token}`).
import type { FunctionFact, SinkFact, Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import { carriesCallerToken, isIncomingHeaders } from "@/lib/engine/facts/caller-token";
import { argumentFor } from "@/lib/engine/facts/flow";
import { clientCredentials } from "@/lib/engine/facts/client-credentials";
import { lastSegment, tokenCalls, tokenVerifiers } from "@/lib/engine/facts/tokens";
import { codeFinding } from "./evidence";
import { rules } from "./token-verification-rules";
import type { CheckContext } from "./types";

type Judged = (path: string) => boolean;

/** Middleware and wrappers that check the server's own bearer tokens. */
const OWN_TOKEN_CHECKS = /^(?:requireBearerAuth|(?:\w+_)?withMcpAuth|verifyAccessToken|verify_token|load_access_token)$/;

export function passthroughFindings(ctx: CheckContext, judged: Judged): Finding[] {
  const { code, flow } = ctx.facts;
  const findings: Finding[] = [];
  const reported = new Set<number>();
  for (const sink of ctx.facts.sinks) {
    if (sink.kind !== "outbound-auth" || !judged(sink.path)) continue;
    if (sink.call !== null && reported.has(sink.call)) continue;
    const fn = code.fn(sink.fn);
    // A helper's parameter: the sink was carried to each of its callers, where the argument says whose token it is.
    if (!fn.isModule && code.callersOf(fn.id).length > 0 && flow.flowOrigins(sink.value, fn.id).some((o) => o.kind === "param" && o.fn === fn.id)) continue;
    const message = judge(ctx, sink.value, sink.fn, sink.via ? { name: sink.via.name, sink: locate(ctx, sink.via) } : null);
    if (!message) continue;
    if (sink.call !== null) reported.add(sink.call);
    findings.push(codeFinding(rules.passthrough, { path: sink.path, line: sink.line, text: ctx.snapshot.text(sink.path) ?? "", message }));
  }
  findings.push(...unlinkedHelperCalls(ctx, judged, reported));
  findings.push(...clientFindings(ctx, judged));
  // A server that takes the user's own upstream token as its credential is a relay (moderate); one that verifies the
  // token as its own and then replays it elsewhere is the confused deputy the MCP spec forbids (high).
  const severity = verifiesOwnTokens(ctx) ? undefined : ("moderate" as const);
  return severity ? findings.map((f) => ({ ...f, severity })) : findings;
}

/** The caller's token given to another service's client library as its credential. */
function clientFindings(ctx: CheckContext, judged: Judged): Finding[] {
  const { code, flow } = ctx.facts;
  const findings: Finding[] = [];
  for (const c of clientCredentials(code)) {
    if (!judged(c.call.path) || !carriesCallerToken(code, flow, c.value, c.call.fn)) continue;
    const message = `The caller's own token (\`${c.value.text.slice(0, 60)}\`) is given to \`${c.client}\` as its \`${c.key}\`, which sends it to that service.`;
    findings.push(codeFinding(rules.passthrough, { path: c.call.path, line: c.call.line, text: ctx.snapshot.text(c.call.path) ?? "", message }));
  }
  return findings;
}

const checksOwnToken = (callee: string): boolean => OWN_TOKEN_CHECKS.test(lastSegment(callee));

function verifiesOwnTokens(ctx: CheckContext): boolean {
  const { code } = ctx.facts;
  if (tokenCalls(code).some((t) => t.verifiesSignature)) return true;
  if (tokenVerifiers(code).length > 0) return true;
  return code.callsWhere(checksOwnToken).length > 0;
}

interface Helper {
  name: string;
  sink: { library: string; path: string; line: number };
}

/** What a value sent as the Authorization (or as the headers) of an outbound request is, when it is the caller's. */
function judge(ctx: CheckContext, value: Value, fn: number, helper: Helper | null): string | null {
  const { code, flow } = ctx.facts;
  const where = helper ? `(${helper.sink.path}:${helper.sink.line})` : "";
  if (isIncomingHeaders(code, flow, value, fn)) {
    return helper
      ? `The incoming request's headers are handed to \`${helper.name}\`, which forwards them, Authorization included, with its ${helper.sink.library} call ${where}.`
      : `This ${libraryAt(ctx, value, fn)} call forwards the incoming request's headers (\`${value.text.slice(0, 60)}\`), Authorization included.`;
  }
  if (!carriesCallerToken(code, flow, value, fn)) return null;
  return helper
    ? `The caller's token is handed to \`${helper.name}\`, which sends it as the Authorization header of its ${helper.sink.library} call ${where}.`
    : `This ${libraryAt(ctx, value, fn)} call sends the caller's own token (\`${value.text.slice(0, 60)}\`) to another service.`;
}

/** The outbound request a helper's sink is, for the message. */
function locate(ctx: CheckContext, at: { path: string; line: number }): Helper["sink"] {
  const outbound = ctx.facts.outbound.find((o) => o.path === at.path && o.line === at.line);
  return { library: outbound?.library ?? "request", path: at.path, line: at.line };
}

function libraryAt(ctx: CheckContext, value: Value, fn: number): string {
  const outbound = ctx.facts.outbound.find((o) => o.fn === fn && (o.authorization === value || o.headersValue === value));
  return outbound?.library ?? "request";
}

/**
 * Helpers whose callers the linker could not tie to them (called by name from a file that doesn't import them):
 * matched by name, as a reviewer reading the code would.
 */
function unlinkedHelperCalls(ctx: CheckContext, judged: Judged, reported: Set<number>): Finding[] {
  const { code, flow } = ctx.facts;
  const findings: Finding[] = [];
  const helpers = new Map<number, { fn: FunctionFact; index: number; sink: SinkFact }>();
  for (const sink of ctx.facts.sinks) {
    if (sink.kind !== "outbound-auth" || sink.via !== null || helpers.has(sink.fn)) continue;
    const fn = code.fn(sink.fn);
    if (fn.isModule || !fn.name || code.callersOf(fn.id).length > 0) continue;
    const param = flow.flowOrigins(sink.value, fn.id).find((o) => o.kind === "param" && o.fn === fn.id);
    if (param?.kind === "param") helpers.set(fn.id, { fn, index: param.index, sink });
  }
  for (const { fn, index, sink } of helpers.values()) {
    for (const call of code.callsNamed(fn.name!)) {
      if (call.target !== null || lastSegment(call.callee) !== fn.name || reported.has(call.id) || !judged(call.path)) continue;
      const arg = argumentFor(call, fn, index);
      const message = arg ? judge(ctx, arg, call.fn, { name: call.callee, sink: locate(ctx, sink) }) : null;
      if (!message) continue;
      reported.add(call.id);
      findings.push(codeFinding(rules.passthrough, { path: call.path, line: call.line, text: ctx.snapshot.text(call.path) ?? "", message }));
    }
  }
  return findings;
}
