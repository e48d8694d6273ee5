import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { contextOf } from "@/test/support/rules";
import { oauthMetadataCheck } from "./oauth-metadata";

const GOOD_AUTH_TS =
  'const RESOURCE = "https://mcp.example.com/mcp";\n' +
  "app.use(mcpAuthMetadataRouter({\n  oauthMetadata: {\n    issuer: ISSUER,\n    authorization_endpoint: `${ISSUER}/authorize`,\n    token_endpoint: `${ISSUER}/token`,\n" +
  '    registration_endpoint: `${ISSUER}/register`,\n    code_challenge_methods_supported: ["S256"],\n    response_types_supported: ["code"],\n  },\n  resourceServerUrl: new URL(RESOURCE),\n}));\n' +
  "app.post('/mcp', requireBearerAuth({ verifier, requiredScopes: ['notes.read'], resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(new URL(RESOURCE)) }), handle);\n";

ruleTable(oauthMetadataCheck, {
  valid: [
    { name: "SDK metadata router with S256 and DCR, bearer auth with resourceMetadataUrl", files: { "src/http.ts": GOOD_AUTH_TS } },
    {
      name: "JSON-RPC errors about the request, not the credential, over HTTP",
      files: {
        "src/rpc.ts":
          "function rpcError(id: unknown, code: number, message: string) {\n  return { jsonrpc: '2.0', id, error: { code, message } };\n}\n" +
          "export function handle(req: any) {\n  if (!req.params?.name) return rpcError(req.id, -32602, 'Invalid params: missing tool name');\n  return rpcError(req.id, -32601, 'Method not found');\n}\napp.listen(3000);\n",
      },
    },
    {
      name: "a stdio-only server's JSON-RPC 'unauthorized' error (no HTTP client to challenge)",
      files: {
        "local/stdio.ts":
          "const transport = new StdioServerTransport();\nexport function deny(id: number) {\n  return { jsonrpc: '2.0', id, error: { code: -32001, message: 'Unauthorized path' } };\n}\n",
      },
    },
    {
      name: "hand-written metadata at both well-known paths and a 401/403 pair with challenges",
      files: {
        "src/auth.ts":
          'const PRM = { resource: RESOURCE, authorization_servers: [ISSUER], scopes_supported: ["notes.read"] };\n' +
          'router.get("/.well-known/oauth-protected-resource", (_req, res) => res.json(PRM));\nrouter.get("/.well-known/oauth-protected-resource/mcp", (_req, res) => res.json(PRM));\n' +
          'router.get("/.well-known/oauth-authorization-server", (_req, res) => res.json({ issuer: ISSUER, authorization_endpoint: A, token_endpoint: T, code_challenge_methods_supported: ["S256"], client_id_metadata_document_supported: true }));\n' +
          'function deny(res, error) {\n  res.set(\'WWW-Authenticate\', `Bearer error="${error}", resource_metadata="${PRM_URL}"`);\n  return res.status(401).json({ error });\n}\n' +
          'function forbid(res, scope) {\n  res.set(\'WWW-Authenticate\', `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${PRM_URL}"`);\n  return res.status(403).end();\n}\n' +
          "app.post('/mcp', handle);",
      },
    },
    {
      name: "mcp-handler with protectedResourceHandler and withMcpAuth",
      files: {
        "app/.well-known/oauth-protected-resource/route.ts":
          "const handler = protectedResourceHandler({ authServerUrls: [process.env.ISSUER!] });\nexport { handler as GET };",
        "app/[transport]/route.ts": "const h = withMcpAuth(mcp, verifyToken, { required: true });\nexport { h as GET, h as POST };",
      },
    },
    {
      name: "an anonymous connector with no auth at all",
      files: {
        "src/server.ts":
          "server.registerTool('time', { _meta: { securitySchemes: [{ type: 'noauth' }] } }, async () => ({ content: [] }));",
      },
    },
    {
      name: "Python FastMCP with AuthSettings and a token verifier",
      files: {
        "server.py":
          'mcp = FastMCP("notes", token_verifier=Verifier(), auth=AuthSettings(issuer_url=ISSUER, resource_server_url="https://mcp.example.com/mcp", required_scopes=["notes"]))\n' +
          "class Verifier(TokenVerifier):\n    async def verify_token(self, token):\n        return await introspect(token)\n",
      },
    },
    {
      name: "schemas of metadata, a client-credentials-only server, and a client-side error object",
      files: {
        "src/schemas.ts":
          "export const AsMetadataSchema = z.looseObject({ issuer: z.string(), authorization_endpoint: z.string().url(), token_endpoint: z.string().url() });\n" +
          "export const Prm = { resource: z.string().url(), authorization_servers: z.array(z.string()).optional(), scopes_supported: z.array(z.string()) };",
        "src/cc-server.ts":
          "const metadata = { issuer: ISS, authorization_endpoint: A, token_endpoint: T, grant_types_supported: ['client_credentials'] };",
        "src/client.ts":
          "if (res.status === 401) throw new SdkHttpError('auth failed after retry', { status: 401, statusText: res.statusText });",
      },
    },
    {
      name: "a static metadata file with everything",
      files: {
        "public/.well-known/oauth-protected-resource":
          '{"resource": "https://mcp.example.com", "authorization_servers": ["https://auth.example.com"]}',
        "public/.well-known/oauth-authorization-server":
          '{"issuer": "https://auth.example.com", "authorization_endpoint": "https://auth.example.com/a", "code_challenge_methods_supported": ["S256"], "registration_endpoint": "https://auth.example.com/r"}',
      },
    },
    {
      name: "an auth platform's MCP integration serves the metadata (Clerk's MCP tools)",
      files: {
        "app/mcp/route.ts":
          "import { verifyClerkToken } from '@clerk/mcp-tools/next';\nconst handler = withMcpAuth(mcp, async (req, token) => verifyClerkToken(await auth({ acceptsToken: 'oauth_token' }), token), { required: true });\nexport { handler as GET, handler as POST };",
      },
    },
    {
      name: "bearer checks only in middleware nothing uses (dead code)",
      files: {
        "src/auth.ts":
          "export function requireAuth() {\n  return async (req, res, next) => {\n    const header = req.headers.authorization;\n    const claims = jwt.verify(header.slice(7), KEY, { audience: A });\n    next();\n  };\n}",
        "src/server.ts": "app.post('/mcp', handle);",
      },
    },
    {
      name: "the Authorization header holds the user's own API key for the upstream service (no OAuth of its own)",
      files: {
        "src/http.ts":
          "app.post('/mcp', async (req, res) => {\n  const apiKey = req.headers.authorization?.replace('Bearer ', '');\n  if (!apiKey) return res.status(401).set('WWW-Authenticate', 'Bearer').end();\n  await handle(req, res, new Client(apiKey));\n});",
        "app/main.py":
          "@app.post('/mcp')\nasync def mcp(request: Request):\n    key = request.headers.get('authorization')\n    return await run(Client(key))\n",
      },
    },
    {
      name: "a local stdio server with no auth and no user data",
      files: { "server.py": "server = Server('time')\n\nasync def main():\n    async with stdio_server() as (r, w):\n        await server.run(r, w, server.create_initialization_options())\n" },
    },
    {
      name: "optional bearer auth with tools that return the sign-in challenge themselves",
      files: {
        "app/[transport]/route.ts": "const h = withMcpAuth(mcp, verifyToken, { required: false, resourceMetadataPath: '/.well-known/oauth-protected-resource' });\nexport { h as GET, h as POST };",
        "src/tools.ts": "return { isError: true, content: [], _meta: { 'mcp/www_authenticate': [`Bearer resource_metadata=\"${PRM}\"`] } };",
      },
    },
    {
      name: "metadata from the request's own URL or a configured URL (a Host fallback only when unset)",
      files: {
        "app/.well-known/oauth-protected-resource/route.ts":
          "export async function GET(request: Request) {\n  return Response.json({ resource: new URL(request.url).origin, authorization_servers: [ISSUER] });\n}",
        "src/prm.ts":
          "app.get('/.well-known/oauth-protected-resource/mcp', (req, res) => {\n  const base = process.env.PUBLIC_URL ?? `https://${req.headers.host}`;\n  res.json({ resource: `${base}/mcp`, authorization_servers: [ISSUER] });\n});",
      },
    },
    {
      name: "discovery URLs from configuration (a localhost default only when unset) and https constants",
      files: {
        "src/auth.ts":
          "app.use(mcpAuthMetadataRouter({ oauthMetadata: AS, resourceServerUrl: new URL(process.env.PUBLIC_URL ?? 'http://localhost:3000') }));\n" +
          "app.post('/mcp', requireBearerAuth({ verifier, resourceMetadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp' }), handle);",
      },
    },
  ],
  invalid: [
    {
      name: "the demo's metadata: no authorization_servers, PKCE plain, no DCR, bare 401",
      files: {
        "src/auth.ts":
          'router.get("/.well-known/oauth-protected-resource", (_req, res) => {\n  res.json({ resource: RESOURCE, scopes_supported: ["notes.read", "notes.write"] });\n});\n' +
          'router.get("/.well-known/oauth-authorization-server", (_req, res) => {\n  res.json({\n    issuer: "https://auth.acme.example",\n    authorization_endpoint: "https://auth.acme.example/authorize",\n' +
          '    token_endpoint: "https://auth.acme.example/token",\n    code_challenge_methods_supported: ["plain"],\n  });\n});\n' +
          "export function requireBearer(req, res, next) {\n  const token = req.headers.authorization;\n  if (!token) {\n    // a comment about WWW-Authenticate is not a header\n    res.status(401).json({ error: 'unauthorized' });\n    return;\n  }\n  next();\n}",
      },
      expected: [
        { ruleId: "oauth/prm-missing-authorization-servers", line: 2, severity: "high" },
        { ruleId: "oauth/pkce-s256-missing", line: 5, severity: "high", message: 'without "S256"' },
        { ruleId: "oauth/no-client-registration", line: 5, severity: "moderate" },
        { ruleId: "oauth/401-without-challenge", line: 16, severity: "moderate" },
      ],
    },
    {
      name: "bearer tokens checked with no metadata served anywhere",
      files: {
        "src/http.ts":
          "app.post('/mcp', async (req, res) => {\n  const claims = jwt.verify(req.headers.authorization.slice(7), KEY, { audience: A });\n});",
      },
      expected: [{ ruleId: "oauth/no-protected-resource-metadata", line: 2, severity: "high" }],
    },
    {
      name: "own authorization server, a 401 with a bare challenge and no protected resource metadata: one moderate finding at the 401",
      files: {
        "app/api/mcp/route.ts":
          "function isAuthorized(request: Request) {\n  const header = request.headers.get('authorization');\n  return verifySignedToken(header?.slice(7), SECRET) !== null;\n}\n" +
          "async function handle(request: Request) {\n  if (!isAuthorized(request)) {\n    return new Response('Unauthorized', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });\n  }\n  return serve(request);\n}\nexport const POST = handle;",
        "app/.well-known/oauth-authorization-server/route.ts":
          "export function GET() {\n  return Response.json({ issuer: BASE, authorization_endpoint: `${BASE}/authorize`, token_endpoint: `${BASE}/token`, registration_endpoint: `${BASE}/register`, code_challenge_methods_supported: ['S256'] });\n}",
      },
      expected: [{ ruleId: "oauth/no-protected-resource-metadata", path: "app/api/mcp/route.ts", line: 7, severity: "moderate", message: "app/api/mcp/route.ts:2" }],
    },
    {
      name: "Python: an own /authorize route and the Authorization header read, no metadata at all",
      files: {
        "app/main.py":
          "@app.get('/authorize')\ndef authorize(client_id: str, redirect_uri: str):\n    return issue_code(client_id, redirect_uri)\n\n" +
          "@app.post('/mcp')\nasync def mcp(request: Request):\n    token = request.headers.get('authorization')\n    user = lookup_token(token)\n    return await run(user)\n",
      },
      expected: [{ ruleId: "oauth/no-protected-resource-metadata", line: 7, severity: "high" }],
    },
    {
      name: "metadata built from the Host and X-Forwarded-Proto headers: one finding for both documents (TS), and Python's base_url",
      files: {
        "src/discovery.ts":
          "function baseOf(req) {\n  const proto = req.headers['x-forwarded-proto'] ?? req.protocol;\n  return `${proto}://${req.get('host')}`;\n}\n" +
          "app.get('/.well-known/oauth-authorization-server', (req, res) => {\n  const base = baseOf(req);\n  res.json({ issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, registration_endpoint: `${base}/register`, code_challenge_methods_supported: ['S256'] });\n});\n" +
          "app.get('/.well-known/oauth-protected-resource', (req, res) => {\n  const host = req.get('host');\n  res.json({ resource: `https://${host}/mcp`, authorization_servers: [ISSUER] });\n});\napp.post('/', handle);",
        "app/prm.py":
          "@app.get('/.well-known/oauth-protected-resource')\ndef prm(request: Request):\n    return {'resource': str(request.base_url), 'authorization_servers': [ISSUER]}\n",
      },
      expected: [
        { ruleId: "oauth/metadata-from-host-header", path: "src/discovery.ts", line: 11, severity: "moderate", message: "src/discovery.ts:7, app/prm.py:3" },
      ],
    },
    {
      name: "a challenge naming a localhost metadata URL and a FastMCP resource URL on plain http: one finding",
      files: {
        "src/deny.ts":
          "app.get('/.well-known/oauth-protected-resource', (_q, r) => r.json(PRM));\nfunction deny(res) {\n  res.set({ 'WWW-Authenticate': 'Bearer resource_metadata=\"http://localhost:8080/.well-known/oauth-protected-resource\"' });\n  res.status(401).end();\n}",
        "server.py": "mcp = FastMCP('notes', auth=AuthSettings(issuer_url=ISSUER, resource_server_url='http://mcp.example.com/mcp'))\n",
      },
      expected: [{ ruleId: "oauth/metadata-url-not-public", path: "src/deny.ts", line: 3, severity: "moderate", message: "and 1 more place" }],
    },
    {
      name: "Python ASGI middleware: a 401 through its own send helper, no challenge (its ASGI `scope` is not an OAuth scope)",
      files: {
        "app/middleware.py":
          "class BearerMiddleware:\n    async def __call__(self, scope, receive, send):\n        if 'state' not in scope:\n            scope['state'] = {}\n" +
          "        token = dict(scope['headers']).get(b'authorization')\n        if not token:\n            await self._send_error(send, 401, 'missing token')\n            return\n        await self.app(scope, receive, send)\n\n" +
          "    async def _send_error(self, send, status, message):\n        await send({'type': 'http.response.start', 'status': status, 'headers': [(b'content-type', b'application/json')]})\n",
      },
      expected: [{ ruleId: "oauth/401-without-challenge", line: 7 }],
    },
    {
      name: "an HTTP JSON-RPC server answering a missing token with a JSON-RPC error (through a helper, and written in place)",
      files: {
        "src/rpc.ts":
          "export function rpcError(id: unknown, code: number, message: string) {\n  return { jsonrpc: '2.0', id, error: { code, message } };\n}\n" +
          "export function handle(req: any, token: string | null) {\n  if (req.method !== 'tools/call') return rpcError(req.id, -32601, 'Method not found');\n  if (!token) return rpcError(req.id, -32001, 'Missing token: send an Authorization header');\n  return run(req);\n}\n",
        "src/other.ts": "export function check(req: any) {\n  if (!req.user) return { jsonrpc: '2.0', id: req.id, error: { code: -32001, message: 'Unauthorized' } };\n}\n",
        "src/server.ts": "app.post('/mcp', (req, res) => res.json(handle(req.body, bearerOf(req))));\napp.listen(3000);\n",
      },
      expected: [
        { ruleId: "oauth/credential-error-in-jsonrpc", path: "src/other.ts", line: 2, severity: "moderate" },
        { ruleId: "oauth/credential-error-in-jsonrpc", path: "src/rpc.ts", line: 6, severity: "moderate" },
      ],
    },
    {
      name: "withMcpAuth with required: false and no tool-level challenge",
      files: {
        "app/.well-known/oauth-protected-resource/route.ts": "const handler = protectedResourceHandler({ authServerUrls: [ISSUER] });\nexport { handler as GET };",
        "app/[transport]/route.ts": "const h = withMcpAuth(mcp, verifyToken, {\n  required: false,\n});\nexport { h as GET, h as POST };",
      },
      expected: [{ ruleId: "oauth/bearer-auth-optional", path: "app/[transport]/route.ts", line: 2, severity: "low" }],
    },
    {
      name: "metadata only at the root while the MCP endpoint is /mcp, and an empty server list",
      files: {
        "src/prm.ts":
          'app.get("/.well-known/oauth-protected-resource", (_q, r) => r.json({ resource: R, authorization_servers: [] }));\napp.post("/mcp", mcpHandler);',
      },
      expected: [
        { ruleId: "oauth/prm-missing-authorization-servers", line: 1, message: "empty" },
        { ruleId: "oauth/prm-path-variant-missing", line: 1, severity: "low" },
      ],
    },
    {
      name: "requireBearerAuth without resourceMetadataUrl, a challenge without resource_metadata, 401 for a missing scope",
      files: {
        "src/prm.ts": "app.get('/.well-known/oauth-protected-resource/mcp', (_q, r) => r.json(PRM));",
        "src/a.ts":
          "app.use(requireBearerAuth({ verifier, requiredScopes: ['x'] }));\n" +
          "function unauthorized(res) {\n  res.setHeader('WWW-Authenticate', 'Bearer realm=\"mcp\"');\n  res.status(401).end();\n}\n" +
          "function checkScopes(auth, res) {\n  if (!auth.scopes.includes('notes.write')) {\n    return res.status(401).json({ error: 'forbidden' });\n  }\n}",
      },
      expected: [
        { ruleId: "oauth/challenge-without-resource-metadata", line: 1 },
        { ruleId: "oauth/challenge-without-resource-metadata", line: 4 },
        { ruleId: "oauth/insufficient-scope-not-403", line: 8 },
      ],
    },
    {
      name: "Next.js Response.json 401 and Hono c.json(…, 401) on bearer checks (a web app's session 401 needs no challenge)",
      files: {
        "app/api/mcp/route.ts":
          "export async function POST(req: Request) {\n  if (!req.headers.get('authorization')) return Response.json({ error: 'unauthorized' }, { status: 401 });\n}",
        "src/hono.ts": "app.use(async (c, next) => {\n  if (!c.req.header('Authorization')) return c.json({ error: 'no' }, 401);\n});",
        "src/session.ts": "export async function GET() {\n  const { userId } = await auth();\n  if (!userId) return NextResponse.json({ error: 'sign in' }, { status: 401 });\n}",
      },
      expected: [
        { ruleId: "oauth/401-without-challenge", path: "app/api/mcp/route.ts", line: 2 },
        { ruleId: "oauth/401-without-challenge", path: "src/hono.ts", line: 2 },
      ],
    },
    {
      name: "Python: FastAPI metadata routes, HTTPException(401) without a challenge, 401 on a missing scope",
      files: {
        "app/main.py":
          '@app.get("/.well-known/oauth-protected-resource")\ndef prm():\n    return {"resource": RESOURCE, "scopes_supported": ["notes"]}\n\n' +
          '@app.get("/.well-known/oauth-authorization-server")\ndef asm():\n    return {"issuer": ISS, "authorization_endpoint": A, "token_endpoint": T}\n\n' +
          "def require(request):\n    if not request.headers.get('authorization'):\n        raise HTTPException(status_code=401, detail='no token')\n\n" +
          "def scopes(claims):\n    if 'notes' not in claims['scope']:\n        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)\n",
      },
      expected: [
        { ruleId: "oauth/prm-missing-authorization-servers", line: 3 },
        { ruleId: "oauth/pkce-s256-missing", line: 7 },
        { ruleId: "oauth/no-client-registration", line: 7 },
        { ruleId: "oauth/401-without-challenge", line: 11 },
        { ruleId: "oauth/insufficient-scope-not-403", line: 15 },
      ],
    },
  ],
});

