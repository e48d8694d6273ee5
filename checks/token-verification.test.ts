import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { runCheckOn } from "@/test/support/rules";
import { secretsCheck } from "./secrets";
import { tokenVerificationCheck } from "./token-verification";

ruleTable(tokenVerificationCheck, {
  valid: [
    {
      name: "jose jwtVerify with issuer and audience, after reading the header",
      files: {
        "src/auth.ts":
          "const JWKS = createRemoteJWKSet(new URL(process.env.JWKS_URL!));\n" +
          "export async function verifyAccessToken(token: string) {\n  const header = decodeProtectedHeader(token);\n" +
          "  const { payload } = await jwtVerify(token, JWKS, { issuer: ISSUER, audience: RESOURCE, algorithms: ['RS256'] });\n  return { token, clientId: String(payload.azp), scopes: String(payload.scope).split(' ') };\n}",
      },
    },
    {
      name: "signed tokens that carry only an id, a constant token type, or an encrypted upstream token (JWE)",
      files: {
        "src/mint.ts":
          "const a = await new SignJWT({ sub: user, grant_id: grantId, token_type: 'access' }).setProtectedHeader({ alg: 'HS256' }).sign(KEY);\n" +
          "const b = await new EncryptJWT({ sub: user, refresh_token: up.refreshToken }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(KEY);\n" +
          "const c = jwt.sign({ sub: user, scope: 'read' }, SECRET, { audience: RESOURCE });\n",
      },
    },
    {
      name: "an OAuth grant issued to the user the upstream provider returned",
      files: {
        "src/oauth.ts":
          "export async function callback(c: any) {\n  const profile = await fetchProfile(c);\n  if (!profile.email) return c.text('no identity', 400);\n" +
          "  return c.env.OAUTH_PROVIDER.completeAuthorization({ request: c.req, userId: profile.email, props: {} });\n}\n",
      },
    },
    {
      name: "jsonwebtoken: decode for the kid, then verify with audience",
      files: {
        "src/jwt.ts":
          "const { header } = jwt.decode(token, { complete: true });\nconst key = await keyFor(header.kid);\nconst claims = jwt.verify(token, key, { algorithms: ['RS256'], audience: RESOURCE, issuer: ISSUER });",
      },
    },
    {
      name: "an introspecting verifier, and the Authorization header as the only source",
      files: {
        "src/verify.ts":
          "export async function verifyToken(token: string) {\n  const r = await fetch(INTROSPECT, { method: 'POST', body: new URLSearchParams({ token }), signal: AbortSignal.timeout(5000) });\n  const data = await r.json();\n  if (!data.active) throw new InvalidTokenError('inactive');\n  return { token, clientId: data.client_id, scopes: data.scope.split(' ') };\n}\n" +
          "const bearer = req.headers.authorization?.replace(/^Bearer /, '');\nconst code = url.searchParams.get('code');\nconst state = req.query.state;",
      },
    },
    {
      name: "upstream calls with the server's own upstream credential and a stored per-user grant",
      files: {
        "src/api.ts":
          "export async function listIssues(userId: string) {\n  const grant = await grants.get(userId);\n  return fetch(API, { headers: { Authorization: `Bearer ${grant.accessToken}` }, signal: AbortSignal.timeout(5000) });\n}\n" +
          "const notes = await listIssues(extra.authInfo.extra.userId);",
      },
    },
    {
      name: "comparisons that aren't a shared key: stored hashes, state, and config names",
      files: {
        "src/c.ts":
          "if (token !== 'awaiting-input-2') wait();\nif (tokenHash === row.tokenHash) ok();\nif (state !== expectedState) fail();\nif (config.apiKeyHeader === 'x-api-key') x();\nif (process.env.API_KEY === undefined) warn();",
      },
    },
    {
      name: "Python: PyJWT with audience, a verifier that checks, Authorization header only",
      files: {
        "app/auth.py":
          "class Verifier(TokenVerifier):\n    async def verify_token(self, token: str) -> AccessToken | None:\n        claims = jwt.decode(token, key, algorithms=['RS256'], audience=RESOURCE, issuer=ISSUER)\n" +
          "        if 'mcp:tools' not in claims['scope']:\n            return None\n        return AccessToken(token=token, client_id=claims['azp'], scopes=claims['scope'].split())\n" +
          "header = jwt.get_unverified_header(token)\nauth = request.headers.get('Authorization')\ncode = request.query_params.get('code')\n",
      },
    },
    {
      name: "identities without a constant fallback: a rejected missing subject, a greeting name, a tool input, a log",
      files: {
        "src/id.ts":
          "export async function whoAmI(req) {\n  const { payload } = await jwtVerify(req.headers.authorization.slice(7), JWKS, { audience: A });\n  const userId = payload.sub;\n  if (!userId) throw new Error('no subject');\n" +
          "  const hello = payload.name ?? 'there';\n  console.log('user', payload.sub || 'none');\n  return { userId, hello };\n}\n" +
          "server.registerTool('t', {}, async ({ user }) => ({ content: [{ type: 'text', text: user || 'anonymous' }] }));",
        "app/me.py": "@mcp.tool()\ndef me() -> str:\n    claims = get_access_token().claims\n    sub = claims.get('sub')\n    if not sub:\n        raise ValueError('no subject')\n    return sub\n",
      },
    },
    {
      name: "a hand decode of the payload only to word a rejection after verification failed (reads iss)",
      files: {
        "src/errors.ts":
          "function issuerOf(token: string) {\n  const parts = token.split('.');\n  const json = Buffer.from(parts[1], 'base64url').toString('utf8');\n  const { iss } = JSON.parse(json);\n  return iss;\n}\n" +
          "export function rejection(token: string) {\n  return issuerOf(token) === OTHER ? 'token for another region' : 'invalid token';\n}",
        "app/img.py": "def image(data: str) -> bytes:\n    return base64.b64decode(data.split(',')[1])\n",
      },
    },
    {
      name: "a module-level cache of the server's own upstream token, and a per-session map",
      files: {
        "src/upstream.ts":
          "let serviceToken: string | null = null;\nasync function refreshServiceToken() {\n  serviceToken = await fetchClientCredentialsToken(CLIENT_ID, CLIENT_SECRET);\n}\nexport async function headers() {\n  if (!serviceToken) await refreshServiceToken();\n  return { Authorization: `Bearer ${serviceToken}` };\n}\n" +
          "const sessions = new Map();\nexport function remember(sessionId: string, auth: Auth) {\n  sessions.set(sessionId, auth);\n}",
      },
    },
    {
      name: "the caller's token or a 401, the server's own token for its own calls, and a fallback only tests use",
      files: {
        "src/http.ts":
          "app.post('/mcp', async (req, res) => {\n  const token = req.headers.authorization?.slice(7);\n  if (!token) return res.status(401).set('WWW-Authenticate', 'Bearer').end();\n  await handle(req, res, token);\n});\n" +
          "export const serviceClient = new Client(process.env.SERVICE_API_TOKEN);",
        "src/legacy.ts": "export function tokenOf(req) {\n  return req.headers.authorization?.slice(7) ?? process.env.SERVICE_API_TOKEN;\n}",
        "test/legacy.test.ts": "import { tokenOf } from '../src/legacy';\nexpect(tokenOf({ headers: {} })).toBe('x');",
      },
    },
    {
      name: "widget and test code",
      files: { "web/app.tsx": "window.openai; const c = jwtDecode(idToken);", "src/auth.test.ts": "jwt.decode(t); req.query.token;" },
    },
  ],
  invalid: [
    {
      name: "the demo: jwt.decode as verification and a token from the query string",
      files: {
        "src/auth.ts":
          "export function requireBearer(req: Request, res: Response, next: NextFunction) {\n" +
          '  const token = req.headers.authorization?.replace(/^Bearer /, "") ?? String(req.query.access_token ?? "");\n' +
          "  const claims = jwt.decode(token);\n  if (!claims) return res.status(401).end();\n  next();\n}",
      },
      expected: [
        { ruleId: "token/query-string", line: 2, severity: "high" },
        { ruleId: "token/decode-without-verify", line: 3, severity: "high" },
      ],
    },
    {
      name: "the payload base64-decoded by hand and its exp and sub trusted (TS, through a helper; Python)",
      files: {
        "src/session.ts":
          "function payloadOf(token: string) {\n  const [, body] = token.split('.');\n  return JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')));\n}\n" +
          "export function requireUser(req, res, next) {\n  const claims = payloadOf(req.headers.authorization.slice(7));\n  if (claims.exp * 1000 < Date.now()) return res.status(401).end();\n  req.userId = claims.sub;\n  next();\n}",
        "app/auth.py":
          "def current_user(token: str) -> str:\n    payload = token.split('.')[1]\n    claims = json.loads(base64.urlsafe_b64decode(payload + '=='))\n    if claims['exp'] < time.time():\n        raise PermissionError('expired')\n    return claims['sub']\n",
      },
      expected: [
        { ruleId: "token/decode-without-verify", path: "app/auth.py", line: 3, severity: "high" },
        { ruleId: "token/decode-without-verify", path: "src/session.ts", line: 3, severity: "high", message: "atob" },
      ],
    },
    {
      name: "a decode only to show the account's display name is moderate",
      files: {
        "src/greeting.ts": "export function greeting(idToken: string) {\n  const claims = jwtDecode(idToken);\n  return `Hello ${claims.name}`;\n}",
      },
      expected: [{ ruleId: "token/decode-without-verify", line: 2, severity: "moderate" }],
    },
    {
      name: "alg none, ignoreExpiration, verify without audience (jsonwebtoken and jose)",
      files: {
        "src/jwt.ts":
          "jwt.verify(token, key, { algorithms: ['HS256', 'none'], audience: AUD });\njwt.verify(token, key, { ignoreExpiration: true, audience: AUD });\n" +
          "jwt.verify(token, key);\nawait jwtVerify(token, JWKS, { issuer: ISSUER });",
      },
      expected: [
        { ruleId: "token/alg-none", line: 1, severity: "critical" },
        { ruleId: "token/ignore-expiration", line: 2 },
        { ruleId: "token/no-audience-check", line: 3, severity: "moderate" },
        { ruleId: "token/no-audience-check", line: 4 },
      ],
    },
    {
      name: "verifiers that accept any token",
      files: {
        "src/auth.ts":
          "const verifier = {\n  async verifyAccessToken(token: string) {\n    return { token, clientId: 'chatgpt', scopes: ['notes.read', 'notes.write'], expiresAt: Math.floor(Date.now() / 1000) + 3600 };\n  },\n};\n" +
          "const handler = withMcpAuth(mcp, (req, bearer) => ({ token: bearer, clientId: 'x', scopes: [] }));",
      },
      expected: [
        { ruleId: "token/accepts-any-token", line: 2, severity: "critical" },
        { ruleId: "token/accepts-any-token", line: 6 },
      ],
    },
    {
      name: "query-string tokens through searchParams, Hono and element access",
      files: {
        "src/q.ts": "const t = url.searchParams.get('access_token');\nconst k = c.req.query('api_key');\nconst x = req.query['token'];",
      },
      expected: [
        { ruleId: "token/query-string", line: 1, severity: "high" },
        { ruleId: "token/query-string", line: 2, severity: "high" },
        { ruleId: "token/query-string", line: 3, severity: "moderate" },
      ],
    },
    {
      name: "passthrough: directly, by forwarding headers, and through a helper (the demo's pattern)",
      files: {
        "src/store.ts":
          "export async function listNotes(token: string, query: string) {\n  const res = await fetch(`${API}/notes?q=${query}`, {\n    headers: { authorization: `Bearer ${token}` },\n    signal: AbortSignal.timeout(5000),\n  });\n  return res.json();\n}",
        "src/server.ts":
          "const notes = await listNotes(extra.authInfo?.token ?? '', query);\n" +
          "await fetch(UPSTREAM, { headers: { Authorization: req.headers.authorization }, signal });\nawait axios.get(UPSTREAM, { headers: req.headers, timeout: 5000 });",
      },
      expected: [
        { ruleId: "token/passthrough", path: "src/server.ts", line: 1, message: "listNotes" },
        { ruleId: "token/passthrough", path: "src/server.ts", line: 2 },
        { ruleId: "token/passthrough", path: "src/server.ts", line: 3, message: "forwards the incoming request's headers" },
      ],
    },
    {
      name: "fallback identities when the token has no subject (TS and Python)",
      files: {
        "src/user.ts":
          "export async function currentUser(req) {\n  const { payload } = await jwtVerify(req.headers.authorization.slice(7), JWKS, { audience: A });\n  const userId = payload.sub ?? 'default-user';\n  return db.notes.find({ owner: userId });\n}\n" +
          "server.registerTool('notes', {}, async (_args, extra) => {\n  const owner = extra.authInfo?.extra?.userId || 'anonymous';\n  return list(owner);\n});",
        "app/tools.py":
          "@mcp.tool()\ndef notes() -> list:\n    claims = get_access_token().claims\n    user_id = claims.get('sub', 'anonymous')\n    return db.notes(user_id)\n\n" +
          "@mcp.tool()\ndef profile() -> dict:\n    token = get_access_token()\n    email = token.claims.get('email') or 'shared@example.com'\n    return db.profile(email)\n",
      },
      expected: [
        { ruleId: "token/shared-identity", path: "app/tools.py", line: 4, severity: "moderate" },
        { ruleId: "token/shared-identity", path: "app/tools.py", line: 10, message: "shared@example.com" },
        { ruleId: "token/shared-identity", path: "src/user.ts", line: 3, message: "default-user" },
        { ruleId: "token/shared-identity", path: "src/user.ts", line: 7, message: "anonymous" },
      ],
    },
    {
      name: "passthrough to a client library, through a destructured helper parameter, after verifying the token as this server's (high)",
      files: {
        "src/client.ts": "import Cloud from '@acme/cloud';\nexport function cloudClient(authToken: string) {\n  return new Cloud({ apiKey: authToken, baseURL: BASE });\n}",
        "src/parse.ts": "import { cloudClient } from './client';\nexport async function parse({ authToken, fileId }: { authToken: string; fileId: string }) {\n  return cloudClient(authToken).files.parse(fileId);\n}",
        "src/tools.ts":
          "import { parse } from './parse';\nconst verified = await jwtVerify(bearer, JWKS, { audience: RESOURCE });\n" +
          "server.registerTool('parse', {}, async ({ fileId }, extra) => parse({ authToken: extra.authInfo!.token, fileId }));",
      },
      expected: [{ ruleId: "token/passthrough", path: "src/client.ts", line: 3, severity: "high", message: "`Cloud` as its `apiKey`" }],
    },
    {
      name: "Python: the caller's bearer relayed to the upstream client as its token, with no token of the server's own (moderate)",
      files: {
        "app/deps.py":
          "from atlas import Jira\n\ndef jira_for(request):\n    bearer = request.headers.get('authorization').removeprefix('Bearer ')\n    return Jira(url=SITE, token=bearer)\n",
        "app/safe.py": "from atlas import Jira\n\ndef jira_service():\n    return Jira(url=SITE, token=os.environ['JIRA_TOKEN'])\n",
      },
      expected: [{ ruleId: "token/passthrough", path: "app/deps.py", line: 5, severity: "moderate" }],
    },
    {
      name: "passthrough through a client class's field and an axios config object built beforehand",
      files: {
        "src/upstream.ts":
          "export class Upstream {\n  constructor(private accessToken: string) {\n    this.accessToken = accessToken;\n  }\n" +
          "  async get(path: string) {\n    const config = { method: 'GET', url: `${BASE}/${path}`, headers: { Authorization: `Bearer ${this.accessToken}` }, timeout: 5000 };\n    return (await axios(config)).data;\n  }\n}",
        "src/http.ts":
          "import { Upstream } from './upstream';\napp.post('/mcp', async (req, res) => {\n  const bearer = req.header('authorization')?.slice(7);\n  await handle(req, res, new Upstream(bearer));\n});",
      },
      expected: [{ ruleId: "token/passthrough", path: "src/upstream.ts", line: 7, severity: "moderate" }],
    },
    {
      name: "one process-wide current credential, overwritten per session (TS) and from the caller's token (Python)",
      files: {
        "src/auth-store.ts":
          "const bySession = new Map<string, Grant>();\nlet currentGrant: Grant | null = null;\n\nexport function rememberGrant(sessionId: string, grant: Grant) {\n  bySession.set(sessionId, grant);\n  currentGrant = grant;\n}\n\nexport function grantForTools() {\n  return currentGrant;\n}",
        "app/state.py":
          "current_token = None\n\ndef on_request():\n    global current_token\n    current_token = get_access_token()\n\ndef upstream_headers():\n    return {'Authorization': f'Bearer {current_token.token}'}\n",
      },
      expected: [
        { ruleId: "token/shared-identity", path: "app/state.py", line: 5, severity: "high", message: "current_token" },
        { ruleId: "token/shared-identity", path: "src/auth-store.ts", line: 6, severity: "high", message: "`rememberGrant` stores one caller's credentials in the module-level `currentGrant`" },
      ],
    },
    {
      name: "the operator's token for callers without one: a default (TS) and a resolver's branches (Python), one finding per secret",
      files: {
        "src/token.ts":
          "app.post('/mcp', async (req, res) => {\n  const token = req.headers.authorization?.slice(7) ?? process.env.UPSTREAM_API_TOKEN;\n  await handle(req, res, new Client(token));\n});\n" +
          "app.post('/rest', async (req, res) => {\n  const token = req.headers.authorization?.slice(7) || process.env.UPSTREAM_API_TOKEN;\n  await rest(req, res, token);\n});",
        "app/tokens.py":
          "def resolve_token(request):\n    auth = request.headers.get('authorization')\n    if auth:\n        return {'token': auth.removeprefix('Bearer '), 'source': 'header'}\n    return {'token': os.environ['SERVICE_ACCESS_TOKEN'], 'source': 'env'}\n\n" +
          "@app.post('/mcp')\nasync def mcp(request: Request):\n    return await run(resolve_token(request)['token'])\n",
      },
      expected: [
        { ruleId: "auth/operator-credential-fallback", path: "app/tokens.py", line: 5, severity: "high", message: "SERVICE_ACCESS_TOKEN" },
        { ruleId: "auth/operator-credential-fallback", path: "src/token.ts", line: 2, message: "UPSTREAM_API_TOKEN" },
      ],
    },
    {
      name: "upstream tokens signed into the server's own JWT (jose, a payload variable with jsonwebtoken, PyJWT)",
      files: {
        "src/issue.ts":
          "export async function mint(user: string, up: { accessToken: string; refreshToken: string }) {\n  return new SignJWT({\n    sub: user,\n    upstream_refresh_token: up.refreshToken,\n  }).setProtectedHeader({ alg: 'HS256' }).sign(KEY);\n}\n" +
          "export function legacy(user: string, githubAccessToken: string) {\n  const claims = { sub: user, githubAccessToken };\n  return jwt.sign(claims, SECRET, { expiresIn: '1h' });\n}\n",
        "app/tokens.py": "def mint(user, upstream):\n    return jwt.encode({'sub': user, 'refresh_token': upstream.refresh_token}, KEY, algorithm='HS256')\n",
      },
      expected: [
        { ruleId: "token/credentials-in-token", path: "app/tokens.py", line: 2, severity: "moderate" },
        { ruleId: "token/credentials-in-token", path: "src/issue.ts", line: 4, severity: "moderate" },
        { ruleId: "token/credentials-in-token", path: "src/issue.ts", line: 8, severity: "moderate" },
      ],
    },
    {
      name: "an OAuth grant issued to a user that falls back to a constant (a conditional, a destructuring default)",
      files: {
        "src/oauth.ts":
          "export async function callback(c: any, props: any) {\n  const user = props ? { email: props.email } : { email: 'unknown@example.com' };\n" +
          "  return c.env.OAUTH_PROVIDER.completeAuthorization({\n    request: c.req,\n    userId: user.email,\n  });\n}\n" +
          "export async function finish(c: any, params: any) {\n  const { userData = { email: 'user@example.com' } } = params;\n  return c.env.OAUTH_PROVIDER.completeAuthorization({ request: c.req, userId: userData.email, props: {} });\n}\n",
      },
      expected: [
        { ruleId: "token/shared-identity", path: "src/oauth.ts", line: 5, severity: "moderate" },
        { ruleId: "token/shared-identity", path: "src/oauth.ts", line: 10, severity: "moderate" },
      ],
    },
    {
      name: "a static shared key compared with the caller's credential",
      files: {
        "src/auth.ts":
          "if (token !== process.env.MCP_API_KEY) return res.status(401).end();\nconst ok = crypto.timingSafeEqual(Buffer.from(apiKey), Buffer.from(API_KEY));\nif (req.headers['x-api-key'] === config.apiKey) next();\n" +
          "export async function POST(request: Request) {\n  const form = await request.formData();\n  const serverToken = (form.get('server_token') as string) ?? '';\n  if (serverToken !== MCP_AUTH_TOKEN) return loginPage();\n}",
        "app/auth.py": "verifier = StaticTokenVerifier(tokens={settings.auth_token: {'client_id': 'mcp-client', 'scopes': []}})\n",
      },
      expected: [
        { ruleId: "token/static-shared-secret", path: "app/auth.py", line: 1, message: "StaticTokenVerifier" },
        { ruleId: "token/static-shared-secret", path: "src/auth.ts", line: 1, severity: "moderate" },
        { ruleId: "token/static-shared-secret", path: "src/auth.ts", line: 2 },
        { ruleId: "token/static-shared-secret", path: "src/auth.ts", line: 3 },
        { ruleId: "token/static-shared-secret", path: "src/auth.ts", line: 7 },
      ],
    },
    {
      name: "Python: unverified decode, verify_exp off, no audience, alg none, accept-all verifier, query tokens, shared key, passthrough",
      files: {
        "app/auth.py":
          "claims = jwt.decode(token, options={'verify_signature': False})\n" +
          "class AnyVerifier(TokenVerifier):\n    async def verify_token(self, token: str) -> AccessToken | None:\n        return AccessToken(token=token, client_id='any', scopes=['all'])\n",
        "app/jwt_checks.py":
          "a = jwt.decode(t, key, algorithms=['RS256'], audience=AUD, options={'verify_exp': False})\nb = jwt.decode(t, key, algorithms=['RS256'])\nc = jwt.decode(t, key, algorithms=['none'], audience=AUD)\n",
        "app/routes.py":
          "tok = request.query_params.get('access_token')\nkey = request.args['api_key']\n@app.get('/x')\ndef x(token: str = Query(...)):\n    if token != os.environ['MCP_TOKEN']:\n        raise HTTPException(401)\n",
        "app/upstream.py":
          "def list_issues(token, q):\n    return requests.get(API, headers={'Authorization': f'Bearer {token}'}, timeout=5)\n\n" +
          "@mcp.tool()\ndef issues(q: str):\n    return list_issues(get_access_token().token, q)\n\n" +
          "def direct():\n    httpx.get(API, headers={'Authorization': request.headers['authorization']})\n",
      },
      expected: [
        { ruleId: "token/decode-without-verify", path: "app/auth.py", line: 1 },
        { ruleId: "token/accepts-any-token", path: "app/auth.py", line: 3 },
        { ruleId: "token/ignore-expiration", path: "app/jwt_checks.py", line: 1 },
        { ruleId: "token/no-audience-check", path: "app/jwt_checks.py", line: 2 },
        { ruleId: "token/alg-none", path: "app/jwt_checks.py", line: 3 },
        { ruleId: "token/query-string", path: "app/routes.py", line: 1, severity: "high" },
        { ruleId: "token/query-string", path: "app/routes.py", line: 2 },
        { ruleId: "token/query-string", path: "app/routes.py", line: 4, severity: "moderate" },
        { ruleId: "token/static-shared-secret", path: "app/routes.py", line: 5 },
        { ruleId: "token/passthrough", path: "app/upstream.py", line: 6, message: "list_issues" },
        { ruleId: "token/passthrough", path: "app/upstream.py", line: 9 },
      ],
    },
  ],
});

