// The facts layer (lib/engine/facts): what the parsers read once per scan, the same for TypeScript and Python, and
// what is derived from it (roles, routes, responses, outbound calls, logs, settings, data flow and sinks).
import { describe, expect, it } from "vitest";
import type { Origin } from "@/lib/core/facts";
import { Facts } from "@/lib/engine/facts/container";
import { snapshotOf } from "./support/rules";

const prepared = (files: Record<string, string>) => new Facts(snapshotOf(files)).prepare();
const kinds = (origins: Origin[]) => [...new Set(origins.map((o) => (o.kind === "request" ? `request.${o.part}` : o.kind)))].sort();

describe("file roles", () => {
  it("takes host-talking files, widget folders of repos with widget resources, and what widget code imports", async () => {
    const f = await prepared({
      "src/server.ts": 'registerResource("w", "ui://w", { mimeType: "text/html+skybridge" }, read);',
      "web/src/App.tsx": "import { Row } from '../../shared/Row';\nexport const App = () => null;",
      "shared/Row.tsx": "export const Row = () => null;",
      "src/widget-entry.tsx": "const out = window.openai.toolOutput;",
      "ui/server-helpers.ts": 'import express from "express";',
      "src/ext.ts": 'import { App } from "@modelcontextprotocol/ext-apps";',
      "src/ext-server.ts": 'import { registerAppTool } from "@modelcontextprotocol/ext-apps/server";',
      "src/bridge.ts": 'window.parent.postMessage({ jsonrpc: "2.0", id: 1, method: "ui/initialize", params: {} }, "*");',
    });
    const widgets = f.code.files.filter((x) => x.role === "widget").map((x) => x.path).sort();
    expect(widgets).toEqual(["shared/Row.tsx", "src/bridge.ts", "src/ext.ts", "src/widget-entry.tsx", "web/src/App.tsx"]);
    expect(f.code.file("shared/Row.tsx")!.roleReason).toBe("imported by widget code (web/src/App.tsx)");
    expect(f.code.file("src/bridge.ts")!.roleReason).toBe("speaks the MCP Apps protocol to the host");
  });

  it("tells tests, fixtures, docs, examples, scripts and client components from server code", async () => {
    const f = await prepared({
      "src/a.ts": "x()",
      "src/a.test.ts": "x()",
      "test/fixtures/b.ts": "x()",
      "docs/snippet.ts": "x()",
      "examples/demo.ts": "x()",
      "scripts/release.ts": "x()",
      "src/tools/search.ts": "x()",
      "app/page.tsx": '"use client";\nx()',
      "tests/test_x.py": "x()",
    });
    expect(Object.fromEntries(f.code.files.map((x) => [x.path, x.role]))).toEqual({
      "src/a.ts": "server",
      "src/a.test.ts": "test",
      "test/fixtures/b.ts": "fixture",
      "docs/snippet.ts": "docs",
      "examples/demo.ts": "example",
      "scripts/release.ts": "script",
      // MCP servers keep their tools in tools/ folders: that is server code, not tooling.
      "src/tools/search.ts": "server",
      "app/page.tsx": "browser",
      "tests/test_x.py": "test",
    });
  });

  it("reads inline scripts of HTML with lines matching the file", async () => {
    const f = await prepared({
      "w.html": '<div>\n<script src="x.js"></script>\n<script>\nalert(1);\n</script>\n<script type="application/json">{"a":1}</script>',
    });
    expect(f.code.calls.map((c) => [c.path, c.callee, c.line])).toEqual([["w.html", "alert", 4]]);
  });
});

