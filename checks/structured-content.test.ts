import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { structuredContentCheck } from "./structured-content";

ruleTable(structuredContentCheck, {
  valid: [
    {
      name: "records mapped to the fields the answer needs",
      files: {
        "src/tools.ts":
          "async function listNotes(q: string) { const res = await fetch(url, { signal }); const all = (await res.json()) as Note[]; return all.map((n) => ({ id: n.id, title: n.title })); }\n" +
          "const notes = await listNotes(query);\nreturn { structuredContent: { notes, count: notes.length } };",
      },
    },
    {
      name: "ORM queries with select, and SQL naming its columns",
      files: {
        "src/db.ts":
          "const rows = await prisma.note.findMany({ where: { ownerId }, select: { id: true, title: true } });\nreturn { structuredContent: { rows } };\n" +
          "const r = await db.query('SELECT id, title FROM notes WHERE owner = $1', [owner]);\nreturn { structuredContent: { notes: r.rows } };",
      },
    },
    {
      name: "a raw response used for something other than structuredContent",
      files: {
        "src/own.ts": "const parsed = JSON.parse(result.content[0].text);\nreturn { structuredContent: parsed };",
        "src/a.ts":
          "const data = await res.json();\nreturn { content: [{ type: 'text', text: data.summary }], structuredContent: { summary: data.summary } };",
      },
    },
    {
      name: "Python: a tool that picks fields",
      files: {
        "server.py":
          '@mcp.tool()\nasync def search(q: str) -> dict:\n    r = await client.get(URL, params={\'q\': q})\n    data = r.json()\n    return {"items": [{"id": i["id"], "title": i["title"]} for i in data["items"]]}\n',
      },
    },
  ],
  invalid: [
    {
      name: "a helper returning the raw API response, used as structuredContent (the demo's pattern)",
      files: {
        "src/store.ts":
          "export async function listNotes(token: string, query: string): Promise<Note[]> {\n  const res = await fetch(u, { signal });\n  return (await res.json()) as Note[];\n}",
        "src/server.ts": "const notes = await listNotes(token, query);\nreturn { content: [], structuredContent: { notes } };",
      },
      expected: [
        { ruleId: "structured-content/whole-records", path: "src/server.ts", line: 2, severity: "low", message: "returned by `listNotes`" },
      ],
    },
    {
      name: "res.json(), axios data, a spread record, findMany and SELECT *",
      files: {
        "src/t.ts":
          "return { structuredContent: await res.json() };\n" +
          "const { data } = x;\nconst resp = await axios.get(url, { timeout: 5000 });\nreturn { structuredContent: { issue: resp.data } };\n" +
          "const user = await res.json();\nreturn { structuredContent: { ...user } };\n" +
          "return { structuredContent: { notes: await prisma.note.findMany({ where: { ownerId } }) } };\n" +
          "return { structuredContent: { rows: await sql('SELECT * FROM notes') } };\n",
      },
      expected: [
        { ruleId: "structured-content/whole-records", line: 1 },
        { ruleId: "structured-content/whole-records", line: 4 },
        { ruleId: "structured-content/whole-records", line: 6 },
        { ruleId: "structured-content/whole-records", line: 7, message: "findMany" },
        { ruleId: "structured-content/whole-records", line: 8, message: "SELECT *" },
      ],
    },
    {
      name: "Python: a tool returning resp.json(), directly, through a variable and through a helper",
      files: {
        "server.py":
          "def fetch_issue(n):\n    return requests.get(f'{API}/{n}', timeout=5).json()\n\n" +
          "@mcp.tool()\ndef get_issue(n: int) -> dict:\n    return fetch_issue(n)\n\n" +
          '@mcp.tool()\nasync def search(q: str) -> dict:\n    r = await client.get(URL)\n    data = r.json()\n    return {"results": data}\n\n' +
          "@server.tool()\ndef raw(q: str):\n    return requests.get(URL, timeout=5).json()\n",
      },
      expected: [
        { ruleId: "structured-content/whole-records", line: 6 },
        { ruleId: "structured-content/whole-records", line: 12 },
        { ruleId: "structured-content/whole-records", line: 16 },
      ],
    },
  ],
});

describe("structured-content on hostile input", () => {
  it("stays fast with a long chain of consts", async () => {
    const chain =
      "const v0 = await res.json();\n" +
      Array.from({ length: 3000 }, (_, i) => `const v${i + 1} = v${i};`).join("\n") +
      "\nreturn { structuredContent: { x: v3000 } };";
    const { ms } = await timed(structuredContentCheck, { "src/chain.ts": chain });
    expect(ms).toBeLessThan(10_000);
  });
});
