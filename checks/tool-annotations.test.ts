import { toReportTool } from "@/lib/engine/report/tools";
import { describe, expect, it } from "vitest";
import { contextOf, ruleTable, runCheckOn, tsServer, tsTool, type InvalidRuleCase, type RuleCase } from "@/test/support/rules";
import { fixtureFiles } from "@/test/support/connectors";
import { toolAnnotationsCheck } from "./tool-annotations";

const RO = "{ readOnlyHint: true, openWorldHint: false }";

const valid: RuleCase[] = [
  { name: "a read tool labelled read-only", files: tsTool("search_notes", `{ description: "Search notes.", annotations: ${RO} }`) },
  {
    name: "a delete tool with destructiveHint: true",
    files: tsTool(
      "delete_note",
      `{ description: "Deletes a note. Do not use to archive.", annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false } }`,
    ),
  },
  {
    name: "an additive write with destructiveHint: false",
    files: tsTool(
      "create_note",
      `{ description: "Creates a note.", annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } }`,
    ),
  },
  {
    name: "a search tool whose API takes POST stays read-only",
    files: tsTool(
      "search_documents",
      `{ description: "Full-text search.", annotations: ${RO} }`,
      `async ({ q }) => { await fetch("https://search.example/query", { method: "POST", body: q }); return { content: [] }; }`,
    ),
  },
  {
    name: "an update that deletes a table's rows and inserts them again is a write, not a delete",
    files: tsTool(
      "update_profile",
      `{ description: "Updates a profile's links.", annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } }`,
      `async ({ id, links }) => { db.prepare("DELETE FROM links WHERE profile = ?").run(id); for (const l of links) db.prepare("INSERT INTO links (profile, url) VALUES (?, ?)").run(id, l); return { content: [] }; }`,
    ),
  },
  {
    name: "an update whose helper deletes child rows through a query builder and inserts them again, in callbacks",
    files: {
      "src/server.ts":
        'import { replaceLinks } from "./db";\nexport function register(server: any) {\n  server.registerTool("update_profile", ' +
        '{ description: "Updates a profile\'s links.", annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } }, ' +
        "async ({ id, links }) => { await replaceLinks(id, links); return { content: [] }; });\n}\n",
      "src/db.ts":
        "export async function replaceLinks(id, links) {\n  await db.transaction(async (tx) => {\n    await tx.delete(schema.links).where(eq(schema.links.profile, id));\n" +
        "    await Promise.all(links.map((l) => tx.insert(schema.links).values({ profile: id, url: l })));\n  });\n}\n",
    },
  },
  {
    name: "a fetcher of user URLs that says openWorldHint: true",
    files: tsTool(
      "fetch_page",
      `{ description: "Fetches a web page.", inputSchema: { url: z.string().url() }, annotations: { readOnlyHint: true, openWorldHint: true } }`,
      "async ({ url }) => ({ content: [{ type: 'text', text: await (await fetch(url)).text() }] })",
    ),
  },
  {
    name: "a widget-accessible tool that only writes additively",
    files: tsTool(
      "move_card",
      `{ description: "Moves a card.", annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false }, _meta: { "openai/widgetAccessible": true } }`,
    ),
  },
  { name: "the fixture connectors with complete labels", files: fixtureFiles("ts-lowlevel") },
];

