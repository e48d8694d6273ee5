import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { transportCheck } from "./transport";

/** A server that keeps sessions in cookies: credentialed CORS then hands a foreign page the user's session. */
const SESSIONS = { "src/session.ts": 'import session from "express-session";\napp.use(session({ secret: process.env.SESSION_SECRET!, resave: false }));\n' };

ruleTable(transportCheck, {
  valid: [
    {
      name: "CORS open to every site on an MCP endpoint behind a bearer check",
      files: {
        "src/main.ts":
          'import cors from "cors";\nconst app = express();\napp.use(cors());\napp.post("/mcp", requireBearerAuth({ verifier }), async (req, res) => {\n  const transport = new StreamableHTTPServerTransport({});\n  await transport.handleRequest(req, res, req.body);\n});\napp.listen(3001);\n',
      },
    },
    {
      name: "servers bound to localhost, or to every interface with allowed hosts",
      files: {
        "src/main.ts":
          'const a = createMcpExpressApp({ host: "127.0.0.1" });\nconst b = createMcpExpressApp({ host: "0.0.0.0", allowedHosts: ["mcp.example.com"] });\nconst c = createMcpExpressApp();',
        "server.py":
          'mcp = FastMCP("notes")\nother = FastMCP("notes", host="0.0.0.0", transport_security=TransportSecuritySettings(allowed_hosts=["mcp.example.com"]))\n',
        "test/main.test.ts": 'createMcpExpressApp({ host: "0.0.0.0" });',
      },
    },
    {
      name: "a cors origin function that allows only listed origins",
      files: {
        "src/app.ts":
          'app.use(cors({\n  origin: (origin, callback) => {\n    if (!origin || ALLOWED.includes(origin)) callback(null, true);\n    else callback(new Error("not allowed"));\n  },\n  credentials: true,\n}));',
      },
    },
    {
      name: "the request's Origin sent back only when it is on a list",
      files: {
        "src/cors.ts":
          'const ALLOWED = ["https://chatgpt.com", "https://app.example.com"];\napp.use((req, res, next) => {\n  const origin = req.headers.origin;\n  if (origin && ALLOWED.includes(origin)) {\n    res.setHeader("Access-Control-Allow-Origin", origin);\n    res.setHeader("Access-Control-Allow-Credentials", "true");\n  }\n  next();\n});',
        "app.py":
          'ALLOWED = {"https://chatgpt.com"}\n@app.after_request\ndef cors(response):\n    origin = request.headers.get("Origin")\n    if origin in ALLOWED:\n        response.headers["Access-Control-Allow-Origin"] = origin\n    return response\n',
      },
    },
    {
      name: "a transport with protection on and allowed hosts",
      files: {
        "src/http.ts":
          'const transport = new StreamableHTTPServerTransport({\n  sessionIdGenerator: undefined,\n  enableDnsRebindingProtection: true,\n  allowedHosts: ["mcp.example.com"],\n});',
      },
    },
    {
      name: "CORS with an explicit origin list and credentials, and * without credentials",
      files: {
        "src/cors.ts":
          'app.use(cors({ origin: ["https://chatgpt.com"], credentials: true }));\napp.use("/.well-known", cors({ origin: "*" }));\n' +
          'res.setHeader("Access-Control-Allow-Origin", "*");\nres.setHeader("Access-Control-Expose-Headers", "Mcp-Session-Id");',
      },
    },
    {
      name: "wildcard and credentials set in different handlers",
      files: {
        "src/h.ts":
          'function a(res) { res.setHeader("Access-Control-Allow-Origin", "*"); }\nfunction b(res) { res.setHeader("Access-Control-Allow-Origin", ORIGIN); res.setHeader("Access-Control-Allow-Credentials", "true"); }',
      },
    },
    {
      name: "Python: protection on with hosts; CORS list with credentials; * without credentials",
      files: {
        "server.py":
          'security = TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=["mcp.example.com"])\n' +
          'app.add_middleware(CORSMiddleware, allow_origins=["https://chatgpt.com"], allow_credentials=True)\n' +
          'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"])\n',
      },
    },
    {
      name: "Python: protection on with an empty allowed_hosts list (the Python SDK then rejects every Host)",
      files: { "server.py": "security = TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=[])\n" },
    },
    {
      name: "tests and examples are not the connector",
      files: {
        "tests/test_cors.py": 'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n',
        "examples/demo/http.ts": "new StreamableHTTPServerTransport({ enableDnsRebindingProtection: false });",
      },
    },
  ],
  invalid: [
    {
      name: "CORS open to every site on an MCP endpoint that checks no caller, even one bound to localhost",
      files: {
        "src/main.ts":
          'import cors from "cors";\nconst app = express();\napp.use(cors());\napp.post("/mcp", async (req, res) => {\n  const transport = new StreamableHTTPServerTransport({});\n  await transport.handleRequest(req, res, req.body);\n});\napp.listen(3001, "127.0.0.1");\n',
      },
      expected: [{ ruleId: "transport/cors-open-without-auth", path: "src/main.ts", line: 3, severity: "moderate", message: "any page the user visits can call its tools" }],
    },
    {
      name: "credentialed CORS on a server that authenticates with bearer headers only is low",
      files: { "src/app.ts": "app.use(cors({ origin: true, credentials: true }));" },
      expected: [{ ruleId: "transport/cors-any-origin-with-credentials", path: "src/app.ts", line: 1, severity: "low", message: "sets no cookies" }],
    },
    {
      name: "servers bound to every interface with no allowed hosts",
      files: {
        "src/main.ts": 'import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";\nconst app = createMcpExpressApp({ host: "0.0.0.0" });',
        "server.py": 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("notes", host="0.0.0.0", port=8000)\n',
      },
      expected: [
        { ruleId: "transport/dns-rebinding-all-interfaces", path: "server.py", line: 2, severity: "low" },
        { ruleId: "transport/dns-rebinding-all-interfaces", path: "src/main.ts", line: 2, severity: "low" },
      ],
    },
    {
      name: "enableDnsRebindingProtection: false",
      files: {
        "src/http.ts":
          "const transport = new StreamableHTTPServerTransport({\n  sessionIdGenerator: undefined,\n  enableDnsRebindingProtection: false,\n});",
      },
      expected: [{ ruleId: "transport/dns-rebinding-disabled", path: "src/http.ts", line: 3, severity: "high" }],
    },
    {
      name: "protection on with empty or missing allowed hosts",
      files: {
        "src/a.ts":
          "new StreamableHTTPServerTransport({ enableDnsRebindingProtection: true, allowedHosts: [] });\nnew SSEServerTransport('/messages', res, { enableDnsRebindingProtection: true });",
      },
      expected: [
        { ruleId: "transport/empty-allowed-hosts", line: 1, severity: "moderate" },
        { ruleId: "transport/empty-allowed-hosts", line: 2 },
      ],
    },
    {
      name: "Python: enable_dns_rebinding_protection=False",
      files: { "server.py": "mcp = FastMCP('x', transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))" },
      expected: [{ ruleId: "transport/dns-rebinding-disabled", line: 1 }],
    },
    {
      name: "Access-Control-Allow-Origin * with credentials in one middleware",
      files: {
        "src/http.ts":
          'app.use((_req, res, next) => {\n  res.setHeader("Access-Control-Allow-Origin", "*");\n  res.setHeader("Access-Control-Allow-Credentials", "true");\n  next();\n});',
      },
      expected: [{ ruleId: "transport/cors-any-origin-with-credentials", line: 2, severity: "moderate" }],
    },
    {
      name: "cors() reflecting every origin with credentials, and * with credentials",
      files: {
        ...SESSIONS, "src/app.ts": "app.use(cors({ origin: true, credentials: true }));\napp.use(cors({ origin: '*', credentials: true }));" },
      expected: [
        { ruleId: "transport/cors-any-origin-with-credentials", line: 1, severity: "high" },
        { ruleId: "transport/cors-any-origin-with-credentials", line: 2, severity: "moderate" },
      ],
    },
    {
      name: "a headers object and Next.js config headers",
      files: {
        "src/r.ts":
          'return new Response(body, { headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true" } });',
        "next.config.ts":
          'export default { async headers() { return [{ source: "/mcp", headers: [\n { key: "Access-Control-Allow-Origin", value: "*" },\n { key: "Access-Control-Allow-Credentials", value: "true" },\n] }]; } };',
      },
      expected: [
        { ruleId: "transport/cors-any-origin-with-credentials", path: "next.config.ts", line: 2 },
        { ruleId: "transport/cors-any-origin-with-credentials", path: "src/r.ts", line: 1 },
      ],
    },
    {
      name: "Python: Starlette CORSMiddleware * with credentials, Flask-CORS with credentials",
      files: {
        ...SESSIONS,
        "app.py": 'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\nCORS(app, supports_credentials=True)\n',
      },
      expected: [
        { ruleId: "transport/cors-any-origin-with-credentials", line: 1, severity: "high" },
        { ruleId: "transport/cors-any-origin-with-credentials", line: 2 },
      ],
    },
    {
      name: "cors options in a const, and Python response headers set by hand",
      files: {
        ...SESSIONS,
        "src/app.ts": "const corsOptions = { origin: true, credentials: true };\napp.use(cors(corsOptions));",
        "app.py":
          'def add_cors(response):\n    response.headers["Access-Control-Allow-Origin"] = "*"\n    response.headers["Access-Control-Allow-Credentials"] = "true"\n    return response\n',
      },
      expected: [
        { ruleId: "transport/cors-any-origin-with-credentials", path: "app.py", line: 2, severity: "moderate" },
        { ruleId: "transport/cors-any-origin-with-credentials", path: "src/app.ts", line: 2, severity: "high" },
      ],
    },
    {
      name: "the request's Origin echoed with credentials, and after a prefix test",
      files: {
        ...SESSIONS,
        "src/a.ts":
          'app.use((req, res, next) => {\n  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);\n  res.setHeader("Access-Control-Allow-Credentials", "true");\n  next();\n});',
        "src/b.ts":
          'app.use((req, res, next) => {\n  const origin = req.get("origin");\n  if (origin?.startsWith("https://chatgpt.com")) {\n    res.header("Access-Control-Allow-Origin", origin);\n    res.header("Access-Control-Allow-Credentials", "true");\n  }\n  next();\n});',
      },
      expected: [
        { ruleId: "transport/cors-origin-reflected", path: "src/a.ts", line: 2, severity: "high" },
        { ruleId: "transport/cors-origin-reflected", path: "src/b.ts", line: 4, severity: "high" },
      ],
    },
    {
      name: "cors origin functions that allow every origin, or any origin ending in some text",
      files: {
        ...SESSIONS,
        "src/a.ts": "app.use(cors({ origin: (origin, cb) => cb(null, true), credentials: true }));",
        "src/b.ts":
          'app.use(cors({\n  origin(origin, cb) {\n    if (origin && origin.endsWith("example.com")) return cb(null, origin);\n    cb(null, false);\n  },\n  credentials: true,\n}));',
      },
      expected: [
        { ruleId: "transport/cors-any-origin-with-credentials", path: "src/a.ts", line: 1, severity: "high" },
        { ruleId: "transport/cors-any-origin-with-credentials", path: "src/b.ts", line: 1, severity: "high" },
      ],
    },
    {
      name: "Python: the Origin echoed without credentials is the same as *",
      files: {
        "app.py":
          '@app.after_request\ndef cors(response):\n    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")\n    return response\n',
      },
      expected: [{ ruleId: "transport/cors-origin-reflected", line: 3, severity: "low" }],
    },
  ],
});

describe("transport on hostile input", () => {
  it("finishes quickly on thousands of header calls", async () => {
    const text = "function f(res) {\n" + 'res.setHeader("Access-Control-Allow-Origin", "https://a.example");\n'.repeat(20_000) + "}";
    const { findings, ms } = await timed(transportCheck, { "src/h.ts": text });
    expect(findings).toEqual([]);
    expect(ms).toBeLessThan(10_000);
  });
});