describe("calls, values and links", () => {
  it("resolves callees through imports, in both languages", async () => {
    const f = await prepared({
      "src/a.ts": 'import jwt from "jsonwebtoken";\nimport { decode as d } from "jose";\nimport * as cp from "node:child_process";\njwt.decode(t);\nd(t);\ncp.exec(c);',
      "app/b.py": "import requests\nfrom jose import jwt\nimport os.path\nrequests.get(u)\njwt.decode(t)\nos.path.join(a, b)\n",
    });
    expect(f.code.calls.map((c) => c.resolved)).toEqual(["jsonwebtoken.decode", "jose.decode", "child_process.exec", "requests.get", "jose.jwt.decode", "os.path.join"]);
  });

  it("links calls to the functions they call, across files and through re-exports, methods and instances", async () => {
    const f = await prepared({
      "src/util.ts": "export function helper(x: string) { return x; }\nexport class Store { save(v: string) { return v; } }",
      "src/index.ts": 'export { helper as h } from "./util";',
      "src/main.ts": 'import { h } from "./index";\nimport { Store } from "./util";\nconst s = new Store();\nh("a");\ns.save("b");',
      "pkg/tools.py": "def fetch_it(url):\n    return url\n",
      "pkg/server.py": "from .tools import fetch_it\nfetch_it('x')\n",
    });
    const targetOf = (callee: string) => {
      const call = f.code.calls.find((c) => c.callee === callee)!;
      return call.target === null ? null : f.code.fn(call.target).name;
    };
    expect([targetOf("h"), targetOf("s.save"), targetOf("fetch_it")]).toEqual(["helper", "save", "fetch_it"]);
  });

  it("links a method called on a parameter declared with a class type, in both languages", async () => {
    const f = await prepared({
      "src/client.ts": "export class Client { getBatch(id: string) { return id; } }",
      "src/tools.ts": 'import { Client } from "./client";\nexport function register(client: Client, other: unknown) {\n  client.getBatch("a");\n  other.getBatch("b");\n}',
      "pkg/api.py": "class Api:\n    def list_items(self, q):\n        return q\n",
      "pkg/server.py": "from .api import Api\ndef tool(api: Optional[Api], q: str):\n    return api.list_items(q)\n",
    });
    const targetOf = (callee: string) => {
      const call = f.code.calls.find((c) => c.callee === callee)!;
      return call.target === null ? null : `${f.code.fn(call.target).path}:${f.code.fn(call.target).name}`;
    };
    expect([targetOf("client.getBatch"), targetOf("other.getBatch"), targetOf("api.list_items")]).toEqual([
      "src/client.ts:getBatch",
      null,
      "pkg/api.py:list_items",
    ]);
  });

  it("links calls through the @/ and ~/ path aliases, from the root, src/ or the app's own folder", async () => {
    const f = await prepared({
      "lib/auth.ts": "export function check(t: string) { return t; }",
      "src/util/ids.ts": "export function newId() { return 1; }",
      "apps/web/lib/db.ts": "export function query(s: string) { return s; }",
      "app/api/route.ts": 'import { check } from "@/lib/auth";\nimport { newId } from "~/util/ids";\ncheck("a");\nnewId();',
      "apps/web/app/page.ts": 'import { query } from "@/lib/db";\nquery("q");',
    });
    const targetOf = (callee: string) => {
      const call = f.code.calls.find((c) => c.callee === callee)!;
      return call.target === null ? null : f.code.fn(call.target).path;
    };
    expect([targetOf("check"), targetOf("newId"), targetOf("query")]).toEqual(["lib/auth.ts", "src/util/ids.ts", "apps/web/lib/db.ts"]);
  });

  it("hands rules the calls of the callees they look for, in call order, asking about each distinct callee once", async () => {
    const f = await prepared({
      "src/a.ts": 'import axios from "axios";\naxios.get("/a");\nconsole.log(1);\naxios.post("/b");\naxios.get("/c");\nconsole.log(2);',
      "src/b.ts": 'import ax from "axios";\nax.get("/d");',
    });
    const asked: string[] = [];
    const axiosVerbs = (callee: string, resolved: string) => {
      asked.push(`${callee} ${resolved}`);
      return resolved.startsWith("axios.");
    };
    const calls = f.code.callsWhere(axiosVerbs);
    expect(calls.map((c) => `${c.path}:${c.line} ${c.callee}`)).toEqual(["src/a.ts:2 axios.get", "src/a.ts:4 axios.post", "src/a.ts:5 axios.get", "src/b.ts:2 ax.get"]);
    expect(asked.sort()).toEqual(["ax.get axios.get", "axios.get axios.get", "axios.post axios.post", "console.log console.log"]);
    expect(f.code.callsWhere(axiosVerbs)).toBe(calls);
    expect(asked).toHaveLength(4);
    expect(f.code.callsWhere(() => false)).toEqual([]);
  });

  it("keeps argument values: strings, templates, objects, references and calls", async () => {
    const f = await prepared({ "src/a.ts": 'fetch(`${BASE}/notes/${id}`, { method: "DELETE", headers: { Authorization: token } });' });
    const [url, options] = f.code.calls[0]!.args;
    expect(url).toMatchObject({ kind: "template", parts: [{ kind: "ref", path: "BASE" }, { kind: "string", value: "/notes/" }, { kind: "ref", path: "id" }] });
    expect(options).toMatchObject({ kind: "object", entries: [{ key: "method", value: { kind: "string", value: "DELETE" } }, { key: "headers" }] });
  });
});

