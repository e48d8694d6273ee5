// The MCP HTTP transport: DNS-rebinding protection left on with real allowed hosts; CORS that neither lets every site
// call a server that checks no caller nor allows every origin with credentials (high only where cookies ride along).
import type { CallFact } from "@/lib/core/facts";
import type { CodeFacts } from "@/lib/engine/facts/code";
import type { Finding } from "@/lib/core/types";
import { entry, kwarg } from "@/lib/engine/facts/http";
import { isShippedPath } from "@/lib/engine/facts/roles";
import { isOff, isOn, type SettingFact } from "@/lib/engine/facts/settings";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { defineRule } from "./rule";
import { unauthenticatedEndpoint } from "./auth-required";
import { corsProblems, openCorsCalls } from "./transport-cors";
import type { Check, CheckContext } from "./types";

const ITEM = "network.transport-hardening";
const TAGS = { owasp: "MCP07:2025 Insufficient Authentication & Authorization", cwe: ["CWE-346"] } as const;

export const rules = {
  dnsRebindingOff: defineRule({
    id: "transport/dns-rebinding-disabled",
    severity: "high",
    title: "DNS-rebinding protection switched off on the HTTP transport",
    rationale:
      "Without Host and Origin checks, a web page the user visits can rebind its own domain to the server's address and drive the MCP endpoint from the user's browser, reaching servers on localhost or a private network.",
    remediation:
      'Turn the protection on and list the hosts the server answers to: `enableDnsRebindingProtection: true, allowedHosts: ["mcp.example.com"]` (TypeScript) or `TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=[...])` (Python).',
    item: ITEM,
    tags: TAGS,
  }),
  emptyAllowedHosts: defineRule({
    id: "transport/empty-allowed-hosts",
    severity: "moderate",
    title: "DNS-rebinding protection on, but no allowed hosts",
    rationale:
      "The TypeScript SDK checks the Host header only against a non-empty allowedHosts list; with none, every Host passes and the protection does nothing.",
    remediation:
      "List the host names (with port where relevant) the server is reached at in `allowedHosts`, and the expected origins in `allowedOrigins`.",
    item: ITEM,
    tags: TAGS,
  }),
  allInterfaces: defineRule({
    id: "transport/dns-rebinding-all-interfaces",
    severity: "low",
    title: "Server bound to every interface, so the SDK checks no Host header",
    rationale:
      "The SDKs check the Host header for DNS rebinding only when the server binds to localhost. Bound to 0.0.0.0 with no allowed hosts, a server run on a developer's machine answers anyone on the network, and any web page the user visits can rebind its domain to it.",
    remediation:
      'Bind to 127.0.0.1 when the server runs locally, or list the hosts it answers to: `createMcpExpressApp({ host: "0.0.0.0", allowedHosts: ["mcp.example.com"] })`, `FastMCP(..., transport_security=TransportSecuritySettings(allowed_hosts=[...]))`.',
    item: ITEM,
    tags: TAGS,
  }),
  corsCredentials: defineRule({
    id: "transport/cors-any-origin-with-credentials",
    severity: "high",
    title: "CORS allows any origin together with credentials",
    rationale:
      "When the server echoes any origin back with credentials allowed, every website can make credentialed requests from a signed-in user's browser and read the answers. A literal `*` with credentials is refused by browsers, so that setting is either broken or one edit away from echoing the origin.",
    remediation:
      'Allow an explicit list of origins when credentials are needed (`origin: ["https://chatgpt.com"]`), or keep `*` and drop credentials: bearer tokens in an Authorization header don\'t need them.',
    item: ITEM,
    tags: { owasp: TAGS.owasp, cwe: ["CWE-942", "CWE-346"] },
  }),
  corsOpenWithoutAuth: defineRule({
    id: "transport/cors-open-without-auth",
    severity: "moderate",
    title: "Every site may call an MCP server that checks no caller",
    rationale:
      "With CORS open to every origin and nothing checking who calls, any web page the user visits can call the server's tools from the user's browser and read the answers, including a server meant to run on the user's own machine.",
    remediation: "Put authentication in front of the MCP endpoint, or allow only the origins that need it (`cors({ origin: [\"https://chatgpt.com\"] })`); an MCP client that is not a browser needs no CORS at all.",
    item: ITEM,
    tags: { owasp: TAGS.owasp, cwe: ["CWE-942", "CWE-306"] },
  }),
  corsReflected: defineRule({
    id: "transport/cors-origin-reflected",
    severity: "high",
    title: "CORS sends the caller's Origin back unchecked",
    rationale:
      "Setting Access-Control-Allow-Origin to the request's Origin header, with no check or with one another site can pass (`startsWith`, `includes`, an unanchored pattern), allows every site; with credentials allowed, any page a signed-in user opens can call the server as them and read the answers.",
    remediation:
      "Compare the whole Origin with a fixed list (`ALLOWED.has(origin)`) before sending it back, add `Vary: Origin`, and allow credentials only for origins on that list.",
    item: ITEM,
    tags: { owasp: TAGS.owasp, cwe: ["CWE-942", "CWE-346"] },
  }),
};

