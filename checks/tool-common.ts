// Shared by the tool and widget checks: the manifest for this scan, the report form of each tool, and the fail-closed
// outcome when no tool could be read.
import { createHash } from "node:crypto";
import { toolManifest } from "@/lib/engine/parse/tools/manifest";
import type { ToolDecl, ToolManifest } from "@/lib/engine/parse/tools/types";
import { canonicalJson } from "@/lib/engine/parse/tools/values";
import type { ReportTool } from "@/lib/core/report";
import type { CheckContext, CheckOutcome } from "./types";

/** The fields a reviewer signs off: a change to any of them changes the hash. Location is left out so moving code doesn't. */
export function toolHash(
  t: Pick<ReportTool, "name" | "title" | "description" | "annotations" | "securitySchemes" | "meta" | "inputSchema">,
): string {
  return createHash("sha256")
    .update(
      canonicalJson({
        name: t.name,
        title: t.title,
        description: t.description,
        annotations: t.annotations,
        securitySchemes: t.securitySchemes,
        meta: t.meta,
        inputSchema: t.inputSchema ?? null,
      }),
    )
    .digest("hex")
    .slice(0, 32);
}

export function toReportTool(t: ToolDecl): ReportTool {
  const tool: ReportTool = {
    name: t.name,
    title: t.title,
    description: t.description,
    annotations: t.annotations,
    securitySchemes: t.securitySchemes,
    meta: t.meta,
    location: t.location,
    dynamic: t.dynamic,
    inputSchema: t.inputSchema,
    style: t.style,
    loop: t.loop,
  };
  tool.hash = toolHash(tool);
  return tool;
}

export interface LoadedTools {
  manifest: ToolManifest;
  facts: { tools: ReportTool[] };
}

export async function loadTools(ctx: CheckContext): Promise<LoadedTools> {
  const manifest = await toolManifest(ctx.facts);
  return { manifest, facts: { tools: manifest.tools.map(toReportTool) } };
}

/** No tool was read: the check can't say the connector is fine, so its items stay unknown. */
export function noToolsOutcome(loaded: LoadedTools): CheckOutcome {
  const unreadable = loaded.manifest.unparseable.map((u) => `${u.path} (${u.reason})`);
  return {
    status: "unavailable",
    findings: [],
    facts: loaded.facts,
    error:
      unreadable.length > 0
        ? `no tool declarations could be read; unparseable files: ${unreadable.slice(0, 5).join(", ")}`
        : "no tool declarations were found in a supported style",
  };
}
