import { describe, expect, it } from "vitest";
import { fixtureFiles } from "@/test/support/connectors";
import { contextOf, ruleTable, runCheckOn, type InvalidRuleCase, type RuleCase } from "@/test/support/rules";
import { entryAllows, isCatchAll, widgetCspCheck } from "./widget-csp";

/** A server registering one widget with the given `_meta` (line 4) and a tool rendering `template` (line 8). */
function widget(meta: string, opts: { template?: string; widgetCode?: string; html?: string } = {}): Record<string, string> {
  const files: Record<string, string> = {
    "src/server.ts": [
      'const URI = "ui://widget/board.html";',
      `const HTML = ${JSON.stringify(opts.html ?? '<div id="root"></div>')};`,
      "export function register(server: any) {",
      `  server.registerResource("board", URI, { mimeType: "text/html+skybridge", _meta: ${meta} }, async () => ({ contents: [{ uri: URI, text: HTML }] }));`,
      "  server.registerTool(",
      '    "show_board",',
      '    { description: "Shows the board.", annotations: { readOnlyHint: true }, _meta: { "openai/outputTemplate": ' +
        JSON.stringify(opts.template ?? "ui://widget/board.html") +
        " } },",
      "    async () => ({ content: [] }),",
      "  );",
      "}",
    ].join("\n"),
  };
  if (opts.widgetCode) files["web/Board.tsx"] = opts.widgetCode;
  return files;
}

const GOOD_OPENAI = `{ "openai/widgetCSP": { connect_domains: ["https://api.board.example"], resource_domains: ["https://cdn.board.example"] }, "openai/widgetDomain": "https://board.example" }`;
const GOOD_UI = `{ ui: { csp: { connectDomains: ["https://api.board.example"], resourceDomains: ["https://cdn.board.example"] }, domain: "https://board.example" } }`;

const valid: RuleCase[] = [
  { name: "explicit https domains and a widget domain (openai/*)", files: widget(GOOD_OPENAI) },
  { name: "explicit domains and a domain (MCP Apps ui.*)", files: widget(GOOD_UI) },
  {
    name: "widget code using only declared hosts",
    files: widget(GOOD_OPENAI, {
      widgetCode:
        'export function Board() {\n  fetch("https://api.board.example/cards");\n  return <img src="https://cdn.board.example/logo.png" />;\n}\n',
    }),
  },
  {
    name: "a subdomain wildcard covers subdomains in widget code (the wildcard is reported separately, see invalid)",
    files: widget(GOOD_OPENAI, {
      widgetCode:
        'const api = "https://api.board.example";\nexport const load = () => fetch(`${api}/cards/${id}`);\nwindow.openai.callTool("x", {});\n',
    }),
  },
  {
    name: "relative URLs in widget code",
    files: widget(GOOD_OPENAI, { widgetCode: 'fetch("/api/cards"); const s = document.createElement("script"); s.src = "./x.js";' }),
  },
  { name: "a connector with no widgets", files: fixtureFiles("ts-server-tool") },
  { name: "the MCP Apps fixture", files: fixtureFiles("ts-app-tool") },
];

