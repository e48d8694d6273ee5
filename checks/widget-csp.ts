// Widget CSP: declarations in openai/widgetCSP and MCP Apps ui.csp (wildcards, http: origins, frame domains, no widget
// domain), hosts the widget code uses that the CSP does not declare, and output templates that point at no resource.
import type { ToolDecl, WidgetHostUse, WidgetResource } from "@/lib/engine/parse/tools/types";
import { isRecord } from "@/lib/engine/parse/tools/values";
import { readWidgetCsp, type CspList } from "@/lib/engine/facts/widget-csp";
import { groupFindings, listNames } from "./group";
import { defineRule, report } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const CSP = "network.widget-csp";

export const rules = {
  noCsp: defineRule({
    id: "widget-csp/no-csp",
    severity: "moderate",
    title: "Widget resource declares no CSP",
    rationale:
      "A widget's CSP (openai/widgetCSP or ui.csp) says which domains it may contact and load from; submission expects it to be declared.",
    remediation:
      "Declare connect_domains and resource_domains (connectDomains/resourceDomains in ui.csp) listing exactly the origins the widget uses.",
    item: CSP,
  }),
  wildcard: defineRule({
    id: "widget-csp/wildcard-domain",
    severity: "moderate",
    title: "Wildcard domain in the widget CSP",
    rationale: "Wildcards let the widget reach hosts nobody reviewed; a compromised or injected widget can send data anywhere they match.",
    remediation: "List the exact origins the widget uses instead of wildcards.",
    item: CSP,
  }),
  overbroad: defineRule({
    id: "widget-csp/overbroad",
    severity: "high",
    title: "Widget may contact or load from any domain",
    rationale: "Least privilege: a widget should have network access to the few origins it needs, not every origin.",
    remediation: "Replace the catch-all entry with the specific origins the widget uses.",
    item: "principles.least-privilege",
  }),
  httpOrigin: defineRule({
    id: "widget-csp/http-origin",
    severity: "high",
    title: "Plain-http origin in the widget CSP",
    rationale: "Content loaded over http can be read and replaced in transit, and scripts from it run inside the widget.",
    remediation: "Serve the content over https and declare the https origin.",
    item: CSP,
  }),
  frameDomains: defineRule({
    id: "widget-csp/frame-domains",
    severity: "low",
    title: "Widget declares frame domains",
    rationale: "Nested frames draw stricter review: framed third-party content runs inside the widget with its own network access.",
    remediation: "Remove frame_domains unless the widget must embed that site, and write down why it must.",
    item: CSP,
  }),
  noDomain: defineRule({
    id: "widget-csp/no-widget-domain",
    severity: "moderate",
    title: "Widget has no widget domain",
    rationale: "A widget domain (openai/widgetDomain or ui.domain) gives the widget its own origin and is expected for submission.",
    remediation: "Set openai/widgetDomain (or ui.domain) to an https origin you control.",
    item: CSP,
  }),
  domainNotOrigin: defineRule({
    id: "widget-csp/widget-domain-not-origin",
    severity: "low",
    title: "Widget domain is not an origin",
    rationale:
      "openai/widgetDomain names the origin the widget is served from (`https://app.example.com`). A bare host, a path or someone else's site gives the widget no origin of its own that you control.",
    remediation: "Set openai/widgetDomain to an https origin you control, with no path: `https://widgets.example.com`.",
    item: CSP,
  }),
  undeclaredHost: defineRule({
    id: "widget-csp/undeclared-host",
    severity: "moderate",
    title: "Widget code uses a host its CSP does not declare",
    rationale:
      "The CSP must declare exactly the domains the widget uses: an undeclared host is either blocked at run time or hidden behind a wildcard.",
    remediation:
      "Declare the origin in the right list (connect_domains for fetch/XHR/WebSocket, resource_domains for scripts, styles, images and fonts, frame_domains for iframes), or stop using it.",
    item: CSP,
  }),
  outputTemplate: defineRule({
    id: "widget-csp/output-template-missing",
    severity: "moderate",
    title: "Output template points at no declared resource",
    rationale:
      "openai/outputTemplate (or ui.resourceUri) must name a widget resource the server declares; otherwise the widget can't render, or renders something nobody reviewed.",
    remediation: "Register the resource under that exact URI, or fix the URI.",
    item: CSP,
  }),
};

