import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { loggingCheck } from "./logging";

const PINO_REDACTING =
  'import pino from "pino";\nexport const logger = pino({ level: "info", redact: ["req.headers.authorization", "*.token"] });\n';

const LOW_LEVEL =
  'import { z } from "zod";\nconst parser = z.object({ caption: z.string() });\n' +
  'server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "search_images", description: "Searches images.", inputSchema: { type: "object" } }] }));\n' +
  "server.setRequestHandler(CallToolRequestSchema, async (request) => {\n  const toolName = request.params.name;\n  console.log(`Tool called: ${toolName}`);\n" +
  '  if (toolName === "search_images") {\n    const args = parser.parse(request.params.arguments ?? {});\n    console.log(`Searching for ${args.caption}`);\n    return { content: [] };\n  }\n' +
  '  throw new Error("unknown tool");\n});\n';

ruleTable(loggingCheck, {
  valid: [
    {
      name: "request ids, tool names, sizes, and a token's presence",
      files: {
        "src/log.ts": PINO_REDACTING,
        "src/http.ts":
          'logger.info({ requestId: req.headers["x-request-id"], tool: name, bytes: body.length }, "tool call");\n' +
          'console.log("authorized:", Boolean(token), "scopes:", authInfo.scopes.join(" "));\n' +
          "logger.debug({ tokenPresent: !!req.headers.authorization, tokenLength: token.length, prefix: token.slice(0, 4) });\n" +
          'log.info(`token refreshed for ${userId}`);\nconsole.error("upstream failed", err);\nlogger.info({ tokens: usage.totalTokens, nextPageToken });',
      },
    },
    {
      name: "redacting helpers around sensitive values",
      files: {
        "src/a.ts": PINO_REDACTING + "logger.info({ auth: redact(req.headers.authorization), body: hashBody(req.body), t: mask(token) });",
      },
    },
    {
      name: "tool handlers logging what they need, and a CLI logging its args",
      files: {
        "src/server.ts":
          PINO_REDACTING +
          "server.registerTool('search', cfg, async (args, extra) => {\n  logger.info({ tool: 'search', requestId: extra.requestId, fields: Object.keys(args).length });\n});",
        "scripts/cli.ts": "const args = process.argv.slice(2);\nconsole.log(args);",
      },
    },
    {
      name: "Python: logging with a redaction filter, ids and sizes",
      files: {
        "app/log.py":
          "import logging\nclass RedactFilter(logging.Filter):\n    pass\nlogging.basicConfig(level=logging.INFO)\nlogging.getLogger().addFilter(RedactFilter())\n",
        "app/server.py":
          'logger.info("tool call %s request=%s", name, request_id)\nlogger.info("token present: %s", token is not None)\nlogger.debug("prefix %s", token[:4])\nlog.info("call", tool=name, size=len(body))\n',
      },
    },
    {
      name: "MCP prompt templates and callbacks inside log arguments",
      files: {
        "src/repl.ts":
          PINO_REDACTING +
          "console.log(prompts.map((prompt) => prompt.name));\nconsole.log(`- ${getDisplayName(prompt)}: ${prompt.description}`);\nlogger.info(items.map((token) => token.id));",
      },
    },
    {
      name: "a word cut from a text is not a credential, whatever it is called",
      files: {
        "app/log.py": "import logging\nlogging.basicConfig(level=logging.INFO)\nlogging.getLogger().addFilter(RedactFilter())\n",
        "app/phrases.py":
          'import os\ndef load():\n    raw = os.getenv("LINK_PHRASES", "")\n    for token in raw.split(","):\n        token = token.strip()\n        logger.warning("ignoring %s", token)\n' +
          'def names(text):\n    tokens = [t.strip() for t in text.split(",")]\n    tokens = [t for t in tokens if t]\n    for token in tokens:\n        logger.warning(f"unknown name {token}")\n',
        "src/parse.ts": PINO_REDACTING + 'export function parse(text: string) {\n  for (const token of text.split(/\\s+/)) logger.debug({ token });\n}\n',
      },
    },
    {
      name: "tests may log anything",
      files: { "test/a.test.ts": "console.log(req.headers.authorization);", "tests/test_x.py": "print(request.headers)" },
    },
  ],
  invalid: [
    {
      name: "a low-level dispatcher logging one validated argument (the tool's name is not user data)",
      files: { "src/server.ts": LOW_LEVEL },
      expected: [{ ruleId: "logging/user-data", line: 9, severity: "low", message: "(the tool argument `caption`)" }],
    },
    {
      name: "the demo route logging the body and the authorization header",
      files: {
        "src/http.ts": 'app.post("/mcp", async (req, res) => {\n  console.log("mcp request", req.body, req.headers.authorization);\n});',
      },
      expected: [{ ruleId: "logging/credential", line: 2, severity: "high", message: "the authorization header" }],
    },
    {
      name: "tokens, whole headers, env secrets, and a header read with get()",
      files: {
        "src/a.ts":
          PINO_REDACTING +
          'logger.info({ token });\nlogger.debug(`Bearer ${extra.authInfo.token}`);\nconsole.log(req.headers);\nconsole.log("key", process.env.OPENAI_API_KEY);\nlog.info(request.headers.get("authorization"));\n',
      },
      expected: [
        { ruleId: "logging/credential", line: 3, message: "`token`" },
        { ruleId: "logging/credential", line: 4, message: "extra.authInfo.token" },
        { ruleId: "logging/credential", line: 5, message: "request headers" },
        { ruleId: "logging/credential", line: 6, message: "OPENAI_API_KEY" },
        { ruleId: "logging/credential", line: 7, message: "authorization header" },
      ],
    },
    {
      name: "raw bodies, tool arguments and prompts",
      files: {
        "src/b.ts":
          PINO_REDACTING +
          "logger.info({ body: req.body });\nconsole.log(JSON.stringify(await request.json()));\n" +
          "server.setRequestHandler(CallToolRequestSchema, async (request) => { logger.info(request.params.arguments); });\n" +
          "server.registerTool('x', cfg, async (args) => {\n  console.log('args', args);\n});\nlogger.debug({ userPrompt });\n",
      },
      expected: [
        { ruleId: "logging/request-content", line: 3, severity: "moderate", message: "raw request body" },
        { ruleId: "logging/request-content", line: 4 },
        { ruleId: "logging/request-content", line: 5, message: "tool arguments" },
        { ruleId: "logging/request-content", line: 7, message: "tool arguments" },
        { ruleId: "logging/request-content", line: 9, message: "prompt" },
      ],
    },
    {
      name: "Python: tokens, headers, bodies, call_tool arguments, f-strings and structlog keywords",
      files: {
        "app/server.py":
          'logger.info(f"auth={request.headers.get(\'Authorization\')}")\nprint(request.headers)\nlogging.debug("body %s", await request.body())\n' +
          '@server.call_tool()\nasync def call_tool(name: str, arguments: dict):\n    logger.info("args %s", arguments)\n' +
          'log.info("login", access_token=creds.access_token)\nlogger.warning("key %s", os.environ["OPENAI_API_KEY"])\n',
      },
      expected: [
        { ruleId: "logging/credential", line: 1 },
        { ruleId: "logging/credential", line: 2 },
        { ruleId: "logging/request-content", line: 3 },
        { ruleId: "logging/request-content", line: 6, message: "tool arguments" },
        { ruleId: "logging/credential", line: 7 },
        { ruleId: "logging/credential", line: 8 },
      ],
    },
    {
      name: "one finding per function and rule, however many lines log the token",
      files: {
        "src/auth.ts":
          PINO_REDACTING +
          "export async function exchange(req: any) {\n  const token = req.headers.authorization;\n  logger.info({ token });\n  logger.debug(`got ${token}`);\n  console.log('again', token);\n}\n",
      },
      expected: [{ ruleId: "logging/credential", line: 5, message: "and 2 more log calls in the same function" }],
    },
    {
      name: "a script run by hand printing a secret is low",
      files: { "scripts/make-key.ts": 'const key = process.env.SIGNING_PRIVATE_KEY;\nconsole.log("key:", process.env.SIGNING_PRIVATE_KEY);\n' },
      expected: [{ ruleId: "logging/credential", line: 2, severity: "low", message: "script run by hand" }],
    },
    {
      name: "tool argument fields and personal data are low, one finding for the whole server",
      files: {
        "src/server.ts":
          PINO_REDACTING +
          "server.registerTool('search', cfg, async ({ query, limit }) => {\n  logger.info(`searching ${query}`);\n  return run(query, limit);\n});\n" +
          "export function welcome(user: { email: string }) {\n  console.error('new user', user.email);\n}\n",
        "src/users.ts": "export function invite(email: string) {\n  console.log('inviting', email);\n}\n",
      },
      expected: [
        { ruleId: "logging/user-data", line: 4, severity: "low", message: "(the tool argument `query`); and 2 more log calls like it" },
      ],
    },
    {
      name: "a pino logger and a Python basicConfig without redaction",
      files: {
        "src/logger.ts": 'import pino from "pino";\nexport const logger = pino({ level: process.env.LOG_LEVEL ?? "info" });',
        "app/main.py": "import logging\nlogging.basicConfig(level=logging.INFO)\n",
      },
      expected: [
        { ruleId: "logging/no-redaction", path: "src/logger.ts", line: 2, severity: "low", message: "as are 1 other logger setup" },
      ],
    },
  ],
});

describe("logging on hostile input", () => {
  it("bounds its work on an enormous log argument", async () => {
    const arg = "console.log(" + "a + ".repeat(20_000) + "token);";
    const { ms } = await timed(loggingCheck, { "src/huge.ts": arg });
    expect(ms).toBeLessThan(10_000);
  });
});
