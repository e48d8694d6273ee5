import { describe, expect, it } from "vitest";
import { fixtureFiles } from "@/test/support/connectors";
import { ruleTable, runCheckOn, tsServer, tsTool, type InvalidRuleCase, type RuleCase } from "@/test/support/rules";
import { toolInputCheck } from "./tool-input";

const py = (body: string) => ({
  "server.py": `from typing import Any\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n\n${body}\n`,
});

const valid: RuleCase[] = [
  {
    name: "typed zod fields",
    files: tsTool("get_note", "{ inputSchema: { id: z.string().uuid(), limit: z.number().max(50).optional() } }"),
  },
  {
    name: "a tool with no inputs",
    files: tsServer(`server.registerTool("whoami", { description: "Who am I." }, async (extra) => ({ content: [] }));`),
  },
  {
    name: "an open object that never reaches a dangerous operation",
    files: tsTool(
      "save_prefs",
      "{ inputSchema: { prefs: z.record(z.string(), z.string()) } }",
      "async ({ prefs }) => ({ content: [{ type: 'text', text: JSON.stringify(prefs) }] })",
    ),
  },
  {
    name: "a JSON Schema with typed properties",
    files: tsServer(
      `server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "t", description: "d", inputSchema: { type: "object", properties: { q: { type: "string" } }, additionalProperties: false } }] }));`,
    ),
  },
  { name: "typed Python parameters", files: py('@mcp.tool()\ndef add(a: int, b: int) -> int:\n    """Adds."""\n    return a + b') },
  { name: "the typed fixtures", files: fixtureFiles("ts-register-tool") },
];

const invalid: InvalidRuleCase[] = [
  {
    name: "z.any() used as a URL (the demo's import_from_url)",
    files: tsTool(
      "import_page",
      "{ inputSchema: { source: z.any() } }",
      "async ({ source }) => { await fetch(String(source.url)); return { content: [] }; }",
    ),
    expected: [{ ruleId: "tool-input/any-type", severity: "high", line: 3 }],
  },
  {
    name: "z.unknown() not reaching a sink",
    files: tsTool("log_event", "{ inputSchema: { payload: z.unknown() } }"),
    expected: [{ ruleId: "tool-input/any-type", severity: "moderate" }],
  },
  {
    name: "a passthrough object used in a file path",
    files: tsTool(
      "read_doc",
      "{ inputSchema: { opts: z.object({ dir: z.string() }).passthrough() } }",
      "async ({ opts }) => ({ content: [{ type: 'text', text: await fs.readFile(path.join(ROOT, opts.file), 'utf8') }] })",
    ),
    expected: [{ ruleId: "tool-input/open-object-to-sink", severity: "high" }],
  },
  {
    name: "a record used to build a shell command",
    files: {
      "src/server.ts":
        'import { z } from "zod";\nimport { execSync } from "node:child_process";\nexport function register(server: any) {\n' +
        'server.registerTool("run_script", { inputSchema: { env: z.record(z.string()) } }, async ({ env }) => { execSync(`deploy ${env.TARGET}`); return { content: [] }; });\n}\n',
    },
    expected: [{ ruleId: "tool-input/open-object-to-sink" }],
  },
  {
    name: "a low-level tool without inputSchema",
    files: tsServer(`server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "t", description: "d" }] }));`),
    expected: [{ ruleId: "tool-input/no-schema", severity: "moderate" }],
  },
  {
    name: "a JSON Schema property without a type",
    files: fixtureFiles("py-lowlevel"),
    expected: [{ ruleId: "tool-input/any-type", line: 23 }],
  },
  {
    // The dict only fills the query string, which the client encodes: no sink, so the open dict alone is no finding.
    name: "Python: an untyped parameter fetched as the URL, and a dict in the query string",
    files: py(
      '@mcp.tool()\ndef fetch_page(url, options: dict[str, Any]) -> str:\n    """Fetches a page."""\n    return requests.get(url, params=options, timeout=5).text',
    ),
    expected: [{ ruleId: "tool-input/any-type", severity: "high" }],
  },
  {
    name: "Python: SQL built from an open dict",
    files: py(
      '@mcp.tool()\ndef find(filters: dict) -> list:\n    """Finds rows."""\n    return db.execute(f"SELECT * FROM t WHERE {filters}").fetchall()',
    ),
    expected: [{ ruleId: "tool-input/open-object-to-sink" }],
  },
];

describe("tool-input", () => {
  ruleTable(toolInputCheck, { valid, invalid }, it, expect);

  it("names the sink in the message", async () => {
    const [f] = await runCheckOn(toolInputCheck, fixtureFiles("../../../examples/demo-connector"));
    expect(f!.message).toBe('"import_from_url" accepts any value for "source" (any), and uses it in a URL: `fetch` (src/server.ts:97).');
  });
});