/** A catch-all entry: "*", "https:", "https://*", "*.com"-style top-level wildcards. */
export function isCatchAll(entry: string): boolean {
  const e = entry.trim().toLowerCase();
  return /^(?:\*|[a-z]+:|[a-z]+:\/\/\*|\*\.[a-z]{2,}|[a-z]+:\/\/\*\.[a-z]{2,})\/?$/.test(e);
}

/** Whether a CSP entry allows `host`. Catch-all entries don't count: the wildcard is reported on its own. */
export function entryAllows(entry: string, host: string): boolean {
  const e = entry.trim().toLowerCase();
  if (isCatchAll(e)) return false;
  const m = /^(?:[a-z][a-z0-9+.-]{0,20}:\/\/)?([^/:?#\s]{1,253})(?::\d{1,5})?/.exec(e);
  if (!m) return false;
  const pattern = m[1]!;
  if (pattern.startsWith("*.")) {
    const suffix = pattern.slice(1);
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return pattern === host;
}

const USE_LIST: Record<WidgetHostUse["kind"], CspList> = { connect: "connect", resource: "resource", frame: "frame" };
const LIST_NAMES: Record<CspList, string> = {
  connect: "connect_domains",
  resource: "resource_domains",
  frame: "frame_domains",
  redirect: "redirect_domains",
  baseUri: "base_uri_domains",
};

export const widgetCspCheck: Check = {
  id: "widget-csp",
  title: "Widget CSP declares exactly the domains the widget uses",
  section: "network",
  rules: Object.values(rules),
  async run(ctx) {
    const manifest = ctx.facts.tools;
    const widgetCodeExists = ctx.facts.code.files.some((f) => f.role === "widget");
    if (manifest.resources.length === 0 && widgetCodeExists)
      return { status: "unavailable", findings: [], error: "widget code was found but no widget resource declaration could be read" };
    return { status: "ok", findings: evaluateWidgets(manifest.resources, manifest.widgetHosts, manifest.tools) };
  },
};

export function evaluateWidgets(
  resources: readonly WidgetResource[],
  hosts: readonly WidgetHostUse[],
  tools: readonly ToolDecl[],
): Finding[] {
  const findings: Finding[] = [];
  const csps = resources.map((r) => ({ r, csp: readWidgetCsp(r) }));
  for (const { r, csp } of csps) {
    const at = (what: string) => ({ location: r.location, subject: `${r.uri}:${what}` });
    if (csp.sources.length === 0) {
      findings.push(report(rules.noCsp, { ...at("csp"), message: `Widget ${r.uri} declares neither openai/widgetCSP nor ui.csp.` }));
    }
    for (const [list, entries] of Object.entries(csp.lists) as Array<[CspList, string[]]>) {
      for (const entry of entries) {
        const name = LIST_NAMES[list];
        if (entry.includes("*")) {
          const all = isCatchAll(entry);
          findings.push(
            report(rules.wildcard, {
              ...at(`${list}:${entry}`),
              severity: all ? "high" : "moderate",
              message: `Widget ${r.uri} allows "${entry}" in ${name}.`,
              evidence: `${name}: ${JSON.stringify(entries)}`,
            }),
          );
          if (all)
            findings.push(
              report(rules.overbroad, {
                ...at(`overbroad:${list}:${entry}`),
                message: `Widget ${r.uri} may reach any origin through "${entry}" in ${name}.`,
              }),
            );
        } else if (isCatchAll(entry)) {
          findings.push(
            report(rules.overbroad, {
              ...at(`overbroad:${list}:${entry}`),
              message: `Widget ${r.uri} may reach any origin through "${entry}" in ${name}.`,
            }),
          );
        }
        if (/^http:/i.test(entry.trim()))
          findings.push(
            report(rules.httpOrigin, {
              ...at(`http:${entry}`),
              message: `Widget ${r.uri} declares the plain-http origin "${entry}" in ${name}.`,
              evidence: `${name}: ${JSON.stringify(entries)}`,
            }),
          );
      }
    }
    if (csp.lists.frame.length > 0)
      findings.push(
        report(rules.frameDomains, {
          ...at("frame"),
          message: `Widget ${r.uri} may frame ${csp.lists.frame.map((f) => `"${f}"`).join(", ")}; give a written reason for each.`,
        }),
      );
    if (!csp.domain)
      findings.push(report(rules.noDomain, { ...at("domain"), message: `Widget ${r.uri} sets no openai/widgetDomain or ui.domain.` }));
    const notOrigin = csp.openaiDomain === null ? null : whyNotOrigin(csp.openaiDomain);
    if (notOrigin)
      findings.push(
        report(rules.domainNotOrigin, {
          ...at("domain-origin"),
          ...(r.domainAt ? { location: r.domainAt } : {}),
          message: `Widget ${r.uri} sets openai/widgetDomain to "${csp.openaiDomain}", ${notOrigin}.`,
        }),
      );
  }

  // Hosts the widget code uses: with several widgets the code can't always be tied to one, so any widget's CSP counts.
  if (!csps.some(({ csp }) => csp.dynamic)) {
    const seen = new Set<string>();
    for (const use of hosts) {
      const list = USE_LIST[use.kind];
      const declared = csps.some(({ csp }) => csp.lists[list].some((e) => entryAllows(e, use.host)));
      const key = `${use.kind}:${use.host}`;
      if (declared || seen.has(key)) continue;
      seen.add(key);
      const viaWildcard = csps.some(({ csp }) => csp.lists[list].some(isCatchAll));
      findings.push(
        report(rules.undeclaredHost, {
          location: use.location,
          subject: key,
          message: `The widget ${describeUse(use)} ${use.host}, which ${LIST_NAMES[list]} does not list${viaWildcard ? " (only a catch-all entry lets it through)" : ""}.`,
          evidence: use.url,
        }),
      );
    }
  }

  const uris = new Set(resources.map((r) => r.uri));
  const anyDynamicUri = resources.some((r) => r.dynamic.includes("uri"));
  for (const tool of tools) {
    for (const template of outputTemplates(tool)) {
      if (uris.has(template) || anyDynamicUri) continue;
      findings.push(
        report(rules.outputTemplate, {
          location: tool.location,
          subject: `${tool.name}:${template}`,
          message: `"${tool.name}" renders ${template}, but no widget resource with that URI is declared${resources.length > 0 ? ` (declared: ${[...uris].slice(0, 5).join(", ")})` : ""}.`,
        }),
      );
    }
  }
  return oneDomainFindingPerPlace(findings);
}

/** A helper that writes one bad widgetDomain for several widgets is one problem: one finding naming the widgets. */
function oneDomainFindingPerPlace(findings: Finding[]): Finding[] {
  return groupFindings(
    findings,
    (f) => (f.ruleId === rules.domainNotOrigin.id && f.location ? `${f.location.path}:${f.location.line ?? ""}` : null),
    (group) => {
      const uris = group.map((f) => /^Widget (\S+)/.exec(f.message)?.[1] ?? "?");
      const rest = group[0]!.message.replace(/^Widget \S+ sets/, "sets");
      return { message: `Widgets ${listNames(uris)} ${rest.replace(/^sets/, "set")}`, subject: `domain-origin:${uris.join(",")}` };
    },
  );
}

function outputTemplates(tool: ToolDecl): string[] {
  const meta = tool.meta ?? {};
  const out: string[] = [];
  const t = meta["openai/outputTemplate"];
  if (typeof t === "string") out.push(t);
  const ui = meta.ui;
  if (isRecord(ui) && typeof ui.resourceUri === "string") out.push(ui.resourceUri);
  if (typeof meta["ui/resourceUri"] === "string") out.push(meta["ui/resourceUri"]);
  return [...new Set(out)];
}

function describeUse(use: WidgetHostUse): string {
  if (use.kind === "connect") return `calls (${use.how})`;
  if (use.kind === "frame") return `frames (${use.how})`;
  return `loads ${use.how} from`;
}

/** Why an openai/widgetDomain value is not an https origin, or null when it is one. */
function whyNotOrigin(domain: string): string | null {
  let url: URL;
  try {
    url = new URL(domain);
  } catch {
    return "which has no scheme (write `https://…`)";
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) return "which has no scheme (write `https://…`)";
  if (url.protocol !== "https:") return `which is not https`;
  if (url.pathname !== "/" || url.search || url.hash) return "which has a path: a widget domain is an origin only";
  return null;
}