/** The SDKs' switches for Host/Origin checking, and the setting that lists the hosts. */
const DNS_REBINDING_SWITCHES: Record<string, { hostsKey: string; emptyHostsAllowEvery: boolean }> = {
  // TypeScript SDK: the Host header is checked only against a non-empty allowedHosts list.
  enableDnsRebindingProtection: { hostsKey: "allowedHosts", emptyHostsAllowEvery: true },
  // Python SDK: an empty allowed_hosts rejects every Host, so it fails closed and is no hole.
  enable_dns_rebinding_protection: { hostsKey: "allowed_hosts", emptyHostsAllowEvery: false },
};

export const transportCheck: Check = {
  id: "transport",
  title: "HTTP transport: DNS-rebinding protection and CORS",
  section: "network",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const at = (s: { path: string; line: number }): At => ({ path: s.path, line: s.line, text: ctx.snapshot.text(s.path) ?? "" });
    return finish([...hostChecks(ctx, at), ...corsFindings(ctx, at)]);
  },
};

type At = { path: string; line: number; text: string };

/** DNS-rebinding protection: switched off, on with no hosts, or never on because the server binds every interface. */
function hostChecks(ctx: CheckContext, at: (s: { path: string; line: number }) => At): Finding[] {
  const { facts } = ctx;
  const findings: Finding[] = [];
  for (const s of facts.settingsWhere((key) => Object.hasOwn(DNS_REBINDING_SWITCHES, key))) {
    const dnsSwitch = DNS_REBINDING_SWITCHES[s.key];
    if (!dnsSwitch || !isShippedPath(facts.code, s.path)) continue;
    if (isOff(s.value)) {
      findings.push(codeFinding(rules.dnsRebindingOff, { ...at(s), message: `\`${written(s)}\` on the transport.` }));
    } else if (isOn(s.value) && dnsSwitch.emptyHostsAllowEvery && listsNoHosts(s, dnsSwitch.hostsKey)) {
      findings.push(
        codeFinding(rules.emptyAllowedHosts, {
          ...at(s),
          message: `DNS-rebinding protection is on, but \`${dnsSwitch.hostsKey}\` is missing or empty, so no Host header is rejected.`,
        }),
      );
    }
  }
  for (const call of allInterfaceServers(facts.code.callsWhere(makesServer))) {
    if (!isShippedPath(facts.code, call.path)) continue;
    findings.push(
      codeFinding(rules.allInterfaces, {
        ...at(call),
        message: `\`${call.callee}\` binds the server to every interface and lists no allowed hosts, so Host headers go unchecked.`,
      }),
    );
  }
  return findings;
}

