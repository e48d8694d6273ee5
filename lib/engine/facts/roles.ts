// What each file is for. Checks judge server code as server code; they skip tests, fixtures, documentation,
// examples and vendored copies, and read widget and browser code as what it is. A role comes from the path first
// (a tests folder is a tests folder), then from what the code does (it talks to the ChatGPT host, it is a client
// component), then from who imports it (a file only widget code imports is widget code).
import type { FileRole, SourceFileFact } from "@/lib/core/facts";
import type { CodeFacts } from "./code";

const TEST_FOLDERS = new Set(["test", "tests", "__tests__", "spec", "specs", "e2e", "testdata", "test-utils", "testing", "__mocks__", "mocks", "cypress", "playwright"]);
const FIXTURE_FOLDERS = new Set(["fixtures", "__fixtures__", "fixture", "testdata"]);
const DOCS_FOLDERS = new Set(["docs", "doc", "documentation", "website", "site-docs", "llms", "reference-docs"]);
const EXAMPLE_FOLDERS = new Set(["examples", "example", "samples", "sample", "demos", "playground", "sandbox"]);
const VENDOR_FOLDERS = new Set(["vendor", "vendors", "third_party", "third-party", "thirdparty", "vendored", "external"]);
const SCRIPT_FOLDERS = new Set(["scripts", "script", ".github", ".husky", "deploy", "infra", "terraform", "ci"]);
const GENERATED_FOLDERS = new Set(["__generated__", "generated", "gen", "codegen"]);
const WIDGET_FOLDERS = new Set(["web", "widget", "widgets", "ui", "frontend", "client", "components", "app-ui", "views"]);
const BROWSER_FOLDERS = new Set(["public", "static", "www", "frontend", "client", "browser"]);
const CONFIG_FILE = /^(?:[\w.-]+\.config|\.eslintrc|\.prettierrc|gulpfile|gruntfile|jest\.setup|vitest\.setup|setupTests|conftest|noxfile|fabfile|tasks)\.(?:[cm]?[jt]sx?|py|json)$|^(?:setup|manage)\.py$/i;

/** The role a path alone decides (tests, fixtures, docs, examples, vendored, scripts, generated), or null. */
export function pathRole(repoPath: string): { role: FileRole; reason: string } | null {
  const segments = repoPath.split("/");
  const folders = segments.slice(0, -1).map((s) => s.toLowerCase());
  const name = (segments[segments.length - 1] ?? "").toLowerCase();
  const inFolder = (set: ReadonlySet<string>) => folders.find((f) => set.has(f));
  const fixture = inFolder(FIXTURE_FOLDERS);
  if (fixture) return { role: "fixture", reason: `in a ${fixture} folder` };
  const test = inFolder(TEST_FOLDERS);
  if (test) return { role: "test", reason: `in a ${test} folder` };
  if (/\.(?:test|spec|stories|story|e2e|bench)\.[cm]?[jt]sx?$/.test(name) || (name.endsWith(".py") && (name.startsWith("test_") || name.endsWith("_test.py") || name === "conftest.py")))
    return { role: "test", reason: "a test file" };
  const vendor = inFolder(VENDOR_FOLDERS);
  if (vendor) return { role: "vendored", reason: `in a ${vendor} folder` };
  if (/\.min\.[cm]?js$/.test(name) || /(?:^|[.-])bundle\.[cm]?js$/.test(name)) return { role: "vendored", reason: "a bundled or minified copy" };
  const generated = inFolder(GENERATED_FOLDERS);
  if (generated || /\.(?:gen|generated|pb)\.[cm]?[jt]sx?$|_pb2\.py$/.test(name)) return { role: "generated", reason: "generated code" };
  const docs = inFolder(DOCS_FOLDERS);
  if (docs) return { role: "docs", reason: `in a ${docs} folder` };
  if (/\.(?:md|mdx|rst|txt|adoc)$/.test(name)) return { role: "docs", reason: "a document" };
  const example = inFolder(EXAMPLE_FOLDERS);
  if (example) return { role: "example", reason: `in an ${example} folder` };
  const script = inFolder(SCRIPT_FOLDERS);
  if (script) return { role: "script", reason: `in a ${script} folder` };
  if (CONFIG_FILE.test(name)) return { role: "script", reason: "a build or tool configuration" };
  return null;
}

const HOST_MARKERS = ["window.openai", "openai:set_globals", "useOpenAiGlobal", "useWidgetProps", "useWidgetState", "useWidgetSDK", "useOpenAI"];
const RESOURCE_MARKERS = ["text/html+skybridge", "text/html;profile=mcp-app", "openai/outputTemplate", "registerAppResource", "RESOURCE_MIME_TYPE", "resourceUri", "ui://"];
const SERVER_MODULES = /^(?:node:|express$|fastify$|hono$|@modelcontextprotocol\/sdk\/server|@modelcontextprotocol\/ext-apps\/server|mcp-handler$|http$|https$|fs$|child_process$|pg$|mysql2?$|better-sqlite3$|ioredis$)/;
/** MCP Apps spoken by hand: JSON-RPC `ui/…` messages to the host over postMessage. */
const MCP_APPS_METHOD = /^ui\/(?:initialize|notifications\/|message|open-link|request-display-mode|update-model-context|size-changed)/;
const MAX_CLOSURE = 5000;