describe("outbound calls, responses, logs and settings", () => {
  it("reads timeouts and Authorization headers of outbound calls, in both languages", async () => {
    const f = await prepared({
      "src/a.ts": "fetch(u, { signal, headers: { Authorization: `Bearer ${t}` } });\naxios.get(u);\ngot(u, { timeout: { request: 1 } });",
      "app/b.py": "requests.get(u, headers={'Authorization': tok})\nhttpx.get(u, timeout=None)\n",
    });
    expect(f.outbound.map((c) => [c.path, c.line, c.library, c.timeout, c.authorization !== null])).toEqual([
      ["src/a.ts", 1, "fetch", "set", true],
      ["src/a.ts", 2, "axios", "missing", false],
      ["src/a.ts", 3, "got", "set", false],
      ["app/b.py", 1, "requests", "missing", true],
      ["app/b.py", 2, "httpx", "disabled", false],
    ]);
  });

  it("finds log calls and logger setups", async () => {
    const f = await prepared({
      "src/log.ts": 'const logger = pino({ redact: ["x"] });\nlogger.info("a");\nconsole.error(e);\nthis.logger.warn("b");\nmap.log("no");',
      "app/x.py": "logging.basicConfig()\nlogger.info('a')\nprint(x)\nself.log.debug('b')\n",
    });
    const logged = [...new Set(f.sinks.filter((s) => s.kind === "log").map((s) => `${s.path}:${s.line} ${s.what}`))];
    expect(logged).toEqual(["src/log.ts:2 logger.info", "src/log.ts:3 console.error", "src/log.ts:4 this.logger.warn", "app/x.py:2 logger.info", "app/x.py:3 print", "app/x.py:4 self.log.debug"]);
    expect(f.loggerSetups.map((s) => [s.library, s.redacts])).toEqual([
      ["pino", true],
      ["logging", false],
    ]);
  });

  it("finds Express, Next.js, FastAPI, Starlette and static routes, with their handlers", async () => {
    const f = await prepared({
      "src/http.ts": 'app.get("/.well-known/oauth-protected-resource", (q, r) => r.json({}));\nrouter.post("/mcp", handler);\naxios.get("/not-a-route", x);\nfunction handler(req, res) {}',
      "app/.well-known/oauth-authorization-server/route.ts": "export async function GET() { return Response.json({}); }",
      "server.py": '@app.get("/health")\ndef health():\n    return {}\nroutes = [Route("/mcp", endpoint=mcp_endpoint, methods=["POST"])]\n',
      "public/.well-known/oauth-protected-resource": "{}",
    });
    const shown = f.routes.map((r) => `${r.methods.join(",")} ${r.route} ${r.staticText !== undefined ? "static" : r.handlers.length}`).sort();
    expect(shown).toEqual(["GET /.well-known/oauth-authorization-server 1", "GET /.well-known/oauth-protected-resource 1", "GET /.well-known/oauth-protected-resource static", "GET /health 1", "POST /mcp 0", "POST /mcp 1"]);
  });

  it("reads responses, their status and headers, also when a helper sends them", async () => {
    const f = await prepared({
      "src/auth.ts": [
        "function deny(res, code) { res.status(code).json({ error: 'no' }); }",
        "export function check(req, res) {",
        "  if (!req.headers.authorization) return deny(res, 401);",
        '  res.setHeader("WWW-Authenticate", "Bearer");',
        "}",
      ].join("\n"),
      "app/api.py": 'def view(request):\n    return JSONResponse({"e": 1}, status_code=403, headers={"WWW-Authenticate": "Bearer"})\n',
    });
    const shown = f.responses.map((r) => `${r.path}:${r.line} ${r.status ?? "-"} ${r.headers.map((h) => h[0]).join(",")}${r.via ? ` via ${r.via}` : ""}`);
    expect(shown).toEqual(expect.arrayContaining(["src/auth.ts:3 401  via deny", "src/auth.ts:4 - www-authenticate", "app/api.py:2 403 www-authenticate"]));
  });

  it("reads settings the same way from object entries, keyword arguments and assignments", async () => {
    const f = await prepared({
      "src/a.ts": "new https.Agent({ rejectUnauthorized: false });\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      "app/b.py": "requests.get(u, verify=False)\nctx.check_hostname = False\n",
    });
    expect(f.settingsWhere(() => true).map((s) => `${s.path}:${s.line} ${s.key}=${s.value.text}`)).toEqual([
      "src/a.ts:1 rejectUnauthorized=false",
      "app/b.py:1 verify=False",
      "src/a.ts:2 NODE_TLS_REJECT_UNAUTHORIZED='0'",
      "app/b.py:2 check_hostname=False",
    ]);
    // Asked by key: the same settings, built only for the keys asked, in the same order, with their call and object.
    const off = f.settingsWhere((key) => key === "rejectUnauthorized" || key === "check_hostname" || key === "verify");
    expect(off.map((s) => `${s.path}:${s.line} ${s.key}`)).toEqual(["src/a.ts:1 rejectUnauthorized", "app/b.py:1 verify", "app/b.py:2 check_hostname"]);
    expect(off[0]!.call?.callee).toBe("https.Agent");
    expect(off[0]!.object?.kind).toBe("object");
    expect(off[1]!.call?.callee).toBe("requests.get");
    expect(off[2]!.target).toBe("ctx.check_hostname");
    expect(f.settingsWhere(() => false)).toEqual([]);
  });
});