/** CORS open to every site on a server that checks no caller, and every origin allowed with credentials. */
function corsFindings(ctx: CheckContext, at: (s: { path: string; line: number }) => At): Finding[] {
  const { facts } = ctx;
  const findings: Finding[] = [];
  const open = openCorsCalls(facts);
  const unauthenticated = open.length > 0 ? unauthenticatedEndpoint(ctx, { evenLocal: true }) : null;
  if (open[0] && unauthenticated)
    findings.push(
      codeFinding(rules.corsOpenWithoutAuth, {
        ...at(open[0]),
        message: `\`${open[0].text}\` lets every site read the answers, and ${unauthenticated.what.replace(/^The /, "the ")} checks no caller: any page the user visits can call its tools.`,
      }),
    );
  const cookies = usesCookies(facts.code);
  for (const problem of corsProblems(facts)) {
    const rule = problem.kind === "reflected" ? rules.corsReflected : rules.corsCredentials;
    const severity = problem.severity ?? rule.severity;
    // Credentials in CORS are cookies: a server that authenticates with bearer headers only gives a foreign page
    // nothing to ride on, so the setting is a hazard to fix, not a hole.
    const bearerOnly = severity === "high" && !cookies;
    findings.push(
      codeFinding(rule, {
        ...at(problem),
        message: bearerOnly ? `${problem.message.replace(/\.$/, "")}; the server sets no cookies and keeps no sessions, so no browser credential rides along today.` : problem.message,
        severity: bearerOnly ? "low" : severity,
      }),
    );
  }
  return findings;
}

/** The setting as it reads in the code: `key: false` (object entry), `key=False` (keyword), `a.key = false`. */
function written(s: SettingFact): string {
  if (s.target) return `${s.target} = ${s.value.text}`;
  return s.object ? `${s.key}: ${s.value.text}` : `${s.key}=${s.value.text}`;
}

/** The hosts setting beside the switch is absent or an empty list; unknown (spread options) counts as listed. */
function listsNoHosts(s: SettingFact, hostsKey: string): boolean {
  let hosts;
  if (s.object) {
    if (s.object.entries.some((e) => e.spread)) return false;
    hosts = entry(s.object, hostsKey);
  } else if (s.call) {
    if (s.call.spread) return false;
    hosts = kwarg(s.call, hostsKey);
  } else return false;
  return !hosts || (hosts.kind === "array" && hosts.items.length === 0);
}

const ANY_INTERFACE = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * Server factories that turn on Host checks only for localhost: the TypeScript SDK's `createMcpExpressApp({ host })`
 * and the Python SDK's `FastMCP(host=...)`. Bound to every interface with no allowed hosts (or transport security)
 * given, they check nothing.
 */
const makesServer = (callee: string, resolved: string): boolean => ["createMcpExpressApp", "FastMCP"].includes((resolved || callee).split(".").pop()!);
const usesCookieCall = (callee: string): boolean => /(?:^|\.)(?:cookie|clearCookie|cookies|set_cookie|cookieParser|getServerSession)$/.test(callee);

function allInterfaceServers(calls: readonly CallFact[]): CallFact[] {
  return calls.filter((call) => {
    const name = (call.resolved || call.callee).split(".").pop();
    if (name === "createMcpExpressApp") {
      const options = call.args[0];
      if (!options || options.kind !== "object" || options.entries.some((e) => e.spread)) return false;
      const host = entry(options, "host");
      return host?.kind === "string" && ANY_INTERFACE.has(host.value) && !entry(options, "allowedHosts");
    }
    if (name === "FastMCP") {
      const host = kwarg(call, "host");
      return !call.spread && host?.kind === "string" && ANY_INTERFACE.has(host.value) && !kwarg(call, "transport_security");
    }
    return false;
  });
}

const COOKIE_MODULES = /^(?:cookie-parser|express-session|cookie-session|iron-session|next-auth|@auth\/|@clerk\/|better-auth|lucia|flask_login|starlette\.middleware\.sessions)/;

/** Whether the server keeps browser credentials: cookie or session middleware, cookies set or read, auth libraries that use them. */
function usesCookies(code: CodeFacts): boolean {
  if (code.imports.some((i) => isShippedPath(code, i.path) && COOKIE_MODULES.test(i.module))) return true;
  if (code.callsWhere(usesCookieCall).some((c) => isShippedPath(code, c.path)))
    return true;
  return code.accesses.some((a) => isShippedPath(code, a.path) && /^(?:req|request|ctx|c)\.(?:cookies|signedCookies|session)\b/.test(a.target));
}
