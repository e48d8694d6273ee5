// `launch-review tools <url>`: what a running MCP server serves, compared with the code when --source is given.
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { showHidden } from "@/lib/engine/unicode";
import { compareWithStatic, listLiveTools, type LiveComparison, type LiveListing } from "@/lib/live/live-tools";
import { staticToolsOf } from "@/lib/tools/static-manifest";
import { checkedFlags, UsageError } from "../usage";

const ToolsFlags = z.object({
  format: z.enum(["text", "json"], { error: "--format must be text or json" }).default("text"),
  token: z.string().min(1).max(8192).optional(),
  source: z.string().min(1).optional(),
  subdir: z.string().min(1).optional(),
  timeout: z.coerce.number({ error: "--timeout must be a number of milliseconds" }).int().min(100).max(300_000).default(15_000),
});

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      token: { type: "string" },
      source: { type: "string" },
      subdir: { type: "string" },
      timeout: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("tools takes exactly one URL.");
  const opts = checkedFlags(ToolsFlags, values);
  // On the command line the user asks for their own machine's view, so local servers are allowed; metadata stays refused.
  const listing = await listLiveTools(positionals[0]!, {
    token: opts.token ?? process.env.LAUNCH_REVIEW_LIVE_TOKEN,
    allowPrivate: true,
    timeoutMs: opts.timeout,
  });
  const comparison = opts.source
    ? compareWithStatic(await staticToolsOf(path.resolve(opts.source), opts.subdir ?? ""), listing.tools)
    : null;
  if (opts.format === "json") process.stdout.write(`${JSON.stringify({ ...listing, comparison }, null, 2)}\n`);
  else process.stdout.write(liveText(listing, comparison, opts.source));
  const differs =
    comparison !== null && (comparison.onlyLive.length > 0 || comparison.onlyStatic.length > 0 || comparison.differing.length > 0);
  return differs ? 1 : 0;
}

function liveText(listing: LiveListing, comparison: LiveComparison | null, source: string | undefined): string {
  const lines = [
    `${listing.url} over ${listing.transport}${listing.server ? ` (${listing.server.name} ${listing.server.version})` : ""}`,
    `${listing.tools.length} tools, ${listing.resources.length} resources`,
    ...listing.tools.map((t) => `  ${t.name}: ${showHidden((t.description ?? "").replace(/\s+/g, " ")).slice(0, 100)}`),
    ...listing.resources.map((r) => `  resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ""}`),
  ];
  if (comparison) {
    lines.push(`Compared with the code in ${source}: ${comparison.matching} match`);
    for (const n of comparison.onlyStatic) lines.push(`  only in the code: ${n}`);
    for (const n of comparison.onlyLive) lines.push(`  only on the server: ${n}`);
    for (const d of comparison.differing) {
      lines.push(`  description differs: ${d.name}`);
      lines.push(`    code:   ${showHidden(d.static ?? "(none)")}`);
      lines.push(`    server: ${showHidden(d.live ?? "(none)")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

