import { describe, expect, it } from "vitest";
import { ruleTable, runCheckOn, tsServer, tsTool, type InvalidRuleCase, type RuleCase } from "@/test/support/rules";
import { flowCheck } from "./flow";

const HTTP = 'import express from "express";\nconst app = express();\napp.listen(3000);\n';
const remoteTool = (name: string, schema: string, handler: string) => ({ ...tsTool(name, schema, handler), "src/main.ts": HTTP });
const py = (body: string, run = 'mcp.run(transport="streamable-http")') => ({
  "server.py": `import os, subprocess, httpx, sqlite3\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n\n${body}\n\nif __name__ == "__main__":\n    ${run}\n`,
});

const valid: RuleCase[] = [
  {
    name: "mail headers from inputs with line breaks taken out, and a header fixed in code",
    files: {
      ...remoteTool(
        "send_email",
        "{ inputSchema: { to: z.string(), subject: z.string() } }",
        "async ({ to, subject }) => {\n  const clean = (v: string) => v.replace(/[\\r\\n]+/g, ' ');\n  const raw = [`To: ${clean(to)}`, `Subject: ${subject.replace(/[\\r\\n]/g, '')}`, `Content-Type: ${'text/plain'}`].join('\\r\\n');\n  await send(raw);\n  return { content: [] };\n}",
      ),
    },
  },
  {
    name: "input only in the path below a fixed origin, encoded, or of a fixed shape (enum, number)",
    files: remoteTool(
      "get_issue",
      "{ inputSchema: { id: z.string(), q: z.string(), kind: z.enum(['bug', 'task']), n: z.number() } }",
      "async ({ id, q, kind, n }) => { await fetch(`https://api.example.com/issues/${encodeURIComponent(id)}?q=${q}`); await fetch(`https://api.example.com/${kind}/${n}`); return { content: [] }; }",
    ),
  },
  {
    name: "a URL whose host is compared with an allow-list",
    files: remoteTool(
      "fetch_page",
      "{ inputSchema: { url: z.string().url() } }",
      "async ({ url }) => {\n  const u = new URL(url);\n  if (!ALLOWED_HOSTS.has(u.hostname)) throw new Error('host not allowed');\n  const r = await fetch(u);\n  return { content: [] };\n}",
    ),
  },
  {
    name: "a path resolved under a root and checked",
    files: remoteTool(
      "read_doc",
      "{ inputSchema: { name: z.string() } }",
      "async ({ name }) => {\n  const full = path.resolve(ROOT, name);\n  if (!full.startsWith(ROOT + path.sep)) throw new Error('outside');\n  return { content: [{ type: 'text', text: await fs.readFile(full, 'utf8') }] };\n}",
    ),
  },
  {
    name: "parameterised SQL and an enum in a command",
    files: remoteTool(
      "lookup",
      "{ inputSchema: { email: z.string(), kind: z.enum(['a', 'b']) } }",
      "async ({ email, kind }) => {\n  await db.query('SELECT * FROM users WHERE email = $1', [email]);\n  child_process.exec(`make ${kind}`);\n  return { content: [] };\n}",
    ),
  },
  {
    name: "Python: quoted shell argument, parameterised SQL, base name for a file",
    files: py(
      '@mcp.tool()\ndef run(branch: str, name: str, user: str) -> str:\n    subprocess.run(f"git log {shlex.quote(branch)}", shell=True)\n    conn.execute("SELECT * FROM t WHERE user = ?", (user,))\n    return open(os.path.join(DATA, os.path.basename(name))).read()',
    ),
  },
  {
    name: "a redirect to a fixed path, and a request value only in its query",
    files: {
      "src/app.ts": HTTP + "app.get('/login', (req, res) => {\n  res.redirect(`/signin?next=${encodeURIComponent(req.query.next)}`);\n});\n",
    },
  },
  {
    name: "request options with a fixed base and an encoded input in a relative path; a helper given a constant URL beside the input",
    files: {
      ...remoteTool(
        "raw",
        "{ inputSchema: { endpoint: z.string(), code: z.string() } }",
        "async ({ endpoint, code }) => {\n  await axios({ baseURL: API_BASE, url: `/v2/${encodeURIComponent(endpoint)}` });\n  await exchange({ code, tokenUrl: TOKEN_URL });\n  return { content: [] };\n}\nasync function exchange({ code, tokenUrl }: { code: string; tokenUrl: string }) {\n  return fetch(tokenUrl, { method: 'POST', body: code });\n}",
      ),
    },
  },
  {
    name: "a route calling its own origin, as the request names it",
    files: { "src/app.ts": HTTP + "app.get('/config', async (req, res) => {\n  const origin = new URL(req.url, 'http://x').origin;\n  res.json(await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json());\n});\n" },
  },
  {
    name: "an input handed to a program after `--`, where it can't be read as an option",
    files: remoteTool(
      "log",
      "{ inputSchema: { file: z.string() } }",
      "async ({ file }) => {\n  child_process.execFile('git', ['log', '--oneline', '--', file]);\n  return { content: [] };\n}",
    ),
  },
  {
    name: "Python over stdio: a redirect-free tool and a URL fixed in code, the input quoted into its path",
    files: py('@mcp.tool()\ndef weather(city: str) -> str:\n    return httpx.get(f"https://api.example.com/weather/{quote(city, safe=\'\')}").text', "mcp.run()"),
  },
];

