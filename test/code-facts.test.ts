// The shared fact layer of the code checks (lib/parse): what it finds, once per scan.
import { describe, expect, it } from "vitest";
import { Facts } from "@/lib/engine/facts/container";
import { jsIndex } from "@/lib/engine/parse/js-index";
import { logCalls, loggerSetups } from "@/lib/engine/parse/log-calls";
import { manifests } from "@/lib/engine/parse/manifests";
import { outboundCalls } from "@/lib/engine/parse/outbound";
import { pyIndex } from "@/lib/engine/parse/py-index";
import { httpRoutes } from "@/lib/engine/parse/routes";
import { serverJsFiles } from "@/lib/engine/parse/server-code";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { htmlScriptIndex, widgetFiles } from "@/lib/engine/parse/widgets";
import { snapshotOf } from "./support/rules";

const facts = (files: Record<string, string>) => new Facts(snapshotOf(files));

describe("widget files", () => {
  it("takes host-talking files, widget folders of repos with widget resources, and what widgets import", () => {
    const f = facts({
      "src/server.ts": 'registerResource("w", "ui://w", { mimeType: "text/html+skybridge" }, read);',
      "web/src/App.tsx": "import { Row } from '../../shared/Row';\nexport const App = () => null;",
      "shared/Row.tsx": "export const Row = () => null;",
      "src/widget-entry.tsx": "const out = window.openai.toolOutput;",
      "ui/server-helpers.ts": 'import express from "express";',
      "src/ext.ts": 'import { App } from "@modelcontextprotocol/ext-apps";',
      "src/ext-server.ts": 'import { registerAppTool } from "@modelcontextprotocol/ext-apps/server";',
    });
    const reasons = widgetFiles(f).reasons;
    expect([...reasons.keys()].sort()).toEqual(["shared/Row.tsx", "src/ext.ts", "src/widget-entry.tsx", "web/src/App.tsx"]);
    expect(reasons.get("shared/Row.tsx")).toBe("imported by web/src/App.tsx");
    expect(widgetFiles(f)).toBe(widgetFiles(f));
  });

  it("parses inline scripts of HTML with lines matching the file", () => {
    const index = htmlScriptIndex(
      "w.html",
      '<div>\n<script src="x.js"></script>\n<script>\nalert(1);\n</script>\n<script type="application/json">{"a":1}</script>',
    );
    expect(index?.calls.map((c) => [c.callee, c.node.getSourceFile().getLineAndCharacterOfPosition(c.node.getStart()).line + 1])).toEqual([
      ["alert", 4],
    ]);
  });
});

describe("server code, outbound calls and logs", () => {
  it("leaves out tests, widgets and client components", () => {
    const f = facts({ "src/a.ts": "x()", "src/a.test.ts": "x()", "app/page.tsx": '"use client";\nx()', "web/w.ts": "window.openai" });
    expect(serverJsFiles(f).map((x) => x.path)).toEqual(["src/a.ts"]);
    expect(isTestPath("pkg/tests/x.py") && isTestPath("test_x.py") && !isTestPath("src/contest.ts")).toBe(true);
  });

  it("reads timeouts and Authorization headers of outbound calls, in both languages", async () => {
    const f = facts({
      "src/a.ts": "fetch(u, { signal, headers: { Authorization: `Bearer ${t}` } });\naxios.get(u);\ngot(u, { timeout: { request: 1 } });",
      "app/b.py": "requests.get(u, headers={'Authorization': tok})\nhttpx.get(u, timeout=None)\n",
    });
    const calls = await outboundCalls(f);
    expect(calls.map((c) => [c.path, c.line, c.library, c.timeout, c.authorization !== undefined])).toEqual([
      ["src/a.ts", 1, "fetch", "set", true],
      ["src/a.ts", 2, "axios", "missing", false],
      ["src/a.ts", 3, "got", "set", false],
      ["app/b.py", 1, "requests", "missing", true],
      ["app/b.py", 2, "httpx", "disabled", false],
    ]);
  });

  it("finds log calls and logger setups", async () => {
    const f = facts({
      "src/log.ts": 'const logger = pino({ redact: ["x"] });\nlogger.info("a");\nconsole.error(e);\nthis.logger.warn("b");\nmap.log("no");',
      "app/x.py": "logging.basicConfig()\nlogger.info('a')\nprint(x)\nself.log.debug('b')\n",
    });
    expect((await logCalls(f)).map((c) => `${c.file.path}:${c.line} ${c.callee}`)).toEqual([
      "src/log.ts:2 logger.info",
      "src/log.ts:3 console.error",
      "src/log.ts:4 this.logger.warn",
      "app/x.py:2 logger.info",
      "app/x.py:3 print",
      "app/x.py:4 self.log.debug",
    ]);
    expect((await loggerSetups(f)).map((s) => [s.library, s.redacts])).toEqual([
      ["pino", true],
      ["logging", false],
    ]);
  });
});

describe("routes and manifests", () => {
  it("finds Express, Next.js, FastAPI, Starlette and static routes", async () => {
    const f = facts({
      "src/http.ts":
        'app.get("/.well-known/oauth-protected-resource", (q, r) => r.json({}));\nrouter.post("/mcp", handler);\naxios.get("/not-a-route", x);',
      "app/.well-known/oauth-authorization-server/route.ts": "export async function GET() { return Response.json({}); }",
      "server.py": '@app.get("/health")\ndef health():\n    return {}\nroutes = [Route("/mcp", endpoint=mcp_endpoint, methods=["POST"])]\n',
      "public/.well-known/oauth-protected-resource": "{}",
    });
    expect((await httpRoutes(f)).map((r) => `${r.language} ${r.methods.join(",")} ${r.route}`)).toEqual([
      "js GET /.well-known/oauth-authorization-server",
      "js GET /.well-known/oauth-protected-resource",
      "js POST /mcp",
      "py GET /health",
      "py POST /mcp",
      "static GET /.well-known/oauth-protected-resource",
    ]);
  });

  it("reads declared packages from package.json, pyproject and requirements", () => {
    const f = facts({
      "package.json": '{ "dependencies": { "@Sentry/Node": "1" }, "devDependencies": { "vite": "5" } }',
      "pyproject.toml": '[project]\ndependencies = [\n  "sentry-sdk[fastapi]>=2",\n  "httpx",\n]\n',
      "requirements-dev.txt": "# dev\npytest==8.0\n-e .\n",
      "server/pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nfastmcp = "^2.0"\n\n[tool.ruff]\nline-length = 100\n',
      "broken/package.json": "{",
    });
    expect(manifests(f).map((m) => [m.path, [...m.packages].sort()])).toEqual([
      ["package.json", ["@sentry/node", "vite"]],
      ["pyproject.toml", ["httpx", "sentry-sdk"]],
      ["requirements-dev.txt", ["pytest"]],
      ["server/pyproject.toml", ["fastmcp", "python"]],
    ]);
  });

  it("indexes each file once per scan", async () => {
    const f = facts({ "a.ts": "f()", "b.py": "f()" });
    expect(jsIndex(f)).toBe(jsIndex(f));
    expect(await pyIndex(f)).toBe(await pyIndex(f));
  });
});
