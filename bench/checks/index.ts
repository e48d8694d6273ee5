// The code checks on a generated 2,000-file connector (TypeScript and Python mixed): parse time, time per check,
// and the full scan end to end.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHECKS } from "@/checks";
import { Facts } from "@/lib/engine/facts/container";
import { runScan } from "@/lib/engine/scan";
import { readSource } from "@/lib/engine/sources";
import { DEFAULT_LIMITS } from "@/lib/engine/snapshot";
import { checkContext } from "@/test/support/rules";
import { mb, ms, time } from "../support/measure";

const TS_FILE = (i: number) => `// Module ${i}: a tool handler with an upstream call, logging and a widget-facing result.
import { z } from "zod";
import { logger } from "../logger";

export interface Item${i} { id: string; title: string; ownerEmail: string; notes: string }

export async function fetchItems${i}(token: string, q: string): Promise<Item${i}[]> {
  const res = await fetch(\`https://api.example.com/v1/items?q=\${encodeURIComponent(q)}\`, {
    headers: { authorization: \`Bearer \${token}\` },
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(\`upstream \${res.status}\`);
  return (await res.json()) as Item${i}[];
}

export function register${i}(server: { registerTool: Function }) {
  server.registerTool("tool_${i}", { inputSchema: { q: z.string().max(200) } }, async ({ q }: { q: string }, extra: any) => {
    const items = await fetchItems${i}(extra.upstreamToken, q);
    logger.info({ requestId: extra.requestId, tool: "tool_${i}", count: items.length }, "tool call");
    return { content: [{ type: "text", text: \`\${items.length} items\` }], structuredContent: { items: items.map((x) => ({ id: x.id, title: x.title })) } };
  });
}

export const schema${i} = z.object({ id: z.string(), count: z.number().int().min(0) });
${"export const constant" + i + " = { a: 1, b: [1, 2, 3], c: { d: 'e' } };\n".repeat(12)}`;

const PY_FILE = (i: number) => `"""Module ${i}: a FastMCP tool with an upstream call and logging."""
import logging

import httpx

logger = logging.getLogger(__name__)
API = "https://api.example.com/v1"


async def fetch_items_${i}(client: httpx.AsyncClient, token: str, q: str) -> list[dict]:
    response = await client.get(f"{API}/items", params={"q": q}, headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return [{"id": r["id"], "title": r["title"]} for r in response.json()["items"]]


def register_${i}(mcp) -> None:
    @mcp.tool()
    async def tool_${i}(q: str) -> dict:
        """Search items (${i})."""
        async with httpx.AsyncClient(timeout=10) as client:
            items = await fetch_items_${i}(client, "upstream-token-ref", q)
        logger.info("tool_${i} results=%d", len(items))
        return {"items": items}
${"\n\nCONSTANT_" + i + " = {'a': 1, 'b': [1, 2, 3], 'c': {'d': 'e'}}".repeat(12)}
`;

export function generateRepo(root: string, files: number): number {
  let bytes = 0;
  const write = (rel: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), body);
    bytes += body.length;
  };
  write("package.json", JSON.stringify({ name: "bench", dependencies: { zod: "^3", pino: "^9" } }));
  write("src/logger.ts", 'import pino from "pino";\nexport const logger = pino({ redact: ["*.token"] });\n');
  write("web/widget.tsx", "export const W = () => <p>{window.openai.toolOutput.title}</p>;\n");
  for (let i = 0; i < files - 3; i++) {
    if (i % 3 === 2) write(`server/pkg${i % 40}/module_${i}.py`, PY_FILE(i));
    else write(`src/module${i % 50}/file${i}.ts`, TS_FILE(i));
  }
  return bytes;
}

export async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-checks-"));
  try {
    const bytes = generateRepo(root, 2000);
    const { snapshot } = await readSource(
      { kind: "local", path: root },
      { limits: DEFAULT_LIMITS, signal: new AbortController().signal, onProgress: () => {} },
    );
    console.log(`generated repo: ${snapshot.fileCount} files, ${mb(bytes)}`);

    // The full pipeline first (it also warms the parsers up, as in a long-running app), then one scan's facts
    // timed stage by stage.
    const timing = await time(4, () => runScan({ kind: "local", path: root }));
    console.log(`full scan (read, parse, all checks, checklist): p50 ${ms(timing.p50)}, max ${ms(timing.max)} over ${timing.runs} runs`);

    // Parsing into facts first, then the derived facts, then each check on the shared facts.
    const facts = new Facts(snapshot);
    try {
      let t0 = performance.now();
      await facts.prepare();
      const code = facts.code;
      console.log(`  parse into facts (${code.files.length} files, ${code.functions.length} functions, ${code.calls.length} calls): ${ms(performance.now() - t0)}`);
      t0 = performance.now();
      const sinks = facts.sinks.length;
      console.log(`  derived facts (routes, responses, outbound, data flow: ${sinks} sinks): ${ms(performance.now() - t0)}`);
      const ctx = await checkContext(snapshot, {}, facts);
      let checksTotal = 0;
      for (const check of CHECKS) {
        t0 = performance.now();
        const outcome = await check.run(ctx);
        const elapsed = performance.now() - t0;
        checksTotal += elapsed;
        console.log(`  ${check.id.padEnd(20)} ${ms(elapsed).padStart(10)}  ${outcome.status}, ${outcome.findings.length} findings`);
      }
      console.log(`  all checks after parsing:            ${ms(checksTotal)}`);
    } finally {
      facts.dispose();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
