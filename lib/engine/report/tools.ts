// The report's tools and widgets, from the tool manifest the scan read: every field a reviewer signs off, and a
// hash of those fields so a change to any of them is noticed.
import { createHash } from "node:crypto";
import type { ReportTool, ReportWidget } from "@/lib/core/report";
import { readWidgetCsp } from "../facts/widget-csp";
import { canonicalJson } from "../parse/tools/values";
import type { ToolDecl, ToolManifest } from "../parse/tools/types";

/** The fields a reviewer signs off: a change to any of them changes the hash. Location is left out so moving code doesn't. */
export function toolHash(t: Pick<ReportTool, "name" | "title" | "description" | "annotations" | "securitySchemes" | "meta" | "inputSchema">): string {
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

export function reportWidgets(manifest: ToolManifest): ReportWidget[] {
  return manifest.resources.map((r) => {
    const csp = readWidgetCsp(r);
    return {
      uri: r.uri,
      name: r.name,
      mimeType: r.mimeType,
      cspSources: csp.sources,
      csp: csp.lists,
      domain: csp.domain,
      location: r.location,
      dynamic: r.dynamic,
    };
  });
}