const invalid: InvalidRuleCase[] = [
  {
    name: "no annotations at all",
    files: tsTool("get_weather", `{ description: "Weather for a city." }`),
    expected: [{ ruleId: "tool-annotations/missing", line: 3, severity: "moderate" }],
  },
  {
    name: "no annotations on a destructive tool is high",
    files: tsTool("delete_account", `{ description: "Deletes the account. Never use unless asked." }`),
    expected: [{ ruleId: "tool-annotations/missing", line: 3, severity: "high" }],
  },
  {
    name: "readOnlyHint: true on a delete tool (and nothing asks for confirmation)",
    files: tsTool("delete_note", `{ description: "Deletes a note.", annotations: { readOnlyHint: true } }`),
    expected: [
      { ruleId: "tool-annotations/read-only-but-writes", severity: "high" },
      { ruleId: "tool-annotations/irreversible-without-confirmation", severity: "high" },
    ],
  },
  {
    name: "readOnlyHint: true on a tool whose name alone says it writes is moderate (\"add\" may be arithmetic)",
    files: tsTool("add_numbers", `{ description: "Adds two numbers.", annotations: { readOnlyHint: true, openWorldHint: false } }`),
    expected: [{ ruleId: "tool-annotations/read-only-but-writes", severity: "moderate" }],
  },
  {
    name: "readOnlyHint: true on a tool whose handler sends PUT",
    files: tsTool(
      "profile",
      `{ description: "The user's profile.", annotations: { readOnlyHint: true, openWorldHint: false } }`,
      `async ({ bio }) => { await fetch("https://api.example/profile", { method: "PUT", body: bio }); return { content: [] }; }`,
    ),
    expected: [{ ruleId: "tool-annotations/read-only-but-writes", severity: "high" }],
  },
  {
    name: "a destructive tool with no destructiveHint",
    files: tsTool("remove_member", `{ description: "Removes a member.", annotations: { readOnlyHint: false, openWorldHint: false } }`),
    expected: [{ ruleId: "tool-annotations/destructive-without-hint", severity: "moderate" }],
  },
  {
    name: "a destructive tool saying destructiveHint: false, with no confirmation step",
    files: tsTool(
      "purge_cache",
      `{ description: "Purges the cache.", annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } }`,
    ),
    expected: [
      { ruleId: "tool-annotations/destructive-without-hint", severity: "high" },
      { ruleId: "tool-annotations/irreversible-without-confirmation", severity: "high" },
    ],
  },
  {
    name: "an update that deletes rows of another table than it inserts into stays destructive",
    files: tsTool(
      "update_profile",
      `{ description: "Updates a profile.", annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } }`,
      `async ({ id, links }) => { db.prepare("DELETE FROM comments WHERE profile = ?").run(id); db.prepare("INSERT INTO links (profile, url) VALUES (?, ?)").run(id, links); return { content: [] }; }`,
    ),
    expected: [
      { ruleId: "tool-annotations/destructive-without-hint", severity: "high" },
      { ruleId: "tool-annotations/irreversible-without-confirmation", severity: "high" },
    ],
  },
  {
    name: "a write tool that sets no destructiveHint",
    files: tsTool("create_issue", `{ description: "Creates an issue.", annotations: { readOnlyHint: false, openWorldHint: false } }`),
    expected: [{ ruleId: "tool-annotations/write-hints-incomplete", severity: "low" }],
  },
  {
    name: "a tool fetching a URL from its input with openWorldHint: false",
    files: tsTool(
      "fetch_page",
      `{ description: "Fetches a page.", inputSchema: { url: z.string() }, annotations: { readOnlyHint: true, openWorldHint: false } }`,
      "async ({ url }) => ({ content: [{ type: 'text', text: await (await fetch(url)).text() }] })",
    ),
    expected: [{ ruleId: "tool-annotations/open-world-without-hint", severity: "moderate" }],
  },
  {
    name: "a widget-accessible destructive tool",
    files: tsTool(
      "delete_card",
      `{ description: "Deletes a card. Do not use for archived cards.", annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false }, _meta: { "openai/widgetAccessible": true } }`,
    ),
    expected: [{ ruleId: "tool-annotations/widget-accessible-destructive", severity: "high" }],
  },
  {
    name: "Python: a delete tool marked read-only",
    files: {
      "server.py":
        'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n\n@mcp.tool(annotations={"readOnlyHint": True})\ndef delete_row(row_id: str) -> str:\n    """Deletes a row."""\n    return ""\n',
    },
    expected: [
      { ruleId: "tool-annotations/read-only-but-writes", line: 4 },
      { ruleId: "tool-annotations/irreversible-without-confirmation", line: 4 },
    ],
  },
  {
    name: "a file that may declare tools but can't be parsed is reported as info",
    files: {
      ...tsTool("get_x", `{ description: "x", annotations: ${RO} }`),
      "src/bundle.js": `server.registerTool("y", {});\n${"var a=1;".repeat(2000)}`,
    },
    expected: [{ ruleId: "tool-annotations/unparseable-source", severity: "info" }],
  },
];

describe("tool-annotations", () => {
  ruleTable(toolAnnotationsCheck, { valid, invalid }, it, expect);

  it("reports tools without annotations as one finding that lists them, the others related", async () => {
    const findings = await runCheckOn(
      toolAnnotationsCheck,
      tsServer(
        [
          `server.registerTool("list_notes", { description: "Lists notes." }, async () => ({ content: [] }));`,
          `server.registerTool("get_note", { description: "Reads a note." }, async () => ({ content: [] }));`,
          `server.registerTool("delete_note", { description: "Deletes a note." }, async () => ({ content: [] }));`,
          `server.registerTool("ping", { description: "Pings.", annotations: { readOnlyHint: true, openWorldHint: false } }, async () => ({ content: [] }));`,
        ].join("\n"),
      ),
    );
    const missing = findings.filter((f) => f.ruleId === "tool-annotations/missing");
    expect(missing).toHaveLength(1);
    expect(missing[0]!.severity).toBe("high");
    expect(missing[0]!.location?.line).toBe(3);
    expect(missing[0]!.related?.map((l) => l.line)).toEqual([4, 5]);
    expect(missing[0]!.message).toMatch(/^3 of 4 tools declare no annotations: list_notes, get_note and delete_note; 1 of them changes data \(delete_note\)\.$/);
  });

  it("a confirm input flag counts as a confirmation step", async () => {
    const findings = await runCheckOn(
      toolAnnotationsCheck,
      tsTool(
        "purge_cache",
        `{ description: "Purges the cache.", inputSchema: { confirm: z.boolean() }, annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } }`,
      ),
    );
    expect(findings.map((f) => f.ruleId)).toEqual(["tool-annotations/destructive-without-hint"]);
  });

  it("is unavailable, not ok, when no tool can be read", async () => {
    const outcome = await toolAnnotationsCheck.run(await contextOf({ "src/a.ts": "export const x = 1;" }));
    expect(outcome.status).toBe("unavailable");
    expect(outcome.error).toMatch(/no tool declarations/);
  });

  it("reports the demo connector's deliberate problems", async () => {
    const findings = await runCheckOn(toolAnnotationsCheck, fixtureFiles("../../../examples/demo-connector"));
    expect(findings.map((f) => `${f.ruleId} ${f.location?.line}`).sort()).toEqual([
      "tool-annotations/irreversible-without-confirmation 52",
      "tool-annotations/missing 69",
      "tool-annotations/open-world-without-hint 86",
      "tool-annotations/read-only-but-writes 52",
    ]);
  });

  it("puts the tool list in the report, each tool with a hash of its reviewed fields", async () => {
    const ctx = await contextOf(tsServer(`server.tool("ping", async () => ({ content: [] }));`));
    const tools = ctx.facts.tools.tools.map(toReportTool);
    expect(tools.map((t) => t.name)).toEqual(["ping"]);
    expect(tools[0]!.hash).toMatch(/^[0-9a-f]{32}$/);
  });
});
