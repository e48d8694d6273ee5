// The connector's tool manifest, read once per scan and shared by every tool and widget check.
import type { Facts } from "../../facts/container";
import { pathRole } from "../../facts/roles";
import { jsFiles, type JsSources } from "../js";
import { pythonFiles, type ParsedPython } from "../python";
import { ModuleAliases, resolveJsModule } from "./js-eval";
import { extractJsTools } from "./js-tools";
import { extractPythonTools, pythonImports } from "./py-tools";
import type { ToolManifest, WidgetResource } from "./types";
import { widgetHostUses } from "./widget-code";
import { compareText } from "@/lib/core/compare";

/** Words that make an unparseable file worth mentioning: it may declare tools we could not read. */
const MAY_DECLARE = /registerTool|registerAppTool|\.tool\s*\(|@\w+\.tool\b|ListToolsRequestSchema|registerResource|\bTool\s*\(/;
const WIDGET_MIME = /^text\/html(?:\+skybridge|;\s*profile=mcp-app)?$/i;
/** Files in these roles never serve tools: what they register is a test double, a sample or documentation. */
const NOT_SERVED = new Set(["test", "fixture", "docs", "example"]);

/** Folders and files of test support that file roles don't name: testHelpers/, test-utils.ts, mockServer.ts. */
const TEST_SUPPORT_FOLDER =
  /^(?:(?:test|tests|testing|spec)[-_]?(?:helpers?|utils?|support|setup|harness|mocks?|fakes?|stubs?|doubles)|test[A-Z]\w*|mocks?|fakes?|stubs?)$/;
const TEST_SUPPORT_FILE =
  /^(?:mock|fake|stub)[-_]?(?:server|client|upstream|api|transport|mcp|backend|service|remote|db|store)s?(?:[A-Z._-]|$)|[._-](?:mock|fake|stub)s?\.[cm]?[jt]sx?$|(?:^|[._-])test[-_]?(?:helpers?|utils?|support)\.(?:[cm]?[jt]sx?|py)$/i;

/** Whether a file's path alone says it can serve tools (tests, fixtures, docs, examples and test support never do). */
export function declaresServedTools(repoPath: string): boolean {
  const role = pathRole(repoPath)?.role;
  if (role && NOT_SERVED.has(role)) return false;
  const segments = repoPath.split("/");
  const name = segments.pop() ?? "";
  return !segments.some((s) => TEST_SUPPORT_FOLDER.test(s)) && !TEST_SUPPORT_FILE.test(name);
}

/**
 * The files whose declarations can be served: those the path allows, and the modules they import (a tool module in a
 * `testing/` folder that the server imports is served; a helper only tests import is not).
 */
export function servedFiles(js: JsSources, py: readonly ParsedPython[], aliases: ModuleAliases): Set<string> {
  const edges = new Map<string, string[]>();
  for (const p of js.paths()) {
    const targets = js
      .importsOf(p)
      .map((spec) => resolveJsModule(js.pathLookup, p, spec, aliases))
      .filter((t): t is string => !!t);
    edges.set(p, targets);
  }
  for (const [p, targets] of pythonImports(py)) edges.set(p, targets);
  const served = new Set([...edges.keys()].filter(declaresServedTools));
  const queue = [...served];
  while (queue.length > 0) {
    for (const t of edges.get(queue.pop()!) ?? []) {
      if (served.has(t)) continue;
      served.add(t);
      queue.push(t);
    }
  }
  return served;
}

export function toolManifest(facts: Facts): Promise<ToolManifest> {
  return facts.memo("tool-manifest", async (snapshot) => {
    const js = jsFiles(facts);
    const py = await pythonFiles(facts);
    const parsedPy: ParsedPython[] = [];
    const unparseable: ToolManifest["unparseable"] = [];
    for (const r of js.unparseable) {
      if (declaresServedTools(r.path) && MAY_DECLARE.test(snapshot.text(r.path) ?? ""))
        unparseable.push({ path: r.path, reason: r.reason });
    }
    for (const [p, r] of py) {
      if (r.ok) parsedPy.push(r);
      else if (declaresServedTools(p) && MAY_DECLARE.test(snapshot.text(p) ?? "")) unparseable.push({ path: p, reason: r.reason });
    }
    // Every parsed file stays available for resolving imports; only served files are read for declarations.
    const textOf = (p: string) => ({ path: p, text: snapshot.text(p) ?? "" });
    const aliases = ModuleAliases.fromConfigFiles(
      snapshot.find((p) => /(?:^|\/)(?:tsconfig[\w.-]*|jsconfig)\.json$/.test(p)).map(textOf),
      snapshot.find((p) => /(?:^|\/)package\.json$/.test(p) && !p.split("/").includes("node_modules")).map(textOf),
    );
    const served = servedFiles(js, parsedPy, aliases);
    const isServed = (p: string) => served.has(p);
    const fromJs = extractJsTools(js, isServed, aliases, facts.pace);
    const fromPy = extractPythonTools(parsedPy, isServed, facts.pace);
    const tools = [...fromJs.tools, ...fromPy.tools].sort(
      (a, b) => compareText(a.location.path, b.location.path) || a.location.line - b.location.line || compareText(a.name, b.name),
    );
    const resources = mergeResources([...fromJs.resources, ...fromPy.resources]).filter(isWidget);
    const widgetHosts = resources.length > 0 ? widgetHostUses(snapshot, js, resources, aliases) : [];
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