const invalid: InvalidRuleCase[] = [
  {
    name: "a catch-all connect domain",
    files: widget(
      `{ "openai/widgetCSP": { connect_domains: ["*"], resource_domains: [] }, "openai/widgetDomain": "https://board.example" }`,
    ),
    expected: [
      { ruleId: "widget-csp/wildcard-domain", severity: "high", line: 4 },
      { ruleId: "widget-csp/overbroad", severity: "high", line: 4 },
    ],
  },
  {
    name: "a subdomain wildcard",
    files: fixtureFiles("ts-lowlevel"),
    expected: [{ ruleId: "widget-csp/wildcard-domain", severity: "moderate" }],
  },
  {
    name: "a scheme-wide source",
    files: widget(`{ ui: { csp: { connectDomains: ["https:"] }, domain: "https://board.example" } }`),
    expected: [{ ruleId: "widget-csp/overbroad", severity: "high" }],
  },
  {
    name: "a plain-http origin",
    files: widget(
      `{ "openai/widgetCSP": { connect_domains: [], resource_domains: ["http://cdn.board.example"] }, "openai/widgetDomain": "https://board.example" }`,
    ),
    expected: [{ ruleId: "widget-csp/http-origin", severity: "high" }],
  },
  {
    name: "frame domains",
    files: widget(
      `{ "openai/widgetCSP": { connect_domains: [], resource_domains: [], frame_domains: ["https://www.youtube.com"] }, "openai/widgetDomain": "https://board.example" }`,
    ),
    expected: [{ ruleId: "widget-csp/frame-domains", severity: "low" }],
  },
  {
    name: "a widget domain written as a bare host",
    files: widget(`{ "openai/widgetCSP": { connect_domains: [], resource_domains: [] }, "openai/widgetDomain": "board.example" }`),
    expected: [{ ruleId: "widget-csp/widget-domain-not-origin", severity: "low" }],
  },
  {
    name: "a bare-host widget domain written in a helper is reported where it is written",
    files: {
      "src/server.ts": [
        'const URI = "ui://widget/board.html";',
        "function widgetMeta() {",
        "  return {",
        '    "openai/widgetDomain": "board.example",',
        '    "openai/widgetCSP": { connect_domains: [], resource_domains: [] },',
        "  };",
        "}",
        "export function register(server: any) {",
        '  server.registerResource("board", URI, { mimeType: "text/html+skybridge", _meta: widgetMeta() }, async () => ({ contents: [] }));',
        "}",
      ].join("\n"),
    },
    expected: [{ ruleId: "widget-csp/widget-domain-not-origin", severity: "low", line: 4 }],
  },
  {
    name: "a bare-host widget domain in a helper's conditional spread, for widgets listed with .map, is one finding where it is written",
    files: {
      "src/server.ts": [
        'const widgets = [{ id: "board", uri: "ui://widget/board.html" }, { id: "list", uri: "ui://widget/list.html" }];',
        "function widgetMeta(options?: { hide?: boolean }) {",
        "  return {",
        '    "openai/widgetCSP": { connect_domains: [], resource_domains: [] },',
        '    ...(options?.hide ? {} : { "openai/widgetDomain": "board.example" }),',
        "  };",
        "}",
        'export const resources = widgets.map((w) => ({ uri: w.uri, name: w.id, mimeType: "text/html+skybridge", _meta: widgetMeta() }));',
      ].join("\n"),
    },
    expected: [{ ruleId: "widget-csp/widget-domain-not-origin", severity: "low", line: 5 }],
  },
  {
    name: "a widget domain with a path",
    files: widget(`{ "openai/widgetCSP": { connect_domains: [], resource_domains: [] }, "openai/widgetDomain": "https://docs.example.com/apps/board" }`),
    expected: [{ ruleId: "widget-csp/widget-domain-not-origin", severity: "low" }],
  },
  {
    name: "no widget domain",
    files: widget(`{ "openai/widgetCSP": { connect_domains: [], resource_domains: [] } }`),
    expected: [{ ruleId: "widget-csp/no-widget-domain", severity: "moderate" }],
  },
  {
    name: "no CSP at all",
    files: widget(`{ "openai/widgetDomain": "https://board.example" }`),
    expected: [{ ruleId: "widget-csp/no-csp", severity: "moderate" }],
  },
  {
    name: "widget code fetching, loading and framing undeclared hosts",
    files: widget(GOOD_OPENAI, {
      widgetCode: [
        "export function Board() {",
        '  fetch("https://analytics.other.example/track", { method: "POST" });',
        '  const ws = new WebSocket("wss://live.board.example/socket");',
        '  return <><img src="https://images.other.example/a.png" /><iframe src="https://player.video.example/embed" /></>;',
        "}",
      ].join("\n"),
    }),
    expected: [
      { ruleId: "widget-csp/undeclared-host", line: 2, path: "web/Board.tsx" },
      { ruleId: "widget-csp/undeclared-host", line: 3, path: "web/Board.tsx" },
      { ruleId: "widget-csp/undeclared-host", line: 4, path: "web/Board.tsx" },
      { ruleId: "widget-csp/undeclared-host", line: 4, path: "web/Board.tsx" },
    ],
  },
  {
    name: "the widget HTML loads a script from an undeclared CDN",
    files: widget(GOOD_OPENAI, {
      html: '<script src="https://unpkg.example/react.js"></script><link rel="stylesheet" href="https://fonts.other.example/css">',
    }),
    expected: [
      { ruleId: "widget-csp/undeclared-host", line: 2 },
      { ruleId: "widget-csp/undeclared-host", line: 2 },
    ],
  },
  {
    name: "an output template pointing at no resource",
    files: widget(GOOD_OPENAI, { template: "ui://widget/missing.html" }),
    expected: [{ ruleId: "widget-csp/output-template-missing", line: 5 }],
  },
  {
    name: "Python: FastMCP widget loading from a host its CSP declares, with no connect domains and a fetch",
    files: {
      ...fixtureFiles("py-fastmcp"),
      "web/app.js": 'window.openai.setWidgetState({});\nfetch("https://api.recipes.example/like", { method: "POST" });\n',
    },
    expected: [{ ruleId: "widget-csp/undeclared-host", line: 2, path: "web/app.js" }],
  },
];

describe("widget-csp", () => {
  ruleTable(widgetCspCheck, { valid, invalid }, it, expect);

  it("matches hosts against CSP entries", () => {
    expect(entryAllows("https://api.example.com", "api.example.com")).toBe(true);
    expect(entryAllows("api.example.com", "api.example.com")).toBe(true);
    expect(entryAllows("https://*.example.com", "cdn.example.com")).toBe(true);
    expect(entryAllows("https://*.example.com", "example.com")).toBe(false);
    expect(entryAllows("https://example.com", "evil-example.com")).toBe(false);
    expect(entryAllows("*", "anything.example")).toBe(false);
    expect(["*", "https:", "https://*", "*.com"].map(isCatchAll)).toEqual([true, true, true, true]);
    expect(isCatchAll("https://*.example.com")).toBe(false);
  });

  it("reports the demo connector's CSP problems and its undeclared analytics host", async () => {
    const findings = await runCheckOn(widgetCspCheck, fixtureFiles("../../../examples/demo-connector"));
    expect(findings.map((f) => `${f.ruleId} ${f.location?.path}:${f.location?.line}`).sort()).toEqual([
      "widget-csp/http-origin src/server.ts:14",
      "widget-csp/no-widget-domain src/server.ts:14",
      "widget-csp/overbroad src/server.ts:14",
      "widget-csp/undeclared-host web/NotesWidget.tsx:16",
      "widget-csp/wildcard-domain src/server.ts:14",
    ]);
    expect(findings.find((f) => f.ruleId === "widget-csp/overbroad")!.checklistItem).toBe("principles.least-privilege");
  });

  it("is unavailable when widget code exists but no widget resource could be read", async () => {
    const outcome = await widgetCspCheck.run(await contextOf({ "web/app.tsx": "window.openai.callTool('x', {});" }));
    expect(outcome.status).toBe("unavailable");
  });
});
