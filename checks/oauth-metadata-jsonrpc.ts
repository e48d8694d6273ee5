// A missing or bad credential answered as a JSON-RPC error (HTTP 200) instead of an HTTP 401: an MCP client over
// HTTP learns that it must sign in, and where the metadata is, only from a 401 with a WWW-Authenticate challenge, so
// with a JSON-RPC error it never starts account linking. Read from the code facts: calls of a helper that builds
// `{ jsonrpc, error }` and such objects written in place, whose message is about a credential.
import type { Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import { codeFinding } from "./evidence";
import { rules } from "./oauth-metadata-rules";
import type { CheckContext } from "./types";

/** Messages that say the caller's credential is missing or not accepted. */
const CREDENTIAL_ERROR =
  /\b(?:missing|no|invalid|expired|bad)\s{1,3}(?:bearer\s{1,3}|access\s{1,3}|auth\s{1,3})?(?:token|credentials?|api\s{0,3}key|authorization(?:\s{1,3}header)?)\b|\bunauthori[sz]ed\b|\b(?:authentication|sign[ -]?in|log[ -]?in)\s{1,3}(?:is\s{1,3})?required\b|\bnot\s{1,3}(?:authenticated|signed\s{1,3}in|logged\s{1,3}in)\b/i;

export function jsonRpcCredentialErrors(ctx: CheckContext, judged: (p: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const findings: Finding[] = [];
  const reported = new Set<number>();
  const report = (site: { path: string; line: number; fn: number }, message: string) => {
    if (reported.has(site.fn)) return;
    reported.add(site.fn);
    const text = ctx.snapshot.text(site.path) ?? "";
    findings.push(codeFinding(rules.credentialErrorInJsonRpc, { path: site.path, line: site.line, text, message }));
  };
  for (const call of code.calls) {
    if (!judged(call.path) || call.target === null || !buildsJsonRpcError(code.fn(call.target).returns)) continue;
    const said = call.args.map(stringOf).find((s) => s !== null && CREDENTIAL_ERROR.test(s));
    if (said) report(call, answeredWith(`\`${call.callee}(…)\``, said));
  }
  for (const { fn, path, value } of code.objects) {
    if (!judged(path) || !isJsonRpcError(value)) continue;
    const error = value.entries.find((e) => e.key === "error")?.value;
    const message = error?.kind === "object" ? stringOf(error.entries.find((e) => e.key === "message")?.value) : null;
    if (message && CREDENTIAL_ERROR.test(message)) report({ path, line: value.line, fn }, answeredWith("a JSON-RPC error", message));
  }
  return findings;
}

function answeredWith(how: string, said: string): string {
  return `A request without a valid credential is answered with ${how} ("${said.slice(0, 80)}"), not an HTTP 401 with a WWW-Authenticate challenge: an MCP client can't tell it must sign in, or find where.`;
}

function buildsJsonRpcError(returns: readonly Value[]): boolean {
  return returns.some(isJsonRpcError);
}

function isJsonRpcError(v: Value): v is Extract<Value, { kind: "object" }> {
  if (v.kind !== "object") return false;
  const keys = new Set(v.entries.map((e) => e.key));
  return keys.has("jsonrpc") && keys.has("error");
}

function stringOf(v: Value | undefined): string | null {
  if (!v) return null;
  if (v.kind === "string") return v.value;
  if (v.kind === "template") return v.parts.map((p) => (p.kind === "string" ? p.value : " ")).join("");
  return null;
}

