// The connector's tool manifest, read once per scan and shared by every tool and widget check.
import type { Facts } from "../../facts/container";
import { pathRole } from "../../facts/roles";
import { jsFiles, type ParsedJs } from "../js";
import { pythonFiles, type ParsedPython } from "../python";
import { extractJsTools } from "./js-tools";
import { extractPythonTools } from "./py-tools";
import type { ToolManifest, WidgetResource } from "./types";
import { widgetHostUses } from "./widget-code";

/** Words that make an unparseable file worth mentioning: it may declare tools we could not read. */
const MAY_DECLARE = /registerTool|registerAppTool|\.tool\s*\(|@\w+\.tool\b|ListToolsRequestSchema|registerResource|\bTool\s*\(/;
const WIDGET_MIME = /^text\/html(?:\+skybridge|;\s*profile=mcp-app)?$/i;
/** Files in these roles never serve tools: what they register is a test double, a sample or documentation. */
const NOT_SERVED = new Set(["test", "fixture", "docs", "example"]);

/** Whether tools and resources declared in this file can be served (tests, fixtures, docs and examples never are). */
export function declaresServedTools(repoPath: string): boolean {
  const role = pathRole(repoPath)?.role;
  return !role || !NOT_SERVED.has(role);
}

export function toolManifest(facts: Facts): Promise<ToolManifest> {
  return facts.memo("tool-manifest", async (snapshot) => {
    const js = jsFiles(facts);
    const py = await pythonFiles(facts);
    const parsedJs = new Map<string, ParsedJs>();
    const parsedPy: ParsedPython[] = [];
    const unparseable: ToolManifest["unparseable"] = [];
    for (const [p, r] of js) {
      if (r.ok) parsedJs.set(p, r);
      else if (declaresServedTools(p) && MAY_DECLARE.test(snapshot.text(p) ?? "")) unparseable.push({ path: p, reason: r.reason });
    }
    for (const [p, r] of py) {
      if (r.ok) parsedPy.push(r);
      else if (declaresServedTools(p) && MAY_DECLARE.test(snapshot.text(p) ?? "")) unparseable.push({ path: p, reason: r.reason });
    }
    // Every parsed file stays available for resolving imports; only served files are read for declarations.
    const fromJs = extractJsTools(parsedJs, declaresServedTools);
    const fromPy = extractPythonTools(parsedPy, declaresServedTools);
    const tools = [...fromJs.tools, ...fromPy.tools].sort(
      (a, b) => a.location.path.localeCompare(b.location.path) || a.location.line - b.location.line || a.name.localeCompare(b.name),
    );
    const resources = mergeResources([...fromJs.resources, ...fromPy.resources]).filter(isWidget);
    const widgetHosts = resources.length > 0 ? widgetHostUses(snapshot, parsedJs, resources) : [];
    return { tools, resources, widgetHosts, unparseable };
  });
}

export function isWidget(r: WidgetResource): boolean {
  if (r.uri.startsWith("ui://")) return true;
  if (r.mimeType && WIDGET_MIME.test(r.mimeType)) return true;
  return Object.keys(r.meta ?? {}).some((k) => k.startsWith("openai/widget") || k === "ui");
}

/** A resource declared in one place and served in another (a list and a read handler) is one resource. */
function mergeResources(all: WidgetResource[]): WidgetResource[] {
  const byUri = new Map<string, WidgetResource>();
  for (const r of all) {
    const existing = byUri.get(r.uri);
    if (!existing) {
      byUri.set(r.uri, { ...r, dynamic: [...r.dynamic] });
      continue;
    }
    existing.name ??= r.name;
    existing.mimeType ??= r.mimeType;
    existing.html ??= r.html;
    if (r.meta) existing.meta = { ...r.meta, ...(existing.meta ?? {}) };
    existing.dynamic = [...new Set([...existing.dynamic, ...r.dynamic])];
  }
  return [...byUri.values()];
}