describe("data flow", () => {
  it("follows a tool input through a helper to the URL it fetches, in both languages", async () => {
    const f = await prepared({
      "src/server.ts": [
        'import { getPage } from "./http";',
        'server.registerTool("import_page", { description: "d", inputSchema: { url: z.string().url() } }, async ({ url }) => {',
        "  const page = await getPage(url);",
        "  return { content: [{ type: 'text', text: page }] };",
        "});",
      ].join("\n"),
      "src/http.ts": "export async function getPage(target: string) { const r = await fetch(target); return r.text(); }",
      "server.py": 'import httpx\nfrom fastmcp import FastMCP\nmcp = FastMCP("x")\n@mcp.tool()\ndef fetch_page(url: str) -> str:\n    return load(url)\n\ndef load(u):\n    return httpx.get(u).text\n',
    });
    const urls = f.sinks.filter((s) => s.kind === "outbound-url");
    const fromInput = urls.filter((s) => f.flow.origins(s.value, s.fn).some((o) => o.kind === "tool-input"));
    // The call sites of the helpers, and the helpers' own requests (which see what their callers pass).
    expect(fromInput.map((s) => `${s.path}:${s.line}${s.via ? ` via ${s.via.name}` : ""}`).sort()).toEqual([
      "server.py:6 via load",
      "server.py:9",
      "src/http.ts:1",
      "src/server.ts:3 via getPage",
    ]);
    // The helper's summary: its first parameter reaches a request URL.
    const getPage = f.code.functions.find((fn) => fn.name === "getPage")!;
    expect(f.flow.summary(getPage.id)).toContainEqual({ index: 0, kind: "outbound-url" });
  });

  it("knows request data, the caller's token, secrets and upstream responses when it sees them", async () => {
    const f = await prepared({
      "src/app.ts": [
        'app.post("/hook", (req, res) => {',
        "  log(req.body);",
        "  log(req.headers.authorization);",
        "  log(process.env.API_KEY);",
        "  fetch(u).then((r) => log(r.json()));",
        "});",
        "function log(x) { console.log(x); }",
      ].join("\n"),
    });
    const logged = f.sinks.filter((s) => s.kind === "log" && s.via !== null).map((s) => kinds(f.flow.origins(s.value, s.fn)));
    expect(logged).toEqual([["request.body"], ["credential"], ["secret"], ["upstream"]]);
  });
});

