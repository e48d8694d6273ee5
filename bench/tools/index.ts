// Tool manifest extraction over 2,000 generated source files (TS in every declaration style, Python, and plain code):
// parse + extract time, per file, and how many tools were read.
import { Facts } from "@/lib/engine/facts/container";
import { toolManifest } from "@/lib/engine/parse/tools/manifest";
import { SnapshotBuilder, type Snapshot } from "@/lib/engine/snapshot";
import { mb, ms, time } from "../support/measure";

const STYLES = 5;

function tsFile(i: number): string {
  switch (i % STYLES) {
    case 0:
      return `import { z } from "zod";
const RO = { readOnlyHint: true, openWorldHint: false } as const;
const scopes = [{ type: "oauth2", scopes: ["items.read"] }];
function meta(t: string) { return { "openai/outputTemplate": t, securitySchemes: scopes }; }
export function register${i}(server: any) {
  server.registerTool("list_items_${i}", { title: "List items ${i}", description: \`Lists items in group ${i}.\`, inputSchema: { q: z.string().max(100) }, annotations: { ...RO }, _meta: meta("ui://w/${i}.html") }, async ({ q }) => ({ content: [{ type: "text", text: q }] }));
  server.registerTool("delete_item_${i}", { description: "Deletes an item. " + "Do not use for archived items.", inputSchema: { id: z.string() }, annotations: { readOnlyHint: false, destructiveHint: true } }, async ({ id }) => { await fetch(\`https://api.example/items/\${id}\`, { method: "DELETE" }); return { content: [] }; });
}
`;
    case 1:
      return `import { z } from "zod";
export function legacy${i}(server: any) {
  server.tool("ping_${i}", async () => ({ content: [] }));
  server.tool("echo_${i}", "Echoes the message back.", { message: z.string() }, { readOnlyHint: true }, async ({ message }) => ({ content: [{ type: "text", text: message }] }));
}
`;
    case 2:
      return `const DEFS = [${Array.from({ length: 4 }, (_, k) => `{ name: "tool_${i}_${k}", description: "Tool ${k} of module ${i}.", ro: ${k % 2 === 0} }`).join(", ")}] as const;
const TOOLS = DEFS.map((d) => ({ name: d.name, description: d.description, inputSchema: { type: "object", properties: { id: { type: "string" } } }, annotations: { readOnlyHint: d.ro } }));
export function lowlevel${i}(server: any) { server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS })); }
`;
    default:
      // Ordinary application code with no tools: most files of a real connector.
      return `import { z } from "zod";
export const schema${i} = z.object({ id: z.string(), count: z.number() });
export function helper${i}(xs: number[]): number { return xs.reduce((a, b) => a + b, 0) * ${i}; }
export class Store${i} { items = new Map<string, number>(); add(k: string) { this.items.set(k, (this.items.get(k) ?? 0) + 1); } }
`.repeat(3);
  }
}

function pyFile(i: number): string {
  return `from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
mcp = FastMCP("m${i}")

@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def search_${i}(query: str, limit: int = 10) -> list[str]:
    """Search module ${i} by keyword."""
    return []

@mcp.tool(annotations={"readOnlyHint": False, "destructiveHint": True})
def remove_${i}(item_id: str) -> str:
    """Deletes an item. Do not use for archived items."""
    return "ok"
`;
}

function generate(files: number): { snapshot: Snapshot; bytes: number } {
  const b = new SnapshotBuilder();
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const python = i % 10 === 9;
    const text = python ? pyFile(i) : tsFile(i);
    bytes += text.length;
    b.add(`src/m${i % 40}/file${i}.${python ? "py" : "ts"}`, new TextEncoder().encode(text));
  }
  return { snapshot: b.build(null), bytes };
}

async function extract(snapshot: Snapshot) {
  const facts = new Facts(snapshot);
  try {
    return await toolManifest(facts);
  } finally {
    facts.dispose();
  }
}

export async function main(): Promise<void> {
  const { snapshot, bytes } = generate(2000);
  const manifest = await extract(snapshot);
  const timing = await time(5, () => extract(snapshot));
  // Every generated tool is fully static: a tool with dynamic fields would mean the evaluator gave up (budget, depth).
  const dynamicTools = manifest.tools.filter((t) => t.dynamic.length > 0).length;
  console.log(
    `generated: ${snapshot.fileCount} files, ${mb(bytes)}; ${manifest.tools.length} tools read (${dynamicTools} with dynamic fields), ${manifest.unparseable.length} unparseable`,
  );
  console.log(`parse + extract: p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)}, min ${ms(timing.min)} over ${timing.runs} runs`);
  console.log(`per file: ${(timing.p50 / snapshot.fileCount).toFixed(3)} ms`);
}