const invalid: InvalidRuleCase[] = [
  {
    name: "a tool registry dispatched in a loop (`def.handler(ctx, args)`): the entry's function gets the tool's inputs",
    files: {
      "src/tools/fetch-page.ts": "export const fetchPage = async (ctx: unknown, args: { url: string }) => {\n  const r = await fetch(args.url);\n  return { content: [{ type: 'text', text: await r.text() }] };\n};\n",
      "src/tools/index.ts": 'import { z } from "zod";\nimport { fetchPage } from "./fetch-page";\nexport const tools = {\n  fetch_page: { schema: z.object({ url: z.string() }), handler: fetchPage, description: "Fetches a page." },\n};\n',
      "src/server.ts":
        'import { tools } from "./tools/index";\nexport function register(server: any) {\n  for (const [name, def] of Object.entries(tools)) {\n' +
        "    server.registerTool(name, { description: def.description, inputSchema: def.schema.shape }, async (args: any) => def.handler({}, args));\n  }\n}\n",
      "src/main.ts": HTTP,
    },
    expected: [{ ruleId: "flow/ssrf", severity: "high", path: "src/tools/fetch-page.ts", line: 2 }],
  },
  {
    name: "mail headers written as text from tool inputs, through a helper that builds the raw message",
    files: {
      "src/mail.ts":
        "export function rawMessage(args: any): string {\n  const headers = [`To: ${args.to.join(', ')}`, `Subject: ${args.subject}`];\n" +
        "  if (args.cc) headers.push(`Cc: ${args.cc}`);\n  return headers.join('\\r\\n') + '\\r\\n\\r\\n' + args.body;\n}\n",
      "src/tools.ts":
        'import { z } from "zod";\nimport { rawMessage } from "./mail";\nexport function register(server: any) {\n' +
        '  server.registerTool("send_email", { inputSchema: { to: z.array(z.string()), subject: z.string(), cc: z.string().optional(), body: z.string() } }, async (args) => {\n' +
        "    await gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawMessage(args) } });\n    return { content: [] };\n  });\n}\n",
      "src/main.ts": HTTP,
    },
    expected: [{ ruleId: "flow/mail-header-injection", severity: "moderate", path: "src/mail.ts", line: 2 }],
  },
  {
    name: "an id put unencoded into an API path, through a method of a client passed in as a typed parameter: low, with the place the path is written",
    files: {
      "src/client.ts":
        'export class Client {\n  private readonly baseUrl = "https://api.example.com/v2";\n  private async request(path: string) {\n    return fetch(`${this.baseUrl}${path}`);\n  }\n' +
        "  async getBatch(id: string) {\n    return this.request(`/batches/${id}`);\n  }\n}\n",
      "src/tools.ts":
        'import { z } from "zod";\nimport { Client } from "./client";\nexport function register(server: any, client: Client) {\n' +
        '  server.registerTool("get_batch", { inputSchema: { id: z.string() } }, async (args) => ({ content: [{ type: "text", text: String(await client.getBatch(args.id)) }] }));\n}\n',
    },
    expected: [{ ruleId: "flow/ssrf-path", severity: "low", line: 4, path: "src/client.ts" }],
  },
  {
    name: "Python: a path segment from a tool input, not quoted",
    files: py('@mcp.tool()\ndef weather(city: str) -> str:\n    return httpx.get(f"https://api.example.com/weather/{city}").text', "mcp.run()"),
    expected: [{ ruleId: "flow/ssrf-path", severity: "low" }],
  },
  {
    name: "SSRF: a typed URL input fetched as given, on an HTTP server",
    files: remoteTool("fetch_page", "{ inputSchema: { url: z.string().url() } }", "async ({ url }) => { const r = await fetch(url); return { content: [] }; }"),
    expected: [{ ruleId: "flow/ssrf", severity: "high", line: 3 }],
  },
  {
    name: "SSRF through a helper in another file: one finding at the helper's fetch for both calls",
    files: {
      "src/server.ts":
        'import { z } from "zod";\nimport { get } from "./http";\nexport function register(server: any) {\n' +
        'server.registerTool("a", { inputSchema: { endpoint: z.string() } }, async ({ endpoint }) => { await get(endpoint); await get(`https://${endpoint}/v2`); return { content: [] }; });\n}\n',
      "src/http.ts": "export async function get(u: string) {\n  return fetch(u);\n}\n",
      "src/main.ts": HTTP,
    },
    expected: [{ ruleId: "flow/ssrf", severity: "high", line: 2, path: "src/http.ts" }],
  },
  {
    name: "SSRF with a prefix check that has no path boundary",
    files: remoteTool(
      "proxy",
      "{ inputSchema: { url: z.string() } }",
      "async ({ url }) => {\n  if (!url.startsWith('https://api.example.com')) throw new Error('no');\n  return fetch(url);\n}",
    ),
    expected: [{ ruleId: "flow/ssrf", severity: "high", line: 5 }],
  },
  {
    name: "open redirect from the query string",
    files: { "src/app.ts": HTTP + "app.get('/done', (req, res) => {\n  const next = req.query.next as string;\n  res.redirect(next);\n});\n" },
    expected: [{ ruleId: "flow/open-redirect", severity: "moderate", line: 6 }],
  },
  {
    name: "path traversal: read and write of a model-chosen path, one finding",
    files: remoteTool(
      "files",
      "{ inputSchema: { path: z.string(), text: z.string() } }",
      "async ({ path: p, text }) => {\n  const old = await fs.readFile(p, 'utf8');\n  await fs.writeFile(p, text);\n  return { content: [] };\n}",
    ),
    expected: [{ ruleId: "flow/path-traversal", severity: "high", line: 4 }],
  },
  {
    name: "shell injection: exec of a template with the input",
    files: remoteTool("grep", "{ inputSchema: { pattern: z.string() } }", "async ({ pattern }) => { child_process.exec(`grep -r ${pattern} .`); return { content: [] }; }"),
    expected: [{ ruleId: "flow/shell-injection", severity: "critical", line: 3 }],
  },
  {
    name: "SQL injection: an interpolated value",
    files: remoteTool(
      "find",
      "{ inputSchema: { name: z.string() } }",
      "async ({ name }) => { const rows = await db.query(`SELECT * FROM users WHERE name = '${name}'`); return { content: [] }; }",
    ),
    expected: [{ ruleId: "flow/sql-injection", severity: "high", line: 3 }],
  },
  {
    name: "Python over HTTP: httpx with the input URL, os.system, an f-string in SQL, open()",
    files: py(
      '@mcp.tool()\ndef go(url: str, host: str, table: str, name: str) -> str:\n    httpx.get(url)\n    os.system("ping -c1 " + host)\n    conn.execute(f"SELECT * FROM {table}")\n    return open(name).read()',
    ),
    expected: [
      { ruleId: "flow/ssrf", severity: "high", line: 7 },
      { ruleId: "flow/shell-injection", severity: "critical", line: 8 },
      { ruleId: "flow/sql-injection", severity: "high", line: 9 },
      { ruleId: "flow/path-traversal", severity: "high", line: 10 },
    ],
  },
  {
    name: "Python over stdio only: the same file read is a lower concern on the user's own machine",
    files: py('@mcp.tool()\ndef read(name: str) -> str:\n    return open(name).read()', "mcp.run()"),
    expected: [{ ruleId: "flow/path-traversal", severity: "moderate", line: 7 }],
  },
  {
    name: "Python: subprocess with shell=True and request data in a Flask route",
    files: {
      "app.py":
        'from flask import Flask, request, redirect\nimport subprocess\napp = Flask(__name__)\n\n@app.route("/run")\ndef run():\n    subprocess.run("convert " + request.args.get("f"), shell=True)\n    return redirect(request.args["next"])\n',
    },
    expected: [
      { ruleId: "flow/shell-injection", severity: "critical", line: 7 },
      { ruleId: "flow/open-redirect", severity: "moderate", line: 8 },
    ],
  },
  {
    name: "SSRF through a function a factory returns, past an allow-list that is a prefix without a path boundary",
    files: {
      ...remoteTool(
        "read_pdf",
        "{ inputSchema: { url: z.string() } }",
        "async ({ url }) => {\n  if (!isAllowedUrl(url)) throw new Error('no');\n  const { read } = makeReader();\n  return read(url);\n}\nconst ORIGINS = new Set(['https://docs.example.org']);\nfunction isAllowedUrl(u: string) {\n  const p = new URL(u);\n  return [...ORIGINS].some((o) => `${p.protocol}//${p.hostname}`.startsWith(o));\n}\nfunction makeReader() {\n  async function read(u: string) {\n    return fetch(u);\n  }\n  return { read };\n}",
      ),
    },
    expected: [{ ruleId: "flow/ssrf", severity: "high", line: 15 }],
  },
  {
    name: "a check written after the value is used protects nothing",
    files: remoteTool(
      "open_repo",
      "{ inputSchema: { dir: z.string() } }",
      "async ({ dir }) => {\n  const text = await fs.readFile(dir, 'utf8');\n  if (!path.resolve(dir).startsWith(ROOT + path.sep)) throw new Error('outside');\n  return { content: [{ type: 'text', text }] };\n}",
    ),
    expected: [{ ruleId: "flow/path-traversal", severity: "high", line: 4 }],
  },
  {
    name: "a test runner started in a directory the caller chooses",
    files: remoteTool(
      "run_tests",
      "{ inputSchema: { root: z.string() } }",
      "async ({ root }) => {\n  child_process.spawn('npm', ['test'], { cwd: path.resolve(root, 'app'), shell: false });\n  return { content: [] };\n}",
    ),
    expected: [{ ruleId: "flow/shell-injection", severity: "high", line: 4 }],
  },
  {
    name: "Python: a containment check that only runs when a root is configured",
    files: py(
      'def confine(p: Path, root: Path | None) -> None:\n    if root is None:\n        return\n    if not p.resolve().is_relative_to(root.resolve()):\n        raise ValueError("outside")\n\n@mcp.tool()\ndef show(repo_path: str) -> str:\n    p = Path(repo_path)\n    confine(p, ROOT)\n    return (p / "README").read_text()',
    ),
    expected: [{ ruleId: "flow/path-traversal", severity: "high", line: 15 }],
  },
  {
    name: "an input given to a program as an option, before any `--`",
    files: remoteTool(
      "clone",
      "{ inputSchema: { repo: z.string() } }",
      "async ({ repo }) => {\n  child_process.execFile('git', ['clone', repo, '/tmp/x']);\n  return { content: [] };\n}",
    ),
    expected: [{ ruleId: "flow/shell-injection", severity: "moderate", line: 4 }],
  },
  {
    name: "one input fetched in two functions is one problem",
    files: remoteTool(
      "fetch_page",
      "{ inputSchema: { url: z.string() } }",
      "async ({ url }) => {\n  await robotsAllow(url);\n  return { content: [{ type: 'text', text: await (await fetch(url)).text() }] };\n}\nasync function robotsAllow(u: string) {\n  return fetch(new URL('/robots.txt', u));\n}",
    ),
    expected: [{ ruleId: "flow/ssrf", severity: "high", line: 5 }],
  },
  {
    name: "Python: FastAPI redirect to a query parameter; a stdio tool in a repository that also serves HTTP counts as remote",
    files: {
      "web.py":
        'from fastapi import FastAPI, Request\nfrom fastapi.responses import RedirectResponse\napp = FastAPI()\n\n@app.get("/go")\nasync def go(request: Request):\n    return RedirectResponse(request.query_params["to"])\n',
      ...py('@mcp.tool()\ndef get(url: str) -> str:\n    return httpx.get(url).text', "mcp.run()"),
    },
    expected: [
      { ruleId: "flow/open-redirect", severity: "moderate", line: 7, path: "web.py" },
      { ruleId: "flow/ssrf", severity: "high", line: 7, path: "server.py" },
    ],
  },
  {
    name: "SSRF on a stdio server stays high: the request comes from inside the user's network",
    files: py('@mcp.tool()\ndef get(url: str) -> str:\n    return httpx.get(url).text', "mcp.run()"),
    expected: [{ ruleId: "flow/ssrf", severity: "high", line: 7 }],
  },
  {
    name: "stdio only, TypeScript and the low-level Python server: a model-chosen path is a lower concern",
    files: {
      ...tsTool("read", "{ inputSchema: { p: z.string() } }", "async ({ p }) => ({ content: [{ type: 'text', text: await fs.readFile(p, 'utf8') }] })"),
      "src/main.ts": "const transport = new StdioServerTransport();\nawait server.connect(transport);\n",
      "low.py":
        'import mcp.server.stdio\nserver = Server("x")\n@server.call_tool()\nasync def call_tool(name: str, arguments: dict):\n    return open(arguments["path"]).read()\nasync def main():\n    async with mcp.server.stdio.stdio_server() as (read_stream, write_stream):\n        await server.run(read_stream, write_stream, server.create_initialization_options())\n',
    },
    expected: [
      { ruleId: "flow/path-traversal", severity: "moderate", path: "src/server.ts", line: 3 },
      { ruleId: "flow/path-traversal", severity: "moderate", path: "low.py", line: 5 },
    ],
  },
];

