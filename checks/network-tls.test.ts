import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { networkTlsCheck } from "./network-tls";

ruleTable(networkTlsCheck, {
  valid: [
    {
      name: "an HTTPS agent with a private CA",
      files: {
        "src/api.ts":
          'import https from "node:https";\nexport const agent = new https.Agent({ ca: process.env.CA_PEM, keepAlive: true, rejectUnauthorized: true });',
      },
    },
    {
      name: "requests and httpx with verification on or a CA bundle",
      files: {
        "app/client.py":
          'import requests, httpx\nrequests.get(url, timeout=5)\nhttpx.Client(verify="/etc/ssl/ca.pem", timeout=10)\nrequests.post(url, json=body, verify=True, timeout=5)\n',
      },
    },
    {
      name: "test files talking to a local self-signed server",
      files: {
        "test/server.test.ts": "const agent = new https.Agent({ rejectUnauthorized: false });",
        "tests/test_api.py": "requests.get(url, verify=False)",
      },
    },
    {
      name: "documentation warning against the switch, and a variable that only names it",
      files: {
        "README.md": "Never set `NODE_TLS_REJECT_UNAUTHORIZED=0` in production.",
        "src/env.ts": 'const name = "NODE_TLS_REJECT_UNAUTHORIZED";\nif (process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0") warn();',
        ".env.example": "NODE_TLS_REJECT_UNAUTHORIZED=1\n",
      },
    },
    { name: "ssl=False on a database driver is not an HTTP client", files: { "db.py": "conn = await asyncpg.connect(dsn, ssl=False)" } },
  ],
  invalid: [
    {
      name: "an adapter that skips checks, mounted only when the operator turns ssl_verify off, is low; the same switch used unconditionally is high",
      files: {
        "app/ssl.py":
          "import ssl\nfrom requests.adapters import HTTPAdapter\n" +
          "class IgnoreCertsAdapter(HTTPAdapter):\n    def init_poolmanager(self, *args, **kwargs):\n        context = ssl.create_default_context()\n        context.check_hostname = False\n        return super().init_poolmanager(*args, ssl_context=context, **kwargs)\n" +
          "def configure(session, url, ssl_verify: bool):\n    if not ssl_verify:\n        session.mount(url, IgnoreCertsAdapter())\n",
        "app/fetch.py": "import requests\ndef fetch(url):\n    return requests.get(url, verify=False, timeout=5)\n",
        "tests/test_ssl.py": "from app.ssl import IgnoreCertsAdapter\ndef test_adapter():\n    assert IgnoreCertsAdapter() is not None\n",
        "src/agent.ts":
          'import https from "node:https";\nexport function agentFor() {\n  if (process.env.ALLOW_INSECURE_TLS === "1") return new https.Agent({ rejectUnauthorized: false });\n  return new https.Agent();\n}\n',
      },
      expected: [
        { ruleId: "tls/python-verify-false", path: "app/fetch.py", line: 3, severity: "high" },
        { ruleId: "tls/python-verify-false", path: "app/ssl.py", line: 6, severity: "low", message: "only where the code is told to (ssl_verify)" },
        { ruleId: "tls/reject-unauthorized", path: "src/agent.ts", line: 3, severity: "low", message: "allow_insecure_tls" },
      ],
    },
    {
      name: "an insecure https.Agent",
      files: { "src/store.ts": 'import https from "node:https";\n\nconst insecureAgent = new https.Agent({ rejectUnauthorized: false });' },
      expected: [{ ruleId: "tls/reject-unauthorized", path: "src/store.ts", line: 3, severity: "high" }],
    },
    {
      name: "axios with an insecure agent, got with https options, and strictSSL",
      files: {
        "src/a.js":
          "const client = axios.create({\n  httpsAgent: new https.Agent({ rejectUnauthorized: 0 }),\n});\n" +
          "await got(url, { https: { rejectUnauthorized: false } });\nrequest({ url, strictSSL: false });\n",
      },
      expected: [
        { ruleId: "tls/reject-unauthorized", line: 2 },
        { ruleId: "tls/reject-unauthorized", line: 4 },
        { ruleId: "tls/reject-unauthorized", line: 5 },
      ],
    },
    {
      name: "a checkServerIdentity that accepts anything",
      files: { "src/tls.ts": "tls.connect({ host, port, checkServerIdentity: () => undefined });" },
      expected: [{ ruleId: "tls/reject-unauthorized", line: 1 }],
    },
    {
      name: "NODE_TLS_REJECT_UNAUTHORIZED in code, .env, Dockerfile, package.json and a workflow",
      files: {
        "src/boot.ts": 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";',
        ".env": "PORT=3000\nNODE_TLS_REJECT_UNAUTHORIZED=0\n",
        Dockerfile: "FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\n",
        "package.json": '{ "scripts": { "dev": "NODE_TLS_REJECT_UNAUTHORIZED=0 tsx src/index.ts" } }',
        ".github/workflows/ci.yml": "env:\n  NODE_TLS_REJECT_UNAUTHORIZED: '0'\n",
      },
      expected: [
        { ruleId: "tls/env-disables-verification", path: ".env", line: 2 },
        { ruleId: "tls/env-disables-verification", path: ".github/workflows/ci.yml", line: 2 },
        { ruleId: "tls/env-disables-verification", path: "Dockerfile", line: 2 },
        { ruleId: "tls/env-disables-verification", path: "package.json", line: 1 },
        { ruleId: "tls/env-disables-verification", path: "src/boot.ts", line: 1 },
      ],
    },
    {
      name: "verify=False with requests, httpx and a session; aiohttp ssl=False; unverified contexts",
      files: {
        "app/api.py":
          "import requests, httpx, ssl, aiohttp\n" +
          "r = requests.get(url, timeout=5, verify=False)\n" +
          "client = httpx.AsyncClient(verify=False)\n" +
          "session.post(url, json=data, verify=False, timeout=3)\n" +
          "conn = aiohttp.TCPConnector(ssl=False)\n" +
          "ctx = ssl._create_unverified_context()\n" +
          "ctx2 = ssl.create_default_context()\nctx2.check_hostname = False\nctx2.verify_mode = ssl.CERT_NONE\n",
      },
      expected: [
        { ruleId: "tls/python-verify-false", line: 2 },
        { ruleId: "tls/python-verify-false", line: 3 },
        { ruleId: "tls/python-verify-false", line: 4 },
        { ruleId: "tls/python-verify-false", line: 5 },
        { ruleId: "tls/python-verify-false", line: 6 },
        { ruleId: "tls/python-verify-false", line: 8 },
        { ruleId: "tls/python-verify-false", line: 9 },
      ],
    },
  ],
});

describe("network-tls on hostile input", () => {
  it("finishes quickly on a 2 MB minified bundle and regex-hostile config text", async () => {
    const bundle = "var a={rejectUnauthorized:!1,strictSSL:0};".repeat(50_000);
    const env = "NODE_TLS_REJECT_UNAUTHORIZED".repeat(40_000) + "=" + " ".repeat(100_000);
    const { findings, ms } = await timed(networkTlsCheck, {
      "dist2/bundle.js": bundle,
      "config.yml": env,
      "bin.js": new Uint8Array([0, 1, 2, 0, 255]),
    });
    expect(findings).toEqual([]);
    expect(ms).toBeLessThan(5000);
  });
});
