import { describe, expect, it } from "vitest";
import { fixtureFiles } from "@/test/support/connectors";
import { ruleTable, runCheckOn, tsServer, type InvalidRuleCase, type RuleCase } from "@/test/support/rules";
import { toolScopesCheck } from "./tool-scopes";

const RO = "{ readOnlyHint: true, openWorldHint: false }";
const tool = (name: string, schemes: string, annotations = RO) =>
  `server.registerTool("${name}", { description: "x", annotations: ${annotations}, _meta: { securitySchemes: ${schemes} } }, async (a, extra) => ({ content: [] }));`;
const enforce = (scope: string) =>
  `\nconst required = { write: "${scope}" }; if (!authInfo.scopes.includes(required.write)) throw new Error("insufficient_scope");`;

const valid: RuleCase[] = [
  {
    name: "a verifier that returns the token's own scopes, and one whose fixed scopes are all the server advertises",
    files: {
      ...tsServer(tool("list_notes", '[{ type: "oauth2", scopes: ["read"] }]') + enforce("read")),
      "src/auth.ts":
        "export const metadata = { issuer: ISSUER, scopes_supported: ['read', 'write'] };\n" +
        "export async function verifyAccessToken(token: string) {\n  const { payload } = await jwtVerify(token, KEY, { audience: AUD });\n  return { token, clientId: 'mcp', scopes: String(payload.scope).split(' ') };\n}\n",
      "src/api-key.ts": "export function verifyApiKey(key: string) {\n  return { token: key, clientId: 'cli', scopes: ['read', 'write'] };\n}\n",
    },
  },
  {
    name: "read tools with a read scope that the middleware checks",
    files: tsServer(tool("list_notes", '[{ type: "oauth2", scopes: ["notes.read"] }]') + enforce("notes.read")),
  },
  { name: "a public read tool with noauth", files: tsServer(tool("get_weather", '[{ type: "noauth" }]')) },
  {
    name: "a write tool requiring oauth2, scope checked via requiredScopes",
    files: tsServer(
      tool("create_note", '[{ type: "oauth2", scopes: ["notes.write"] }]', "{ readOnlyHint: false, destructiveHint: false }") +
        '\nconst verifier = requireBearerAuth({ requiredScopes: ["notes.write"] });',
    ),
  },
  {
    name: "the MCP Apps fixture checks boards.write in its handler and never declares boards.read elsewhere",
    files: { ...fixtureFiles("ts-app-tool"), "src/auth.ts": 'export const READ = "boards.read";' },
  },
];

const invalid: InvalidRuleCase[] = [
  {
    name: "a verifier that stamps the same scopes on every token while the metadata advertises more (TypeScript and Python)",
    files: {
      ...tsServer(tool("list_notes", '[{ type: "oauth2", scopes: ["read"] }]') + enforce("read")),
      "src/auth.ts":
        "export const metadata = { issuer: ISSUER, scopes_supported: ['read', 'write'] };\n" +
        "export async function verifyAccessToken(token: string) {\n  const { payload } = await jwtVerify(token, KEY, { audience: AUD });\n  return {\n    token,\n    clientId: 'mcp',\n    scopes: ['read'],\n  };\n}\n",
      "app/auth.py":
        "PRM = {'resource': URL, 'scopes_supported': ['notes.read', 'notes.write']}\n" +
        "class Verifier(TokenVerifier):\n    async def verify_token(self, token):\n        claims = jwt.decode(token, KEY, algorithms=['RS256'], audience=AUD)\n        return AccessToken(token=token, client_id=claims['azp'], scopes=['notes.read'])\n",
    },
    expected: [
      { ruleId: "tool-scopes/scope-not-enforced", path: "app/auth.py", line: 5, severity: "moderate" },
      { ruleId: "tool-scopes/scope-not-enforced", path: "src/auth.ts", line: 7, severity: "moderate" },
    ],
  },
  {
    name: "a write tool open to noauth (alongside oauth2)",
    files: tsServer(
      tool(
        "share_note",
        '[{ type: "noauth" }, { type: "oauth2", scopes: ["notes.write"] }]',
        "{ readOnlyHint: false, destructiveHint: false }",
      ) + enforce("notes.write"),
    ),
    expected: [{ ruleId: "tool-scopes/noauth-write", severity: "high", line: 3 }],
  },
  {
    name: "a read-only tool asking for a write scope",
    files: tsServer(tool("list_notes", '[{ type: "oauth2", scopes: ["notes:write"] }]') + enforce("notes:write")),
    expected: [{ ruleId: "tool-scopes/read-only-write-scope", severity: "moderate" }],
  },
  {
    name: "a tool without securitySchemes among tools with them",
    files: tsServer(
      tool("list_notes", '[{ type: "oauth2", scopes: ["notes.read"] }]') +
        `\nserver.registerTool("export_notes", { description: "x", annotations: ${RO} }, async () => ({ content: [] }));` +
        enforce("notes.read"),
    ),
    expected: [{ ruleId: "tool-scopes/missing", line: 4 }],
  },
  {
    name: "no tool declares securitySchemes",
    files: fixtureFiles("ts-mcp-handler"),
    expected: [{ ruleId: "tool-scopes/none-declared", severity: "low" }],
  },
  {
    name: "scopes only declared (tool and protected resource metadata), never checked",
    files: {
      ...tsServer(tool("list_notes", '[{ type: "oauth2", scopes: ["notes.read"] }]')),
      "src/auth.ts": 'res.json({ resource: RESOURCE, scopes_supported: ["notes.read", "notes.write"] });',
    },
    expected: [{ ruleId: "tool-scopes/scope-not-enforced", severity: "moderate" }],
  },
  {
    name: "a scope only checked by a generic helper is low, not moderate",
    files: {
      ...tsServer(tool("list_notes", '[{ type: "oauth2", scopes: ["notes.read"] }]')),
      "src/auth.ts":
        "export function requireScopes(needed: string[], have: string[]) { if (!needed.every((s) => have.includes(s))) throw new Error('insufficient_scope'); }",
    },
    expected: [{ ruleId: "tool-scopes/scope-not-enforced", severity: "low" }],
  },
  {
    name: "Python low level: tickets scopes never checked",
    files: fixtureFiles("py-lowlevel"),
    expected: [
      { ruleId: "tool-scopes/scope-not-enforced", line: 16 },
      { ruleId: "tool-scopes/scope-not-enforced", line: 23 },
    ],
  },
];

describe("tool-scopes", () => {
  ruleTable(toolScopesCheck, { valid, invalid }, it, expect);

  it("reports the demo connector's noauth write tool and unchecked scopes", async () => {
    const findings = await runCheckOn(toolScopesCheck, fixtureFiles("../../../examples/demo-connector"));
    expect(findings.map((f) => `${f.ruleId} ${f.location?.line}`).sort()).toEqual([
      "tool-scopes/missing 86",
      "tool-scopes/noauth-write 69",
      "tool-scopes/scope-not-enforced 32",
      "tool-scopes/scope-not-enforced 52",
    ]);
  });
});