/** Assigns every code file its role. `textOf` gives a file's text; `declaresWidget` says whether any widget resource exists. */
export function assignRoles(code: CodeFacts, textOf: (path: string) => string | null): void {
  const declaresWidget = code.files.some((f) => {
    const text = textOf(f.path);
    return text !== null && RESOURCE_MARKERS.some((m) => text.includes(m));
  });
  const importsByFile = new Map<string, string[]>();
  const modulesByFile = new Map<string, string[]>();
  for (const imp of code.imports) {
    (modulesByFile.get(imp.path) ?? modulesByFile.set(imp.path, []).get(imp.path)!).push(imp.module);
    if (imp.resolvedPath) (importsByFile.get(imp.path) ?? importsByFile.set(imp.path, []).get(imp.path)!).push(imp.resolvedPath);
  }
  const talksToHost = hostTalkers(code);
  const widgetSeeds: string[] = [];
  for (const file of code.files) {
    const byPath = pathRole(file.path);
    if (byPath) {
      set(file, byPath.role, byPath.reason);
      continue;
    }
    if (file.language === "py") {
      set(file, "server", "Python code");
      continue;
    }
    const text = textOf(file.path) ?? "";
    const modules = modulesByFile.get(file.path) ?? [];
    const serverImports = modules.some((m) => SERVER_MODULES.test(m));
    const hostReason = talksToHost.get(file.path) ?? (HOST_MARKERS.find((m) => text.includes(m)) ? "talks to window.openai" : null);
    const extAppsClient = modules.some((m) => m.startsWith("@modelcontextprotocol/ext-apps") && !m.includes("/server"));
    if ((hostReason || extAppsClient) && !serverImports) {
      set(file, "widget", hostReason ?? "uses the MCP Apps client");
      widgetSeeds.push(file.path);
      continue;
    }
    if (file.path.toLowerCase().endsWith(".html")) {
      set(file, declaresWidget ? "widget" : "browser", declaresWidget ? "an HTML page of a connector that serves widgets" : "an HTML page");
      if (declaresWidget) widgetSeeds.push(file.path);
      continue;
    }
    const folders = file.path.split("/").slice(0, -1).map((s) => s.toLowerCase());
    if (declaresWidget && !serverImports && folders.some((f) => WIDGET_FOLDERS.has(f)) && /\.[jt]sx$|\.[cm]?js$|\.ts$/.test(file.path)) {
      set(file, "widget", "in a widget folder of a connector that serves widgets");
      widgetSeeds.push(file.path);
      continue;
    }
    if (file.directives.includes("use client")) {
      set(file, "browser", 'a "use client" component');
      continue;
    }
    if (!serverImports && (folders.some((f) => BROWSER_FOLDERS.has(f)) || modules.some((m) => m === "react-dom/client" || m === "react-dom"))) {
      set(file, "browser", "browser code");
      continue;
    }
    set(file, "server", "server code");
  }
  // Files only widget code imports are widget code too (components, hooks); server files stay server files.
  const queue = [...widgetSeeds];
  const seen = new Set(queue);
  while (queue.length > 0 && seen.size < MAX_CLOSURE) {
    const from = queue.shift()!;
    for (const target of importsByFile.get(from) ?? []) {
      if (seen.has(target)) continue;
      seen.add(target);
      const file = code.file(target);
      if (!file || pathRole(target) || file.language !== "js") continue;
      const targetModules = modulesByFile.get(target) ?? [];
      if (targetModules.some((m) => SERVER_MODULES.test(m))) continue;
      if (file.role === "server" || file.role === "browser") set(file, "widget", `imported by widget code (${from})`);
      queue.push(target);
    }
  }
}

/** Files whose code talks to the ChatGPT host: `window.openai`, or MCP Apps `ui/*` messages over postMessage. */
const postsMessage = (callee: string): boolean => /(?:^|\.)postMessage$/.test(callee);

function hostTalkers(code: CodeFacts): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of code.accesses) if (/^(?:window\.)?openai\./.test(a.target) && a.target.startsWith("window.openai")) out.set(a.path, "talks to window.openai");
  for (const call of code.callsWhere(postsMessage)) {
    const message = call.args[0];
    if (message?.kind !== "object") continue;
    const method = message.entries.find((e) => e.key === "method")?.value;
    if (method?.kind === "string" && MCP_APPS_METHOD.test(method.value)) out.set(call.path, "speaks the MCP Apps protocol to the host");
  }
  return out;
}

function set(file: SourceFileFact, role: FileRole, reason: string): void {
  file.role = role;
  file.roleReason = reason;
}

/** Roles whose files don't run in production: rules about the connector's own code and configuration skip them. */
export const NOT_SHIPPED_ROLES: ReadonlySet<FileRole> = new Set(["test", "fixture", "docs", "example", "vendored", "generated"]);

/** A code file's role, or the role its path decides; null for a path that says nothing (a root config file). */
export function roleOfPath(code: CodeFacts, repoPath: string): FileRole | null {
  return code.file(repoPath)?.role ?? pathRole(repoPath)?.role ?? null;
}

/** Whether a path belongs to what ships: not a test, fixture, document, example, vendored copy or generated file. */
export function isShippedPath(code: CodeFacts, repoPath: string): boolean {
  const role = roleOfPath(code, repoPath);
  return role === null || !NOT_SHIPPED_ROLES.has(role);
}

/** Tests and fixtures: their lockfiles and manifests are not the connector's. */
export function isTestOrFixturePath(repoPath: string): boolean {
  const role = pathRole(repoPath)?.role;
  return role === "test" || role === "fixture";
}
