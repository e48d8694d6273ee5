import { describe, expect, it } from "vitest";
import { ruleTable, type InvalidRuleCase, type RuleCase } from "@/test/support/rules";
import { authRequiredCheck } from "./auth-required";

const TOOLS = [
  'server.registerTool("list_notes", { description: "Lists notes." }, async () => ({ content: [] }));',
  'server.registerTool("delete_note", { description: "Deletes a note." }, async () => ({ content: [] }));',
].join("\n");

/** An Express server exposing the streamable HTTP transport at /mcp, with `guard` written before the handler. */
function expressServer(guard: string, extra = ""): Record<string, string> {
  return {
    "src/server.ts": [
      'import express from "express";',
      'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
      'import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";',
      "const server = new McpServer({ name: \"notes\", version: \"1.0.0\" });",
      TOOLS,
      "const app = express();",
      "app.use(express.json());",
      extra,
      `app.post("/mcp", ${guard}async (req, res) => {`,
      "  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });",
      "  await server.connect(transport);",
      "  await transport.handleRequest(req, res, req.body);",
      "});",
      "app.listen(process.env.PORT ?? 3000);",
    ].join("\n"),
  };
}

const PY_SERVER = (extra: string, run = 'mcp.run(transport="streamable-http")') =>
  [
    "from mcp.server.fastmcp import FastMCP",
    `mcp = FastMCP("notes"${extra})`,
    "@mcp.tool()",
    "def delete_note(note_id: str) -> str:",
    '    """Deletes a note."""',
    "    return note_id",
    'if __name__ == "__main__":',
    `    ${run}`,
  ].join("\n");

const valid: RuleCase[] = [
  { name: "a bearer check as route middleware", files: expressServer("requireBearerAuth({ verifier }), ") },
  { name: "a middleware of ours that reads the Authorization header, for the whole app", files: expressServer("", 'app.use((req, res, next) => { if (!req.headers.authorization) return res.status(401).end(); next(); });') },
  { name: "an auth middleware from a package we can't read", files: expressServer("", "app.use(authMiddleware());") },
  {
    name: "a middleware factory of ours, named for nothing, that reads the Authorization header",
    files: expressServer("", "function callerCheck() {\n  return (req, res, next) => (req.headers.authorization ? next() : res.status(401).end());\n}\napp.use(callerCheck());"),
  },
  {
    name: "a handler that checks the token itself",
    files: {
      "src/server.ts": expressServer("")["src/server.ts"]!.replace("const transport", "const user = await verifyAccessToken(req.headers.authorization);\n  const transport"),
    },
  },
  { name: "a server bound to localhost", files: { "src/server.ts": expressServer("")["src/server.ts"]!.replace("app.listen(process.env.PORT ?? 3000);", 'app.listen(3000, "127.0.0.1");') } },
  { name: "a stdio server", files: { "server.py": PY_SERVER("", "mcp.run()") } },
  { name: "FastMCP with an auth provider", files: { "server.py": PY_SERVER(", auth=provider") } },
  {
    name: "a FastMCP app behind a middleware that reads the caller's Authorization header",
    files: {
      "server.py": PY_SERVER("", "app = mcp.streamable_http_app()"),
      "auth.py": 'class BearerMiddleware:\n    async def __call__(self, scope, receive, send):\n        token = Request(scope).headers.get("authorization")\n',
    },
  },
  { name: "an unauthenticated server in an example folder", files: { "examples/notes/server.ts": expressServer("")["src/server.ts"]! } },
];

const invalid: InvalidRuleCase[] = [
  {
    name: "an Express MCP endpoint with no auth, serving a delete tool",
    files: expressServer(""),
    expected: [{ ruleId: "auth/unauthenticated-endpoint", path: "src/server.ts", line: 10, severity: "high" }],
  },
  {
    name: "FastMCP over streamable HTTP with no auth",
    files: { "server.py": PY_SERVER("") },
    expected: [{ ruleId: "auth/unauthenticated-endpoint", path: "server.py", line: 8, severity: "high" }],
  },
  {
    name: "a FastMCP app that sends its own bearer token upstream but checks no caller",
    files: {
      "server.py": PY_SERVER("", "app = mcp.streamable_http_app()"),
      "upstream.py": 'import httpx\ndef search(q):\n    return httpx.get(URL, headers={"Authorization": f"Bearer {TOKEN}"}, params={"q": q})\n',
    },
    expected: [{ ruleId: "auth/unauthenticated-endpoint", path: "server.py", line: 8, severity: "high" }],
  },
  {
    name: "read-only tools behind no auth are moderate",
    files: { "server.py": PY_SERVER("").replace("delete_note", "get_note").replace("Deletes", "Gets") },
    expected: [{ ruleId: "auth/unauthenticated-endpoint", path: "server.py", line: 8, severity: "moderate" }],
  },
];

describe("auth-required", () => {
  ruleTable(authRequiredCheck, { valid, invalid }, it, expect);
});
