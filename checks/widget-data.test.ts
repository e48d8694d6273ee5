import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { widgetDataCheck } from "./widget-data";

ruleTable(widgetDataCheck, {
  valid: [
    {
      name: "text for the model naming a token's expiry and a page token",
      files: {
        "src/t.ts":
          "return { content: [{ type: 'text', text: `Expires ${session.tokenExpiresAt}; next page ${page.nextPageToken}; ${usage.tokens} tokens used` }] };",
      },
    },
    {
      name: "a tool returning display fields, a pagination token and usage counts",
      files: {
        "src/server.ts":
          "server.registerTool('search', { _meta: { securitySchemes: [{ type: 'oauth2', scopes: ['read'] }], 'openai/outputTemplate': URI } }, async ({ q }, extra) => {\n" +
          "  const items = await search(extra.authInfo!.token, q);\n" +
          "  return { content: [], structuredContent: { items: items.map((i) => ({ id: i.id, title: i.title })), nextPageToken: page.next, tokens: usage.total, authorization: 'required' } };\n});",
      },
    },
    {
      name: "a widget rendering text, sanitized HTML and constant HTML",
      files: {
        "web/w.tsx":
          "const out = window.openai.toolOutput;\nexport const A = () => <p>{out.body}</p>;\n" +
          "export const B = () => <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(out.html) }} />;\n" +
          'const ICON = "<svg></svg>";\nel.innerHTML = ICON;\nel.innerHTML = `<b>${escapeHtml(out.title)}</b>`;\nel.innerHTML = "";',
      },
    },
    {
      name: "message listeners that check the source or origin",
      files: {
        "web/bridge.ts":
          "window.openai;\nwindow.addEventListener('message', (event) => {\n  if (event.source !== window.parent) return;\n  handle(event.data);\n});\n" +
          "function onMessage(e: MessageEvent) { if (e.origin !== HOST) return; handle(e.data); }\nwindow.addEventListener('message', onMessage);",
      },
    },
    {
      name: "server-side innerHTML-looking strings and message listeners outside widgets",
      files: { "src/worker.ts": "self.addEventListener('message', (e) => run(e.data));\nel.innerHTML = input;" },
    },
    {
      name: "Python: tools returning display fields",
      files: {
        "server.py":
          '@mcp.tool()\nasync def search(q: str) -> dict:\n    token = get_access_token().token\n    rows = await api(token, q)\n    return {"items": [{"id": r["id"], "title": r["title"]} for r in rows], "token_count": 12}\n',
      },
    },
  ],
  invalid: [
    {
      name: "a new API key and a webhook secret written into the text returned to the model",
      files: {
        "src/keys.ts":
          "server.registerTool('create_key', { description: 'Creates an API key.' }, async ({ name }) => {\n  const created = await api.keys.create({ name });\n" +
          "  return { content: [{ type: 'text', text: `Created ${name}. Token: ${created.token}` }] };\n});\n",
        "app/hooks.py":
          "@mcp.tool()\nasync def get_webhook(id: str) -> list[types.TextContent]:\n    hook = await client.webhooks.get(id)\n" +
          '    return [types.TextContent(type="text", text=f"{hook.url} signed with {hook.signing_secret}")]\n',
      },
      expected: [
        { ruleId: "widget/secret-in-tool-output", path: "app/hooks.py", line: 4, severity: "moderate", message: "carries `created.token` and `hook.signing_secret`" },
      ],
    },
    {
      name: "the caller's token and an env key in structuredContent and _meta",
      files: {
        "src/tools.ts":
          "return {\n  content: [],\n  structuredContent: { notes, accessToken: extra.authInfo.token },\n  _meta: { upstream: { key: process.env.NOTES_API_KEY } },\n};",
      },
      expected: [
        { ruleId: "widget/secret-in-tool-output", line: 3, severity: "high", message: "accessToken" },
        { ruleId: "widget/secret-in-tool-output", line: 4, message: "process.env.NOTES_API_KEY" },
      ],
    },
    {
      name: "a shorthand token and a structuredContent const",
      files: {
        "src/t.ts":
          "const out = { user, apiKey: cfg.apiKey };\nreturn { structuredContent: out };\nreturn { structuredContent: { token } };",
      },
      expected: [
        { ruleId: "widget/secret-in-tool-output", line: 2 },
        { ruleId: "widget/secret-in-tool-output", line: 3 },
      ],
    },
    {
      name: "widget state holding a token",
      files: { "web/app.tsx": "window.openai.setWidgetState({ ...state, refreshToken: session.refreshToken });" },
      expected: [{ ruleId: "widget/secret-in-tool-output", line: 1 }],
    },
    {
      name: "tool output rendered as HTML in JSX, innerHTML and insertAdjacentHTML",
      files: {
        "web/NotesWidget.tsx":
          "const notes = window.openai.toolOutput.notes;\nexport const N = () => notes.map((n) => <div dangerouslySetInnerHTML={{ __html: n.body }} />);\n" +
          "el.innerHTML = marked.parse(notes[0].body);\nlist.insertAdjacentHTML('beforeend', `<li>${notes[0].title}</li>`);",
      },
      expected: [
        { ruleId: "widget/html-from-tool-output", line: 2, severity: "high" },
        { ruleId: "widget/html-from-tool-output", line: 3 },
        { ruleId: "widget/html-from-tool-output", line: 4 },
      ],
    },
    {
      name: "message listeners that trust every sender",
      files: {
        "web/bridge.ts":
          "window.openai;\nwindow.addEventListener('message', (event) => {\n  setData(event.data.structuredContent);\n});\nfunction onMsg(e) { apply(e.data); }\naddEventListener('message', onMsg);\nwindow.onmessage = (e) => apply(e.data);",
      },
      expected: [
        { ruleId: "widget/message-without-origin-check", line: 2, severity: "moderate" },
        { ruleId: "widget/message-without-origin-check", line: 6 },
        { ruleId: "widget/message-without-origin-check", line: 7 },
      ],
    },
    {
      name: "Python: CallToolResult, an explicit structuredContent dict, and a FastMCP tool returning a token",
      files: {
        "server.py":
          'return types.CallToolResult(content=[], structuredContent={"user": u, "access_token": token})\n' +
          'def result():\n    return {"content": [], "_meta": {"key": os.environ["OPENAI_API_KEY"]}}\n' +
          '@mcp.tool()\ndef login(code: str) -> dict:\n    creds = exchange(code)\n    return {"ok": True, "session": creds.access_token}\n',
      },
      expected: [
        { ruleId: "widget/secret-in-tool-output", line: 1, message: "access_token" },
        { ruleId: "widget/secret-in-tool-output", line: 3, message: "OPENAI_API_KEY" },
        { ruleId: "widget/secret-in-tool-output", line: 7, message: "creds.access_token" },
      ],
    },
  ],
});

describe("widget-data on hostile input", () => {
  it("stays fast on deeply nested structured content and a long widget", async () => {
    const nested = "return { structuredContent: " + "{ a: ".repeat(2000) + "1" + " }".repeat(2000) + " };";
    const widget = "window.openai;\n" + "el.innerHTML = `${'x'}`;\n".repeat(10_000);
    const { findings, ms } = await timed(widgetDataCheck, { "src/deep.ts": nested, "web/w.ts": widget });
    expect(findings).toEqual([]);
    expect(ms).toBeLessThan(10_000);
  });
});