describe("flow", () => {
  ruleTable(flowCheck, { valid, invalid }, it, expect);

  it("names the input, the sink and the place", async () => {
    const [f] = await runCheckOn(
      flowCheck,
      remoteTool("fetch_page", "{ inputSchema: { url: z.string().url() } }", "async ({ url }) => { await fetch(url); return { content: [] }; }"),
    );
    expect(f?.message).toContain('"url" input of fetch_page reaches the host of the URL');
    expect(f?.message).toContain("`fetch` (src/server.ts:3)");
  });

  it("stays bounded on long helper chains, recursion and many callers", async () => {
    const chain = Array.from({ length: 1500 }, (_, i) => `function h${i}(u: string, v: string): Promise<unknown> { return i${i % 7} ? h${i + 1}(v + u, u) : h${Math.max(0, i - 3)}(u, v); }`);
    const callers = Array.from({ length: 300 }, (_, i) => `server.registerTool("t${i}", { inputSchema: { u: z.string() } }, async ({ u }) => { await h${i}(u, u); return { content: [] }; });`);
    const files = {
      ...tsServer(callers.join("\n")),
      "src/chain.ts": `${chain.join("\n")}\nfunction h1500(u: string, v: string) { return fetch(u + v); }\n`,
      "src/main.ts": HTTP,
    };
    const started = performance.now();
    await runCheckOn(flowCheck, files);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("points at the call that hands the input to the helper holding the sink", async () => {
    const [f] = await runCheckOn(flowCheck, {
      "src/server.ts":
        'import { z } from "zod";\nimport { get } from "./http";\nexport function register(server: any) {\n' +
        'server.registerTool("a", { inputSchema: { endpoint: z.string() } }, async ({ endpoint }) => { await get(endpoint); return { content: [] }; });\n}\n',
      "src/http.ts": "export async function get(u: string) {\n  return fetch(u);\n}\n",
      "src/main.ts": HTTP,
    });
    expect(f?.location).toEqual({ path: "src/http.ts", line: 2 });
    expect(f?.related).toEqual([{ path: "src/server.ts", line: 4 }]);
    expect(f?.message).toContain("through get()");
  });
});