describe("token-verification", () => {
  it("reports a hard-coded shared key once (not again through the secrets check), redacted in evidence", async () => {
    const key = "k9Q2xV7pL4mR8wT1zN6b";
    const files = { "src/auth.ts": `if (token !== process.env.API_KEY) deny();\nif (apiKey === "${key}") allow();` };
    const mine = await runCheckOn(tokenVerificationCheck, files);
    const secrets = await runCheckOn(secretsCheck, files);
    expect(mine.map((f) => f.location?.line)).toEqual([1, 2]);
    const lines = new Set(mine.map((f) => f.location?.line));
    for (const s of secrets) expect(lines.has(s.location?.line)).toBe(false);
    for (const f of mine) expect(f.evidence).not.toContain(key.slice(4));
  });

  it("stays fast with thousands of functions writing and reading one module-level token, and many fallbacks", async () => {
    const writers = Array.from({ length: 1500 }, (_, i) => `function set${i}(sessionId: string, t: string) {\n  currentToken = t;\n}`).join("\n");
    const defaults = Array.from({ length: 1500 }, (_, i) => `app.get('/r${i}', async (req, res) => {\n  const token = req.headers.authorization ?? process.env.API_TOKEN;\n  res.json(await list(token));\n});`).join("\n");
    const reader = "export function tokenForTools() {\n  return currentToken;\n}";
    const { findings, ms } = await timed(tokenVerificationCheck, { "src/store.ts": `let currentToken = null;\n${writers}\n${reader}`, "src/defaults.ts": defaults });
    expect(ms).toBeLessThan(20_000);
    // One finding per variable and per configured secret, whatever the number of places.
    expect(findings.filter((f) => f.ruleId === "token/shared-identity")).toHaveLength(1);
    expect(findings.filter((f) => f.ruleId === "auth/operator-credential-fallback")).toHaveLength(1);
  });

  it("stays fast on a huge verifier and a long comparison chain", async () => {
    const verifier = "function verifyToken(t) {\n" + "  const x = t.split('.');\n".repeat(5000) + "  return { token: t };\n}";
    const chain = "const ok = " + "a === b && ".repeat(5000) + "true;";
    const { ms } = await timed(tokenVerificationCheck, { "src/v.ts": verifier, "src/c.ts": chain });
    expect(ms).toBeLessThan(10_000);
  });
});
