import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { networkTimeoutsCheck } from "./network-timeouts";

const RETRY_HELPER = "export async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> { return fn(); }\n";

ruleTable(networkTimeoutsCheck, {
  valid: [
    {
      name: "fetch with AbortSignal.timeout, a signal from a controller, and an options const",
      files: {
        "src/api.ts":
          RETRY_HELPER +
          "export async function a(url: string) { return fetch(url, { signal: AbortSignal.timeout(5000) }); }\n" +
          "export async function b(url: string, signal: AbortSignal) { return fetch(url, { method: 'POST', signal }); }\n" +
          "const opts = { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(3000) };\nexport const c = () => fetch('https://api.example.com', opts);\n",
      },
    },
    {
      name: "axios with a timeout, an axios instance with a timeout, and axios.defaults.timeout",
      files: {
        "src/a.ts":
          RETRY_HELPER +
          "const api = axios.create({ baseURL, timeout: 10_000 });\nawait api.get('/x');\nawait axios.get(url, { timeout: 5000 });\nawait axios.post(url, body, { timeout: 5000 });",
        "src/b.ts": "axios.defaults.timeout = 8000;\nawait axios.get(url);\n",
      },
    },
    {
      name: "got and ky with built-in retries and a got timeout",
      files: { "src/g.ts": "await got(url, { timeout: { request: 10000 } });\nawait ky.get(url).json();" },
    },
    {
      name: "Python: requests with timeout, httpx defaults, a session call with timeout, urlopen with timeout",
      files: {
        "app/client.py":
          "import requests, httpx\nfrom tenacity import retry\n" +
          "requests.get(url, timeout=10)\nhttpx.get(url)\nwith httpx.Client() as c:\n    c.get(url)\n" +
          "s = requests.Session()\ns.get(url, timeout=(3, 10))\nurllib.request.urlopen(url, timeout=5)\n",
      },
    },
    {
      name: "calls we cannot judge: spread options, options passed in, a Request object",
      files: {
        "src/x.ts": RETRY_HELPER + "fetch(url, { ...init });\nfetch(url, init);\nfetch(new Request(url, { signal }));\nfetch(req);",
      },
    },
    {
      name: "widget code and relative URLs are not server calls",
      files: { "web/app.tsx": "window.openai.toolOutput; fetch('https://api.example.com/x');", "src/b.ts": "fetch('/api/notes');" },
    },
    {
      name: "React client components run in the browser",
      files: { "app/demo/page.tsx": '"use client";\nuseEffect(() => { fetch("https://api.github.com/zen"); }, []);' },
    },
    { name: "calls to localhost (a sidecar)", files: { "src/x.ts": "await fetch('http://localhost:9000/health');" } },
    {
      name: "build and release scripts",
      files: { "scripts/fetch-schema.ts": "const response = await fetch(url);", "src/x.ts": RETRY_HELPER },
    },
    { name: "tests", files: { "src/x.test.ts": "await fetch(url);", "tests/test_api.py": "requests.get(url)" } },
    {
      name: "a constructor held in a variable is not an HTTP client, and https.get with a callback can't be judged",
      files: {
        "src/v.ts": RETRY_HELPER + "let constructor = View;\nconst v = new constructor({ model });\nhttps.get(url, (res) => res.resume());",
      },
    },
  ],
  invalid: [
    {
      name: "fetch with no options and with options but no signal",
      files: {
        "src/tools.ts":
          RETRY_HELPER + "const page = await fetch(String(source.url));\nconst r = await fetch(url, { method: 'POST', body });\n",
      },
      expected: [
        { ruleId: "net/no-timeout", line: 2, severity: "moderate", message: "no abort signal" },
        { ruleId: "net/no-timeout", line: 3 },
      ],
    },
    {
      name: "axios and got without timeouts, and axios timeout 0",
      files: {
        "src/a.ts":
          "await axios.get(url);\nawait axios.post(url, body, { headers });\nconst c = axios.create({ baseURL });\nawait axios({ url, timeout: 0 });\nawait got.post(url, { json: body });\n",
      },
      expected: [
        { ruleId: "net/no-timeout", line: 1 },
        { ruleId: "net/no-timeout", line: 2 },
        { ruleId: "net/no-timeout", line: 3, message: "client" },
        { ruleId: "net/no-timeout", line: 4, message: "disables" },
        { ruleId: "net/no-timeout", line: 5 },
      ],
    },
    {
      name: "Python: requests without timeout, a session without timeout, httpx timeout=None, urlopen",
      files: {
        "app/api.py":
          "import requests, httpx\nimport backoff\n" +
          "r = requests.get(url)\nsession = requests.Session()\nsession.post(url, json=body)\n" +
          "httpx.Client(timeout=None)\nurllib.request.urlopen(url)\nwith requests.Session() as s:\n    s.get(url)\n",
      },
      expected: [
        { ruleId: "net/no-timeout", line: 3, message: "requests waits forever" },
        { ruleId: "net/no-timeout", line: 5 },
        { ruleId: "net/no-timeout", line: 6, message: "disables" },
        { ruleId: "net/no-timeout", line: 7 },
        { ruleId: "net/no-timeout", line: 9 },
      ],
    },
    {
      name: "calls to another service with no retry anywhere (reported once)",
      files: {
        "src/a.ts": "await fetch(url, { signal: AbortSignal.timeout(5000) });\n",
        "src/b.ts": "export const x = () => fetch('https://api.example.com/v1', { signal: AbortSignal.timeout(5000) });\n",
      },
      expected: [{ ruleId: "net/no-retry", path: "src/a.ts", line: 1, severity: "low", message: "2 outbound calls" }],
    },
    {
      name: "MCP tool modules in a tools folder are server code; Node's https has no timeout of its own",
      files: {
        "src/tools/search.ts": RETRY_HELPER + "export const search = (q: string) => fetch(`https://api.example.com/s?q=${q}`);\n",
        "src/http.ts": "import https from 'node:https';\nhttps.request('https://api.example.com/x', { method: 'POST' });\n",
      },
      expected: [
        { ruleId: "net/no-timeout", path: "src/http.ts", line: 2, message: "http call sets no timeout" },
        { ruleId: "net/no-timeout", path: "src/tools/search.ts", line: 2, message: "no abort signal" },
      ],
    },
    {
      name: "Python httpx calls with no retry",
      files: {
        "server.py":
          "import httpx\nasync def get(q):\n    async with httpx.AsyncClient(timeout=10) as c:\n        return (await c.get(URL)).json()\n",
      },
      expected: [{ ruleId: "net/no-retry", line: 3 }],
    },
  ],
});

describe("network-timeouts on hostile input", () => {
  it("finishes quickly on many calls in a long file", async () => {
    const many = "await fetch(u, { signal: s });\n".repeat(20_000) + RETRY_HELPER;
    const { findings, ms } = await timed(networkTimeoutsCheck, { "src/many.ts": many });
    expect(findings).toEqual([]);
    expect(ms).toBeLessThan(10_000);
  });
});
