// The URLs OAuth discovery hands to clients: the server's public URL, fixed by configuration. Not made from the
// request's Host header (anyone sets it), and not a localhost or plain-http URL written into the code (clients of
// a deployed server can't reach it, or fetch it in the clear).
import type { Value } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { CodeFacts } from "@/lib/engine/facts/code";
import { fromHostHeader, type MetadataDocument } from "@/lib/engine/facts/oauth";
import { codeFinding } from "./evidence";
import { rules } from "./oauth-metadata-rules";
import type { CheckContext } from "./types";

/** Settings that name a discovery URL, compared in lower case: SDK options, FastMCP settings, metadata keys, the challenge. */
const URL_SETTINGS = new Set([
  "resourcemetadataurl",
  "resourceserverurl",
  "resource_server_url",
  "issuer_url",
  "issuerurl",
  "resource",
  "authorization_servers",
  "authserverurls",
  "www-authenticate",
]);
const LOCAL = /^http:\/\/|\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?:[:/]|$)/;

/** Discovery documents whose URLs come from the Host header: one finding, at the first (resource metadata first). */
export function hostHeaderFindings(ctx: CheckContext, documents: readonly MetadataDocument[]): Finding[] {
  const { code, flow } = ctx.facts;
  const built = documents.filter((d) => {
    const values = d.code?.values;
    return values !== undefined && ["resource", "authorization_servers", "issuer"].some((k) => values.has(k) && fromHostHeader(code, flow, values.get(k)!, d.code!.fn));
  });
  if (built.length === 0) return [];
  const first = built.find((d) => d.kind === "prm") ?? built[0]!;
  const others = built.filter((d) => d !== first).map((d) => `${d.path}:${d.line}`);
  const also = others.length > 0 ? ` So is the metadata at ${others.slice(0, 3).join(", ")}.` : "";
  const message = `The ${first.kind === "prm" ? "protected resource" : "authorization server"} metadata takes its URLs from the request's Host / X-Forwarded-* headers.${also}`;
  return [codeFinding(rules.fromHostHeader, { path: first.path, line: first.line, text: ctx.snapshot.text(first.path) ?? "", message })];
}

/** Discovery URLs written as localhost or http:// constants in server code: one finding, at the first. */
export function localUrlFindings(ctx: CheckContext, judged: (p: string) => boolean): Finding[] {
  const { code } = ctx.facts;
  const hits = ctx.facts.settingsWhere((key) => URL_SETTINGS.has(key.toLowerCase())).filter((s) => judged(s.path) && localConstant(code, s.key.toLowerCase(), s.value));
  if (hits.length === 0) return [];
  const [first, ...rest] = hits;
  const also = rest.length > 0 ? ` (and ${rest.length} more place${rest.length > 1 ? "s" : ""})` : "";
  const message = `\`${first!.key}\` is the fixed URL \`${first!.value.text.slice(0, 80)}\`${also}: clients of the deployed server are sent to localhost or plain http.`;
  return [codeFinding(rules.localUrl, { path: first!.path, line: first!.line, text: ctx.snapshot.text(first!.path) ?? "", message })];
}

/** A constant URL (or a challenge naming one) on localhost or plain http; a configured value with a local default is not. */
function localConstant(code: CodeFacts, key: string, v: Value): boolean {
  const text = constantText(code, v);
  if (text === null) return false;
  if (key === "www-authenticate") {
    const m = /resource_metadata="([^"]+)"/.exec(text);
    return m !== null && LOCAL.test(m[1]!);
  }
  return LOCAL.test(text);
}

/** The constant text a value starts with: a string, a template's leading string, `new URL("…")`, a list's first. */
function constantText(code: CodeFacts, v: Value): string | null {
  if (v.kind === "string") return v.value;
  if (v.kind === "template") return v.parts[0]?.kind === "string" ? v.parts.map((p) => (p.kind === "string" ? p.value : "{}")).join("") : null;
  if (v.kind === "array") return v.items[0] ? constantText(code, v.items[0]) : null;
  const call = code.callOf(v);
  if (call && /^(?:URL|AnyHttpUrl|HttpUrl)$/.test(call.callee) && call.args[0]) return constantText(code, call.args[0]);
  return null;
}