describe("dangerous flows", () => {
  it("splits a URL into its host and its path, and reads request options", async () => {
    const f = await prepared({
      "src/a.ts": [
        "export async function go(host: string, id: string, path: string) {",
        "  await fetch(`https://${host}/items/${id}`);",
        "  await axios({ baseURL: API, url: `/v1/${path}` });",
        "  await axios({ baseURL: API, url: path });",
        "}",
      ].join("\n"),
    });
    const parts = f.dangerSinks.map((s) => `${s.line} ${s.parts.map((p) => `${p.role}:${p.value.text}`).join(" ")}`);
    // An absolute `url` replaces axios' base, so only a relative one leaves the host to the base.
    expect(parts).toEqual(["2 host:host url-path:id", "3 url-path:path", "4 host:path"]);
  });

  it("follows the field of an object argument, and functions a factory returns", async () => {
    const f = await prepared({
      "src/server.ts": [
        'import { z } from "zod";',
        "function makeClient() {",
        "  async function call({ token, endpoint }: { token: string; endpoint: string }) {",
        "    return fetch(endpoint, { headers: { authorization: token } });",
        "  }",
        "  return { call };",
        "}",
        "const { call } = makeClient();",
        'server.registerTool("t", { inputSchema: { a: z.string(), b: z.string() } }, async ({ a, b }) => {',
        "  await call({ token: a, endpoint: TOKEN_URL });",
        "  await call({ token: TOKEN, endpoint: b });",
        "  return { content: [] };",
        "});",
      ].join("\n"),
    });
    const origins = f.dangerFlows.map((d) => `${d.role} ${d.sink.line} ${d.path.origin.kind === "tool-input" ? d.path.origin.field : ""} via ${d.path.steps.map((s) => s.line).join(",")}`);
    expect(origins).toEqual(["host 4 b via 11"]);
  });

  it("finds the checks made on the way, and says why weak ones don't hold", async () => {
    const f = await prepared({
      "server.py": [
        "import httpx",
        "from mcp.server.fastmcp import FastMCP",
        'mcp = FastMCP("x")',
        "@mcp.tool()",
        "def a(url: str) -> str:",
        "    if urlparse(url).hostname not in ALLOWED:",
        '        raise ValueError("no")',
        "    return httpx.get(url).text",
        "@mcp.tool()",
        "def b(url: str) -> str:",
        '    if "example.com" not in url:',
        '        raise ValueError("no")',
        "    return httpx.get(url).text",
      ].join("\n"),
    });
    expect(f.dangerFlows.map((d) => `${d.sink.line} ${d.guard?.strength ?? "none"}`)).toEqual(["13 weak"]);
    expect(f.dangerFlows[0]!.guard!.why).toContain("contains");
  });
});

describe("coverage", () => {
  const garbage = "function ( { [ ".repeat(200) + "\n" + ") } ] =>".repeat(200);

  it("is fine when some files are bundles or broken, as long as source was read", async () => {
    const f = await prepared({ "src/a.ts": "export const a = 1;", "src/broken.ts": garbage, "dist2/app.min.js": "x" });
    expect(f.coverageProblem).toBeNull();
  });

  it("says so when no source file could be read", async () => {
    expect((await prepared({ "src/index.ts": garbage })).coverageProblem).toMatch(/none of the 1 source files could be parsed/);
  });

  it("derives each fact once per scan", async () => {
    const f = await prepared({ "a.ts": "f()", "b.py": "f()" });
    expect(f.sinks).toBe(f.sinks);
    expect(f.outbound).toBe(f.outbound);
    expect(f.flow).toBe(f.flow);
  });
});
