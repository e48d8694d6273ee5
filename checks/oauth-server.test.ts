import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { oauthServerCheck } from "./oauth-server";

ruleTable(oauthServerCheck, {
  valid: [
    {
      name: "authorize checks redirect_uri against the registered client; registration checks nothing but authorize holds",
      files: {
        "src/oauth.ts":
          "app.get('/oauth/authorize', async (req, res) => {\n  const { client_id, redirect_uri, state } = req.query;\n  const client = await clients.get(client_id);\n" +
          "  if (!client || !client.redirectUris.includes(redirect_uri)) return res.status(400).send('unknown client');\n  res.render('consent', { client, state });\n});\n" +
          "app.post('/oauth/register', (req, res) => {\n  const { redirect_uris } = req.body;\n  res.json(saveClient({ redirect_uris }));\n});",
      },
    },
    {
      name: "an allow-list helper at the authorization endpoint (Next.js route file)",
      files: {
        "app/api/authorize/route.ts":
          "const ALLOWED = ['https://chatgpt.com/connector_platform_oauth_redirect'];\nfunction isAllowedRedirect(uri: string) {\n  return ALLOWED.some((p) => uri === p);\n}\n" +
          "export async function GET(req: Request) {\n  const redirectUri = new URL(req.url).searchParams.get('redirect_uri') ?? '';\n  if (!isAllowedRedirect(redirectUri)) return new Response('bad', { status: 400 });\n  return consent(redirectUri);\n}",
      },
    },
    {
      name: "an OAuth client's own /authorize that starts the upstream flow with a fixed callback, and Python checking membership",
      files: {
        "src/upstream.ts":
          "app.get('/authorize', (req, res) => {\n  const url = new URL(UPSTREAM_AUTHORIZE);\n  url.searchParams.set('redirect_uri', CALLBACK_URL);\n  res.redirect(url.toString());\n});",
        "app/oauth.py":
          "@app.get('/authorize')\ndef authorize(client_id: str, redirect_uri: str, state: str):\n    client = CLIENTS[client_id]\n    if redirect_uri not in client.redirect_uris:\n        raise HTTPException(400)\n    return consent(client, redirect_uri, state)\n",
      },
    },
    {
      name: "callbacks that bind state to the session: compared with a cookie, or a pending record looked up by it",
      files: {
        "src/callback.ts":
          "app.get('/oauth/callback', async (req, res) => {\n  const { code, state } = req.query;\n  if (state !== req.cookies.oauth_state) return res.status(400).end();\n  const userId = req.session.userId;\n  await saveTokens(userId, await exchange(code));\n  res.redirect('/done');\n});",
        "app/cb.py":
          "@app.get('/callback')\ndef callback(code: str, state: str):\n    pending = PENDING.pop(state)\n    user_id = pending.user_id\n    save_tokens(user_id, exchange(code))\n    return RedirectResponse('/done')\n",
      },
    },
  ],
  invalid: [
    {
      name: "authorize checks only the scheme; registration accepts any redirect_uris",
      files: {
        "src/oauth.ts":
          "app.post('/oauth/register', express.json(), (req, res) => {\n  const { redirect_uris } = req.body;\n  for (const uri of redirect_uris) if (new URL(uri).protocol !== 'https:') return res.status(400).end();\n  res.json({ client_id: 'public', redirect_uris });\n});\n" +
          "app.get('/oauth/authorize', (req, res) => {\n  const { client_id, redirect_uri, state } = req.query;\n  const url = new URL(redirect_uri as string);\n  if (url.protocol !== 'https:' && url.hostname !== 'localhost') return res.status(400).end();\n" +
          "  pending.set(key, { client_id, redirect_uri, state });\n  res.redirect(UPSTREAM);\n});",
      },
      expected: [
        { ruleId: "oauth/registration-accepts-any-redirect-uri", line: 1, severity: "moderate" },
        { ruleId: "oauth/redirect-uri-not-validated", line: 8, severity: "high", message: "parses it to look at its scheme" },
      ],
    },
    {
      name: "callbacks that take the user from state or a query parameter (Express, Hono helper, FastAPI)",
      files: {
        "src/callback.ts":
          "app.get('/oauth/callback', async (req, res) => {\n  const userId = req.query.state as string;\n  await saveTokens(userId, await exchange(req.query.code));\n  res.redirect('/done');\n});",
        "src/direct.ts":
          "async function linkDirect(c: any) {\n  const ownerEmail = c.req.query('user');\n  const props = await accounts.find(ownerEmail);\n  return c.redirect(upstreamUrl(props));\n}\napp.get('/authorize', async (c) => linkDirect(c));",
        "app/cb.py":
          "@app.get('/callback')\ndef callback(code: str, state: str):\n    user_id = state\n    save_tokens(user_id, exchange(code))\n    return RedirectResponse('/done')\n",
      },
      expected: [
        { ruleId: "oauth/identity-from-request", path: "app/cb.py", line: 1, severity: "high", message: "`state`" },
        { ruleId: "oauth/identity-from-request", path: "src/callback.ts", line: 1, message: "`userId`" },
        { ruleId: "oauth/identity-from-request", path: "src/direct.ts", line: 1, message: "the `user` query parameter" },
      ],
    },
    {
      name: "Python: FastAPI authorize redirects to whatever redirect_uri it is given",
      files: {
        "app/oauth.py":
          "@app.get('/authorize')\ndef authorize(client_id: str, redirect_uri: str, state: str):\n    code = issue_code(client_id)\n    return RedirectResponse(f'{redirect_uri}?code={code}&state={state}')\n",
      },
      expected: [{ ruleId: "oauth/redirect-uri-not-validated", line: 1 }],
    },
  ],
});

describe("oauth-server on hostile input", () => {
  it("takes query parameter names with regular-expression characters as they are", async () => {
    const files = { "src/cb.ts": "app.get('/callback', async (c) => {\n  const ownerId = c.req.query('u(ser[');\n  return c.redirect(await link(ownerId));\n});" };
    const { findings } = await timed(oauthServerCheck, files);
    expect(findings.map((f) => f.ruleId)).toEqual(["oauth/identity-from-request"]);
  });

  it("stays fast with many authorize-like routes", async () => {
    const many = Array.from({ length: 2000 }, (_, i) => `app.get("/a${i}/authorize", (req, res) => { const { redirect_uri } = req.query; res.redirect(redirect_uri); });`).join("\n");
    const { ms } = await timed(oauthServerCheck, { "src/many.ts": many });
    expect(ms).toBeLessThan(10_000);
  });
});