describe("oauth-metadata: not applicable", () => {
  const itemsOf = async (files: Record<string, string>) => (await oauthMetadataCheck.run(await contextOf(files))).notApplicable?.map((n) => n.item) ?? [];

  it("marks the OAuth items not applicable for a local stdio server without auth (Python and TypeScript)", async () => {
    const py = "server = Server('git')\n\nasync def serve():\n    async with stdio_server() as (read, write):\n        await server.run(read, write, server.create_initialization_options())\n";
    const ts = "const server = new McpServer({ name: 'mail', version: '1' });\nawait server.connect(new StdioServerTransport());";
    expect(await itemsOf({ "src/git/server.py": py })).toEqual(["auth.oauth-pkce-dcr", "auth.token-validation"]);
    expect(await itemsOf({ "src/index.ts": ts })).toEqual(["auth.oauth-pkce-dcr", "auth.token-validation"]);
  });

  it("keeps them for HTTP servers, and for stdio servers that also serve HTTP", async () => {
    expect(await itemsOf({ "server.py": "mcp = FastMCP('x')\nmcp.run(transport='streamable-http')\n" })).toEqual([]);
    expect(await itemsOf({ "src/index.ts": "await server.connect(new StdioServerTransport());\napp.post('/mcp', handle);\napp.listen(3000);" })).toEqual([]);
  });
});

describe("oauth-metadata on hostile input", () => {
  it("stays fast with many routes and metadata-like objects, and ignores broken JSON", async () => {
    const many = Array.from(
      { length: 3000 },
      (_, i) => `app.get("/r${i}", (q, r) => r.json({ resource: "x${i}", authorization_servers: ["a"] }));`,
    ).join("\n");
    const { ms } = await timed(oauthMetadataCheck, { "src/many.ts": many, ".well-known/oauth-protected-resource": "{".repeat(50_000) });
    expect(ms).toBeLessThan(10_000);
  });
});
